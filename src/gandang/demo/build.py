"""The demo city: a reform office's 2023, built from the seed press conference.

`build_demo()` fills an empty database by running every app's demo step (gandang.core.registry,
registered from each app's ready()) in their order: units and people, the ledger, document
settings, a year of monthly reports (February–November closed, December open as it stands on the
demo's day), listings, achievements, bulletins and the assessment. All in one transaction, on the
demo's pinned calendar: nothing half-built, nothing stamped with the machine's date.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, time
from typing import Any

from django.db import transaction

from gandang.core import clock, registry
from gandang.core.errors import ServiceError
from gandang.dispatch.demo import report_counts
from gandang.ledger import demo as ledger_demo
from gandang.org import demo as org_demo

DEMO_TODAY = date(2023, 12, 5)  # the seed's press conference
DEMO_HOUR = time(9, 30)  # the time of day of whatever a step stamps without dating it
PASSWORD = org_demo.PASSWORD


class DemoError(ServiceError):
    """The database holds other data: the demo is only built on an empty one."""


def database_is_demo_or_empty() -> bool:
    """True when the database holds nothing but (possibly) the demo, and the province that
    `gandang demo --scale province` adds beside it: safe to wipe and rebuild."""
    from gandang.demo import scale

    return org_demo.is_demo_or_empty(
        also_units=scale.unit_names(), also_leaders=scale.leader_names()
    ) and ledger_demo.is_demo_or_empty(also_suffix=scale.PLAN_SUFFIX)


def build_demo(*, stdout=None, skip: Collection[str] = ()) -> dict[str, Any]:
    """Build the demo city on an empty database; do nothing if it is already there.

    `skip` names demo steps to leave out (tests build the ledger without its year of reports).
    Returns {"created": bool, "password": str, "logins": [(username, role, unit)], "today": date,
    "dispatch": {report counts}, **counts}. Raises DemoError if the database holds data that is not
    the demo.
    """
    run = registry.DemoRun(today=DEMO_TODAY, stdout=stdout)
    # Pinned to the demo's morning too: what a step stamps without dating it reads 09:30, never the hour
    # the machine builds it at (an afternoon build would otherwise date rows after the demo's 10:30).
    with clock.pinned(DEMO_TODAY), clock.pinned_time(DEMO_HOUR), transaction.atomic():
        if ledger_demo.demo_exists():
            run.say("演示数据已存在，未重复创建。")
            return _result(created=False)
        if org_demo.has_people() or ledger_demo.has_data():
            raise DemoError("数据库中已有业务数据，演示数据只能建立在空数据库上。")
        for step in registry.demo_steps():
            if step.name not in skip:
                step.run(run)
    return _result(created=True)


def _result(*, created: bool) -> dict[str, Any]:
    return {
        "created": created,
        "password": PASSWORD,
        "logins": org_demo.logins(),
        "today": DEMO_TODAY,
        "dispatch": report_counts(),
        **org_demo.counts(),
        **ledger_demo.counts(),
    }
