"""The statuses at a quarter's end as the bulletin reads them (季末状态), each plan on its own cycle.

The city's month snapshots every item, but a plan that reports quarterly, half-yearly or yearly accounts
for its quarter in its own period, often after the month has closed (一季度 by 4月25日, the March month
closed by 4月10日): the March snapshot cannot know what that report says. So the statuses "at the end
of" a closed month of a quarter are the month's snapshots, except for the items of each plan whose period
ending in that quarter (no later than the month) counts: those items are read from that period's
snapshots, judged on its report through the span's last day.

A plan's period counts once its reports are due (its deadline has passed) or it is closed; until then the
bulletin reads its items from the month, as it read them before, and says the period is still being
reported. The quarter's completed items compare these statuses with the same statuses at the last closed
month before the quarter, so an item a plan's period reported done is counted once, in the quarter of
that period. The ledger list's bulletin filters (滞后/季度内完成) read the same statuses.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gandang.core import clock
from gandang.dispatch.models import Period, StatusSnapshot


def plan_periods(year: int, months: list[int]) -> list[Period]:
    """The plans' own periods whose spans end in `months` of `year` (counted or not), in span order, then
    by plan."""
    return list(
        Period.objects.filter(plan__isnull=False, year=year, month__in=months)
        .select_related("plan")
        .order_by("month", "plan__name", "plan_id")
    )


def is_counted(period: Period) -> bool:
    """A plan's period counts in the bulletin once its reports are due (deadline passed) or it is closed."""
    return period.state == Period.State.CLOSED or period.deadline < clock.today()


def _quarter_months(month: int) -> list[int]:
    first = 3 * ((month - 1) // 3) + 1
    return [first, first + 1, first + 2]


def counted(month_period: Period) -> list[Period]:
    """The plans' periods the statuses at `month_period`'s end read instead of the month's snapshots."""
    months = [m for m in _quarter_months(month_period.month) if m <= month_period.month]
    return [p for p in plan_periods(month_period.year, months) if is_counted(p)]


def snapshots(month_period: Period, plans: list[Period] | None = None) -> QuerySet[StatusSnapshot]:
    """The statuses at the end of the city's month `month_period` (see the module's docstring): one row
    per item. `plans` are `counted(month_period)` when the caller has them already."""
    plans = counted(month_period) if plans is None else plans
    if not plans:
        return StatusSnapshot.objects.filter(period=month_period)
    # A plan may have two periods counted in one quarter only if its spans were shorter than a quarter
    # (a monthly plan has none): keep the latest per plan.
    latest: dict[int, Period] = {}
    for p in plans:
        key = p.plan_id or 0
        if key not in latest or p.month > latest[key].month:
            latest[key] = p
    return StatusSnapshot.objects.filter(
        (Q(period=month_period) & ~Q(item__plan_id__in=list(latest)))
        | Q(period__in=[p.pk for p in latest.values()])
    )
