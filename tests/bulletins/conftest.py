"""A small city with history: two closed periods, reports on time / late / missing / returned, statuses."""

from datetime import date, datetime

import pytest
from django.utils import timezone


@pytest.fixture
def history(city):
    return build_history(city)


def build_history(city):
    """`city` plus a child plan with two more items, periods 2023-09 and 2023-10 closed, statuses as of 10-15."""
    from gandang.dispatch import services as dispatch
    from gandang.dispatch.engine import recompute_all
    from gandang.dispatch.models import ItemStatus, Report, ReportStep
    from gandang.ledger import services as ledger
    from gandang.ledger.models import Area, Plan
    from gandang.org.models import Leader

    office = city.users["office"]
    child = Plan.objects.create(year=2023, name="2023年营商环境行动方案", parent=city.plan)
    area2 = Area.objects.create(name="社会体制改革")
    leader2 = Leader.objects.create(name="钱立新", title="副市长")
    city.child_plan, city.area2, city.leader2 = child, area2, leader2
    city.items["d"] = ledger.item_create(
        actor=office,
        fields={
            "plan": child,
            "code": "1",
            "seq": 1,
            "title": "推行企业开办一网通办",
            "area": area2,
            "lead_unit": city.units["a"],
            "start_date": date(2023, 1, 1),
            "due_date": date(2023, 8, 31),
        },
        leaders=[leader2, city.leader],
    )
    city.items["e"] = ledger.item_create(
        actor=office,
        fields={
            "plan": child,
            "code": "2",
            "seq": 2,
            "title": "开展信用修复试点",
            "area": area2,
            "lead_unit": city.units["c"],
            "start_date": date(2024, 3, 1),
            "due_date": date(2024, 12, 31),
        },
    )

    def at(d):
        return timezone.make_aware(datetime.combine(d, datetime.min.time()))

    periods = []
    for month in (9, 10):
        period, _n = dispatch.period_open(actor=office, year=2023, month=month)
        reports = Report.objects.filter(period=period)
        reports.filter(item=city.items["a"]).update(submitted_at=at(date(2023, month, 20)), is_late=True)
        reports.filter(item=city.items["b"]).update(submitted_at=at(date(2023, month, 5)))
        reports.filter(item=city.items["d"]).update(submitted_at=at(date(2023, month, 6)), percent=40)
        returned = reports.get(item=city.items["b"])
        ReportStep.objects.create(report=returned, action="return", from_state="signed", to_state="returned")
        periods.append(period)
    # Accept d's reports so its percent feeds the status engine.
    Report.objects.filter(item=city.items["d"]).update(state=Report.State.ACCEPTED)
    for period in periods:
        dispatch.period_close(actor=office, period=period)
    recompute_all(today=date(2023, 10, 15))
    ItemStatus.objects.filter(item=city.items["b"]).update(no_effect=True)
    city.periods = periods
    return city
