"""Triggers that refuse UPDATE and DELETE on the security log (see gandang.security.protection).

UPDATE is always refused. DELETE only of entries up to the chain head's anchor_seq, which only
`gandang audit purge` moves; on PostgreSQL TRUNCATE only of an empty table.
"""

from django.db import migrations

TABLE = "security_securityevent"
HEAD = "security_chainhead"
REFUSED = "security events are append-only"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS security_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS security_event_no_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.seq > COALESCE((SELECT anchor_seq FROM {HEAD} WHERE id = 1), 0)
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS security_event_no_update",
    "DROP TRIGGER IF EXISTS security_event_no_delete",
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION security_event_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.seq <= COALESCE((SELECT anchor_seq FROM {HEAD} WHERE id = 1), 0) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{REFUSED} (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$""",
    f"""CREATE TRIGGER security_event_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION security_event_refuse()""",
    f"""CREATE TRIGGER security_event_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION security_event_refuse()""",
    f"""CREATE TRIGGER security_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION security_event_refuse()""",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS security_event_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS security_event_no_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS security_event_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS security_event_refuse()",
]


INSTALL = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}
REMOVE = {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRESQL_REMOVE}


def install(apps, schema_editor):
    for sql in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for sql in REMOVE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
