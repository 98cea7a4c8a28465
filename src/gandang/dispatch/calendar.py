"""The monthly dispatch's steps in the city's calendar (`gandang tick`, gandang.city.calendar).

Each run does whatever is due on `today` and nothing twice: statuses first, then opening the
month's period, reminders before the deadline, missing reports after it, closing old periods and
snapshots. Repeats are harmless because every notice has an idempotence key (unique per person)
and every record a uniqueness constraint.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from gandang.core import registry
from gandang.core.registry import TickRun
from gandang.dispatch import engine, services
from gandang.dispatch.models import Period, Report
from gandang.ledger import cycles
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.models import Unit, User

Kind = Notification.Kind


def statuses(run: TickRun) -> None:
    """First: an item that is done gets no report in a period opened today."""
    run.counts["statuses_changed"] += engine.recompute_all(today=run.today)


def periods(run: TickRun) -> None:
    """Open the month's period and each plan's span that is due; for each open period, remind, mark
    missing, and close or snapshot it."""
    today = run.today
    _open_month(today, run)
    _open_plan_spans(today, run)
    for period in (
        Period.objects.filter(state=Period.State.OPEN).select_related("plan").order_by("year", "month")
    ):
        _remind(period, today, run)
        _missing(period, today, run)
        # A plan's span may be due after it ends (一季度 by 4月25日): it closes only after that.
        ends = period.last_day if period.is_monthly else period.ends_on
        if (today - ends).days > settings.GANDANG_PERIOD_CLOSE_DAYS:
            services.period_close(actor=None, period=period)
            run.names["closed"].append(str(period))
        else:
            run.counts["snapshots"] += engine.snapshot_period(period, as_of=today)


def summary(run: TickRun) -> list[str]:
    out = []
    if run.names["opened"]:
        out.append(
            f"开启调度期：{'、'.join(run.names['opened'])}，生成进展报告{run.counts['reports_created']}份"
        )
    if run.counts["missing_marked"]:
        out.append(f"标记截止未报送：{run.counts['missing_marked']}份")
    if run.names["closed"]:
        out.append(f"结束调度期：{'、'.join(run.names['closed'])}（状态快照已固定）")
    out.append(f"事项状态变化：{run.counts['statuses_changed']}项")
    return out


def register() -> None:
    registry.tick_step(registry.TickStep("dispatch.statuses", 20, statuses))
    registry.tick_step(registry.TickStep("dispatch.periods", 21, periods, summary))


def _open_month(today: date, result: TickRun) -> None:
    period = Period.objects.filter(plan__isnull=True, year=today.year, month=today.month).first()
    if period is None:
        last = calendar.monthrange(today.year, today.month)[1]
        opens_on = today.replace(day=min(max(settings.GANDANG_PERIOD_OPEN_DAY, 1), last))
        if today < opens_on:
            return
        if today > services.default_deadline(today.year, today.month):
            # Opened now, every report would be missing at once: the office opens it by hand, with a deadline.
            result.notes.append(
                f"{today.year}年{today.month}月报送截止日已过，未自动开启调度期，请改革办手动开启"
            )
            return
        period, created = services.period_open(
            actor=None, year=today.year, month=today.month, opens_on=opens_on
        )
        result.names["opened"].append(str(period))
        result.counts["reports_created"] += created
    _announce(period, today, result)


def _open_plan_spans(today: date, result: TickRun) -> None:
    """Each plan of the year that reports on its own cycle: the span whose deadline comes next opens
    GANDANG_PLAN_PERIOD_LEAD_DAYS before that deadline (一季度 due 4月25日 opens on 4月10日)."""
    lead = timedelta(days=max(settings.GANDANG_PLAN_PERIOD_LEAD_DAYS, 0))
    plans = Plan.objects.filter(year=today.year, is_archived=False).exclude(cycle=Cycle.MONTHLY)
    have = {
        (p.plan_id, p.month): p
        for p in Period.objects.filter(plan__in=plans, year=today.year).select_related("plan")
    }
    for plan in plans.order_by("pk"):
        for month in cycles.SPAN_ENDS[plan.cycle]:
            deadline = services.plan_deadline(plan, today.year, month)
            period = have.get((plan.pk, month))
            if period is None:
                if not deadline - lead <= today <= deadline:
                    continue
                period, created = services.period_open(
                    actor=None, year=today.year, month=month, opens_on=deadline - lead, plan=plan
                )
                result.names["opened"].append(str(period))
                result.counts["reports_created"] += created
            _announce(period, today, result)


def _announce(period: Period, today: date, result: TickRun) -> None:
    """Also when the office opened the period by hand: liaisons hear of it once, until the deadline."""
    if period.state != Period.State.OPEN or not period.opens_on <= today <= period.deadline:
        return
    for unit_id, n in _report_counts(period).items():
        result.counts["notified"] += len(
            notify(
                users=_members(unit_id, User.Role.LIAISON),
                kind=Kind.PERIOD_OPENED,
                title=f"{period}进展报告已开始填报，截止{_md(period.deadline)}",
                body=(
                    f"本单位本月需报送{n}项改革事项的进展报告。"
                    if period.is_monthly
                    else f"本单位本期（{period.span_label}）需报送{n}项改革事项的进展报告。"
                ),
                url=_fill_url(period),
                key=f"open:{_ym(period)}:unit{unit_id}",
            )
        )


def _remind(period: Period, today: date, result: TickRun) -> None:
    """Before the deadline, the liaisons of units with reports not yet signed off are reminded.

    A reminder is due from its day on, so a day the tick did not run is caught up the next day
    (the key, per offset, keeps it to one reminder per offset).
    """
    days_left = (period.deadline - today).days
    offsets = [d for d in settings.GANDANG_REMIND_DAYS if d >= days_left >= 0]
    if not offsets or today < period.opens_on:
        return
    offset = min(offsets)
    if days_left == 0:
        title = f"今天是{period}进展报告报送截止日"
    else:
        title = f"{period}进展报告将于{_md(period.deadline)}截止，还有{days_left}天"
    for unit_id, n in _report_counts(period, pending=True).items():
        result.counts["notified"] += len(
            notify(
                users=_members(unit_id, User.Role.LIAISON),
                kind=Kind.REMINDER,
                title=title,
                body=f"本单位尚有{n}项进展报告未报送（未经单位负责人签发），请抓紧填报。",
                url=_fill_url(period),
                key=f"remind:{_ym(period)}:d{offset}:unit{unit_id}",
            )
        )


def _missing(period: Period, today: date, result: TickRun) -> None:
    """After the deadline: reports not signed off are marked missing; the units and the office hear of it once."""
    if today <= period.deadline:
        return
    result.counts["missing_marked"] += engine.mark_missing(period, today=today)
    counts = _report_counts(period, pending=True)
    if not counts:
        return
    for unit_id, n in counts.items():
        result.counts["notified"] += len(
            notify(
                users=_members(unit_id, User.Role.LIAISON, User.Role.HEAD),
                kind=Kind.MISSING,
                title=f"{period}进展报告逾期未报送",
                body=f"截至{_md(period.deadline)}报送截止，本单位有{n}项进展报告未报送，请尽快补报。",
                url=_fill_url(period),
                key=f"missing:{_ym(period)}:unit{unit_id}",
            )
        )
    names = dict(Unit.objects.filter(pk__in=counts).values_list("pk", "name"))
    result.counts["notified"] += len(
        notify(
            users=User.objects.filter(role=User.Role.OFFICE, is_active=True),
            kind=Kind.SUMMARY,
            title=f"{period}：{len(counts)}个单位{sum(counts.values())}份报告未按时报送",
            body="\n".join(
                f"{names.get(u, u)}：{n}份" for u, n in sorted(counts.items(), key=lambda c: -c[1])
            ),
            url=_period_url(period),
            key=f"missing-summary:{_ym(period)}",
        )
    )


def _report_counts(period: Period, *, pending: bool = False) -> dict[int, int]:
    """Reports of the period per unit; with `pending`, only those not yet signed off."""
    qs = engine.missing_reports(period) if pending else Report.objects.filter(period=period)
    return {row["unit_id"]: row["n"] for row in qs.values("unit_id").annotate(n=Count("id")).order_by()}


def _members(unit_id: int, *roles: str) -> list[User]:
    return list(User.objects.filter(unit_id=unit_id, role__in=roles, is_active=True))


def _fill_url(period: Period) -> str:
    return reverse("dispatch:period_fill", args=[period.pk])


def _period_url(period: Period) -> str:
    return period.get_absolute_url()


def _ym(period: Period) -> str:
    """The period in notices' idempotence keys: "2023-10" for the city's month, "plan7:2023-03" for a plan's span."""
    ym = f"{period.year}-{period.month:02d}"
    return ym if period.plan_id is None else f"plan{period.plan_id}:{ym}"


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"
