"""Database triggers that keep the security log append-only, on SQLite and PostgreSQL.

UPDATE is always refused. DELETE is refused except for entries up to the chain head's `anchor_seq`,
which only `gandang audit purge` moves, after the retention period (see services.purge). On
PostgreSQL a TRUNCATE is refused too while the table holds entries.

Someone with SQL access can still drop the triggers: that is what the hash chain is for
(`gandang audit verify` checks it, and reports missing triggers). A later migration that rebuilds
the table on SQLite (most ALTER TABLEs do) drops its triggers with it: it must create them again
(migration 0002 has their SQL).
"""

from __future__ import annotations

from django.db import connection

TABLE = "security_securityevent"
EXPECTED = {
    "sqlite": {"security_event_no_update", "security_event_no_delete"},
    "postgresql": {"security_event_no_update", "security_event_no_delete", "security_event_no_truncate"},
}


def missing_triggers() -> list[str]:
    """The protecting triggers this database should have and does not (empty when all are there)."""
    expected = EXPECTED.get(connection.vendor, set())
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
        else:
            return []
        present = {name for (name,) in cur.fetchall()}
    return sorted(expected - present)
