"""A quarterly plan's item is judged on its quarterly reports, not on the months between them: it does
not turn yellow or red in February for a milestone its first-quarter report (due 4月25日) will account
for; once that deadline passes it is judged, days counted to today; its own period judges it through the
quarter's last day on that period's report. A monthly plan's item keeps the lights it always had."""

from datetime import date

import pytest

from gandang.dispatch import engine, services
from gandang.dispatch.models import ItemStatus, Period, Report, Status, StatusSnapshot
from gandang.ledger import cycles
from gandang.ledger import services as ledger_services
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Item, Plan

DEADLINES = "04-25,06-25,09-25,11-25"


@pytest.fixture
def quarterly(city):
    """A quarterly plan's item from 1 January to 31 December with a milestone due 15 February, and the
    same item in the monthly plan (its twin, judged month by month)."""
    office = city.users["office"]
    plan = ledger_services.plan_save(
        actor=office,
        plan=Plan(),
        fields={
            "year": 2023,
            "name": "2023年全市优化营商环境改革工作要点",
            "cycle": Cycle.QUARTERLY,
            "deadlines": DEADLINES,
        },
    )
    items = {}
    for key, p in (("q", plan), ("m", city.plan)):
        items[key] = ledger_services.item_create(
            actor=office,
            fields={
                "plan": p,
                "code": f"Q{key}",
                "seq": 10,
                "title": f"推进企业开办“一件事”改革（{key}）",
                "lead_unit": city.units["a"],
                "start_date": date(2023, 1, 1),
                "due_date": date(2023, 12, 31),
            },
            milestones=[ledger_services.MilestoneData(title="印发工作方案", due_date=date(2023, 2, 15))],
        )
    return plan, items


def _light(item, day):
    engine.recompute_items(Item.objects.filter(pk=item.pk), today=day)
    st = ItemStatus.objects.get(item=item)
    return st.status, st.reason


def test_reported_through_is_the_last_span_whose_report_was_due():
    q = Cycle.QUARTERLY
    assert cycles.reported_through(q, DEADLINES, date(2023, 4, 25)) == date(2022, 12, 31)  # due today
    assert cycles.reported_through(q, DEADLINES, date(2023, 4, 26)) == date(2023, 3, 31)
    assert cycles.reported_through(q, DEADLINES, date(2023, 12, 5)) == date(2023, 12, 31)  # 全年 by 11月25日
    assert cycles.reported_through(Cycle.HALFYEARLY, "", date(2023, 9, 1)) == date(2023, 6, 30)
    assert cycles.reported_through(Cycle.MONTHLY, "", date(2023, 9, 1)) is None


def test_a_quarterly_items_milestone_waits_for_the_quarters_report(quarterly):
    _plan, items = quarterly
    # 20 March: the monthly twin is red (the milestone 33 days overdue); the quarterly item is not judged
    # on it before its first quarter's report is due.
    assert _light(items["m"], date(2023, 3, 20))[0] == Status.RED
    status, reason = _light(items["q"], date(2023, 3, 20))
    assert status not in (Status.RED, Status.YELLOW), reason
    # Nothing reported because nothing was due yet: it says when its report is due, not "未报送".
    assert _light(items["q"], date(2023, 4, 25)) == (
        Status.NOT_STARTED,
        "尚无已通过的进展报告，本期报告于2023年4月25日前报送",
    )
    # 26 April: the report was due yesterday and the milestone is still open: red, days counted to today.
    assert _light(items["q"], date(2023, 4, 26)) == (Status.RED, "时间节点“印发工作方案”已逾期70天")


def test_the_plan_line_is_read_when_the_report_was_due(city, quarterly):
    plan, items = quarterly
    for item in items.values():
        item.milestones.update(due_date=date(2023, 11, 30))  # not due before December
    q1, _n = services.period_open(actor=city.users["office"], year=2023, month=3, plan=plan)
    march, _n = services.period_open(actor=city.users["office"], year=2023, month=3)
    Report.objects.filter(item__in=items.values()).update(state=Report.State.ACCEPTED, percent=10)
    # 31 May: the monthly twin's 10% is held against May's plan line (41%); the quarterly item's against
    # 31 March's (24%), the day its last due report spoke for.
    assert _light(items["m"], date(2023, 5, 31)) == (Status.YELLOW, "完成进度10%，低于计划进度41%")
    assert _light(items["q"], date(2023, 5, 31))[0] == Status.GREEN
    # 26 June: the second quarter's report was due and none came: the line is read today.
    assert _light(items["q"], date(2023, 6, 26)) == (Status.YELLOW, "完成进度10%，低于计划进度48%")


def test_the_months_keep_a_quarterly_item_unjudged_and_its_own_period_judges_it(city, quarterly):
    plan, items = quarterly
    office = city.users["office"]
    february, _n = services.period_open(actor=office, year=2023, month=2)
    march, _n = services.period_open(actor=office, year=2023, month=3)
    q1, _n = services.period_open(actor=office, year=2023, month=3, plan=plan)
    for p in (february, march, q1):
        engine.snapshot_period(p, as_of=date(2023, 4, 10))

    def snap(period, key):
        return StatusSnapshot.objects.get(period=period, item=items[key]).status

    # The months between its reports do not show the quarterly item lagging; its twin lags from February.
    assert snap(february, "q") not in (Status.RED, Status.YELLOW)
    assert snap(march, "q") not in (Status.RED, Status.YELLOW)
    assert snap(march, "m") == Status.RED
    # The quarter's own period judges it through 31 March: the milestone 44 days overdue.
    assert snap(q1, "q") == Status.RED
    assert StatusSnapshot.objects.get(period=q1).reason == "时间节点“印发工作方案”已逾期44天"
    assert not StatusSnapshot.objects.filter(period=q1, item=items["m"]).exists()
    assert Period.objects.filter(plan=plan).count() == 1
