"""The daily tick keeps a quarterly plan's item on its own calendar: between its reports its light does
not turn for a milestone its quarter's report will account for; the day after that report's deadline it
does. The monthly plan's item with the same milestone turns red as it always did."""

from datetime import date

from gandang.city.calendar import run_tick
from gandang.dispatch.models import ItemStatus, Status
from gandang.ledger import services as ledger
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan


def test_the_tick_judges_a_quarterly_item_when_its_report_was_due(city):
    office = city.users["office"]
    plan = ledger.plan_save(
        actor=office,
        plan=Plan(),
        fields={
            "year": 2023,
            "name": "2023年全市优化营商环境改革工作要点",
            "cycle": Cycle.QUARTERLY,
            "deadlines": "04-25,06-25,09-25,11-25",
        },
    )
    item = ledger.item_create(
        actor=office,
        fields={
            "plan": plan,
            "code": "1",
            "seq": 1,
            "title": "推进企业开办改革",
            "lead_unit": city.units["a"],
        },
        milestones=[ledger.MilestoneData(title="印发工作方案", due_date=date(2023, 2, 15))],
    )
    twin = ledger.item_create(
        actor=office,
        fields={
            "plan": city.plan,
            "code": "9",
            "seq": 9,
            "title": "同一节点的月报事项",
            "lead_unit": city.units["a"],
        },
        milestones=[ledger.MilestoneData(title="印发工作方案", due_date=date(2023, 2, 15))],
    )
    for day in (date(2023, 3, 1), date(2023, 3, 31), date(2023, 4, 25)):
        run_tick(today=day)
        status = ItemStatus.objects.get(item=item)
        assert status.status == Status.NOT_STARTED, (day, status.reason)
        assert status.reason == "尚无已通过的进展报告，本期报告于2023年4月25日前报送"
    assert ItemStatus.objects.get(item=twin).status == Status.RED  # 69 days overdue on 25 April
    run_tick(today=date(2023, 4, 26))
    status = ItemStatus.objects.get(item=item)
    assert (status.status, status.reason) == (Status.RED, "时间节点“印发工作方案”已逾期70天")
