"""Helpers for the security log's tests: its entries, and raw SQL as someone with database access."""

import pytest
from django.db import connection

from gandang.security.models import SecurityEvent

DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER security_event_no_update",
        "DROP TRIGGER security_event_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER security_event_no_update ON security_securityevent",
        "DROP TRIGGER security_event_no_delete ON security_securityevent",
        "DROP TRIGGER security_event_no_truncate ON security_securityevent",
    ],
}


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params)


def events(kind=None):
    qs = SecurityEvent.objects.order_by("seq")
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def drop_triggers(db):
    """What someone with SQL access does first (rolled back with the test)."""

    def _drop():
        for statement in DROP_TRIGGERS[connection.vendor]:
            sql(statement)

    return _drop
