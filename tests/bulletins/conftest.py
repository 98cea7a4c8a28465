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


@pytest.fixture
def q3(city):
    return build_q3(city)


def build_q3(city):
    """`city` with June–September 2023 closed, then each month's snapshots set to a known story:

    item a (unit A, leader, area 1): green in June, yellow at quarter end ("时间节点逾期");
    item b (unit B, area 1): green in June, done in September (completed this quarter);
    item c (unit C, no area): red all quarter; item d (unit A, area 2, two leaders): done since June.
    Reports: unit A late in July, unit B missing in August, one of unit B's reports returned in September.
    """
    from gandang.dispatch import services as dispatch
    from gandang.dispatch.models import Report, ReportStep, StatusSnapshot
    from gandang.ledger import services as ledger
    from gandang.ledger.models import Area
    from gandang.org.models import Leader

    office = city.users["office"]
    area2 = Area.objects.create(name="社会体制改革")
    leader2 = Leader.objects.create(name="钱立新", title="副市长")
    city.area2, city.leader2 = area2, leader2
    city.items["d"] = ledger.item_create(
        actor=office,
        fields={
            "plan": city.plan,
            "code": "4",
            "seq": 4,
            "title": "推行企业开办一网通办",
            "area": area2,
            "lead_unit": city.units["a"],
            "start_date": date(2023, 1, 1),
            "due_date": date(2023, 5, 31),
        },
        leaders=[leader2, city.leader],
    )

    def at(d):
        return timezone.make_aware(datetime.combine(d, datetime.min.time()))

    story = {
        6: {"a": "green", "b": "green", "c": "red", "d": "done"},
        7: {"a": "green", "b": "green", "c": "red", "d": "done"},
        8: {"a": "yellow", "b": "green", "c": "red", "d": "done"},
        9: {"a": "yellow", "b": "done", "c": "red", "d": "done"},
    }
    reasons = {
        "yellow": "时间节点“完成方案”逾期",
        "red": "已超过完成时限30天",
        "green": "按计划推进",
        "done": "已完成",
    }
    city.periods = {}
    for month, statuses in story.items():
        period, _n = dispatch.period_open(actor=office, year=2023, month=month)
        reports = Report.objects.filter(period=period)
        reports.update(submitted_at=at(date(2023, month, 10)))
        if month == 7:
            reports.filter(unit=city.units["a"]).update(submitted_at=at(date(2023, 7, 27)), is_late=True)
        if month == 8:
            reports.filter(unit=city.units["b"]).update(submitted_at=None)
        if month == 9:
            returned = reports.filter(unit=city.units["b"]).first()
            if returned is not None:
                ReportStep.objects.create(
                    report=returned, action="return", from_state="signed", to_state="returned"
                )
        dispatch.period_close(actor=office, period=period)
        for key, status in statuses.items():
            StatusSnapshot.objects.filter(period=period, item=city.items[key]).update(
                status=status, reason=reasons[status], percent={"done": 100, "green": 50}.get(status)
            )
        city.periods[month] = period
    return city
