"""The demo city's quarterly plan: 《2023年全市优化营商环境改革工作要点》 reports its first quarter, half
year, three quarters and whole year by 4月25日, 6月25日, 9月25日 and 11月25日 (the plan's own cycle).

Built right after the months' reports (band 21), so the second quarter's bulletin, the monthly standings
and the year's trial assessment read its periods (每季度按时报送; 含按季度报送的方案N期). The first
three quarters are closed (one report came in late in the second); the whole year's period, due
25 November, is still open on the demo's day: most reports accepted, one awaiting the office's review,
one never sent (marked missing). Two tasks have two lead units (共同牵头): the first files the report, and
市发展改革委, joint lead of task 4, added its part to each closed quarter's report (the whole year's, awaiting
the office, is still open to it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings

from gandang.core import registry
from gandang.core.backdate import aware, dated
from gandang.dispatch import engine, services
from gandang.dispatch.models import Contribution, ItemStatus, Period, Report, ReportStep, StatusSnapshot
from gandang.ledger import services as ledger_services
from gandang.ledger.cycles import Cycle
from gandang.ledger.demo_data import QUARTERLY_PLAN
from gandang.ledger.models import Area, Item, Plan
from gandang.org.models import Unit, User

DEADLINES = "04-25,06-25,09-25,11-25"
# code, title, lead units ("X、Y": X files the report, Y leads jointly and adds its part), area
TASKS = [
    ("1", "深化“一网通办”，推动高频政务服务事项“一次办好”", "市行政审批服务局、市大数据局", "经济体制改革"),
    ("2", "推进企业开办、注销“一件事”集成改革", "市市场监管局", "经济体制改革"),
    ("3", "健全涉企收费目录清单制度", "市发展改革委", "经济体制改革"),
    ("4", "开展工程建设项目审批制度改革提质增效行动", "市行政审批服务局、市发展改革委", "经济体制改革"),
    ("5", "完善惠企政策“免申即享”机制", "市财政局", "经济体制改革"),
]
JOINT_PART = "配合牵头单位梳理审批环节中的投资项目手续，已完成本单位负责部分并报送牵头单位汇总。"
PROGRESS = {
    3: "已制定年度工作方案，明确责任分工和时间节点，完成一季度各项任务。",
    6: "上半年已按计划推进，完成流程梳理和系统对接测试，形成阶段性成果。",
    9: "前三季度重点事项全部启动，已在全市推开，企业办事时间进一步压减。",
    12: "全年任务基本完成，形成制度文件，正在总结经验做法。",
}


def build_step(run: registry.DemoRun) -> None:
    """This part of the demo city (registered in the dispatch's AppConfig.ready())."""
    office: User = run.results["office"]
    today: date = run.today
    with dated(aware(date(today.year, 2, 20), 10)):
        plan = ledger_services.plan_save(
            actor=office,
            plan=Plan(),
            fields={
                "year": today.year,
                "name": QUARTERLY_PLAN,
                "cycle": Cycle.QUARTERLY,
                "deadlines": DEADLINES,
            },
        )
        area = Area.objects.order_by("sort_order").first()
        for seq, (code, title, leads, area_name) in enumerate(TASKS, start=1):
            lead, *joint = (Unit.objects.get(name=name) for name in leads.split("、"))
            ledger_services.item_create(
                actor=office,
                fields={
                    "plan": plan,
                    "code": code,
                    "seq": seq,
                    "title": title,
                    "area": Area.objects.filter(name=area_name).first() or area,
                    "lead_unit": lead,
                    "due_date": date(today.year, 12, 31),
                },
                joint_leads=joint,
                milestones=[
                    ledger_services.MilestoneData(
                        "制定工作方案，明确责任分工", due_date=date(today.year, 3, 31)
                    ),
                    ledger_services.MilestoneData(
                        "全面完成年度任务，形成制度成果", due_date=date(today.year, 11, 30)
                    ),
                ],
            )
    Item.objects.filter(plan=plan).update(created_at=aware(date(today.year, 2, 20), 10))
    Item.objects.filter(plan=plan).update(updated_at=aware(date(today.year, 2, 20), 10))
    lead_time = timedelta(days=settings.GANDANG_PLAN_PERIOD_LEAD_DAYS)
    for quarter, month in enumerate((3, 6, 9, 12), start=1):
        deadline = services.plan_deadline(plan, today.year, month)
        opens = deadline - lead_time
        if opens > today:
            break
        with dated(aware(opens, 8, 30), (Period, "opened_at")):
            period, _n = services.period_open(
                actor=None, year=today.year, month=month, opens_on=opens, plan=plan
            )
        _file(period, quarter, office, today)
        if (today - period.ends_on).days > settings.GANDANG_PERIOD_CLOSE_DAYS:
            closed = aware(period.ends_on + timedelta(days=settings.GANDANG_PERIOD_CLOSE_DAYS + 1), 6)
            with dated(closed, (StatusSnapshot, "computed_at")):
                services.period_close(actor=None, period=period)
            Period.objects.filter(pk=period.pk).update(closed_at=closed)
        else:
            engine.mark_missing(period, today=today)  # as the tick did after 25 November
    with dated(aware(today, 7)):
        engine.recompute_items(Item.objects.filter(plan=plan), today=today)
    ItemStatus.objects.filter(item__plan=plan).update(computed_at=aware(today, 7))
    run.say(f"按季度报送的方案：{plan}，{Item.objects.filter(plan=plan).count()}项事项，{quarter}期调度")


def _file(period: Period, quarter: int, office: User, today: date) -> None:
    """The units file their reports of the quarter: on time but for one late in the second quarter; in the
    whole year's period (still open), one awaits the office and one was never sent."""
    reports = list(Report.objects.filter(period=period).select_related("item", "unit").order_by("item__seq"))
    for n, report in enumerate(reports):
        last = quarter == 4
        if last and n == len(reports) - 1:
            continue  # never sent: marked missing after the deadline
        days_before = 2 if (quarter == 2 and n == 1) else 5 + n
        sent = min(period.deadline - timedelta(days=days_before), today)
        if quarter == 2 and n == 1:
            sent = period.deadline + timedelta(days=2)  # late
        liaison = User.objects.filter(unit=report.unit, role=User.Role.LIAISON, is_active=True).first()
        head = User.objects.filter(unit=report.unit, role=User.Role.HEAD, is_active=True).first()
        if liaison is None:
            continue
        at = aware(sent, 9, 10 + n)
        with dated(at, (ReportStep, "at")):
            # The first quarter's report says the work plan was issued; its acceptance marks the milestone.
            first = report.item.milestones.order_by("sort_order", "id").first() if quarter == 1 else None
            reached = (
                [services.Reached(first.pk, date(today.year, 3, 20), "工作方案已印发")] if first else None
            )
            services.report_save(
                actor=liaison,
                report=report,
                reached=reached,
                expected_version=report.version,
                fields={
                    "progress": PROGRESS[period.month],
                    "percent": quarter * 25 - (5 if n == 2 else 0),
                    "next_steps": "按计划推进下一阶段工作。",
                },
            )
            if not last:  # a joint lead's part; the whole year's is still to write on the demo's day
                _joint_parts(report, at)
            services.report_step(actor=liaison, report=report, action="submit", now=at, notify_people=False)
        if head is not None:
            signed = aware(sent, 15, 20 + n)
            with dated(signed, (ReportStep, "at")):
                services.report_step(
                    actor=head, report=report, action="approve", now=signed, notify_people=False
                )
        final = at
        if not (last and n == len(reports) - 2):  # one of the whole year's awaits the office
            accepted = aware(sent + timedelta(days=2), 10)  # every quarter's is due by 25 November
            with dated(accepted, (ReportStep, "at")):
                services.report_step(
                    actor=office, report=report, action="accept", now=accepted, notify_people=False
                )
            final = accepted
        Report.objects.filter(pk=report.pk).update(updated_at=final)
    Report.objects.filter(period=period, submitted_at__isnull=True).update(
        updated_at=aware(period.opens_on, 8, 30)
    )


def _joint_parts(report: Report, at: datetime) -> None:
    """Each joint lead unit with a liaison adds its part before the first lead submits the report."""
    for unit in report.item.joint_leads:
        liaison = User.objects.filter(unit=unit, role=User.Role.LIAISON, is_active=True).first()
        if liaison is not None:
            part = services.contribution_save(actor=liaison, report=report, text=JOINT_PART)
            Contribution.objects.filter(pk=part.pk).update(at=at - timedelta(hours=1))
