"""The city's figures: status distribution, progress by area/unit/leader, monthly trend, timeliness.

One place for them, so the dashboard (驾驶舱), the quarterly bulletin and the ledger list count the
same items: the scope is `ledger.selectors.items_filtered`, the very query behind the ledger list,
and every figure that links to the ledger carries the filter that reproduces it there.

Each plan on its own cycle. The city's trend is the city's months: every item's light at each month's
end, a quarterly (half-yearly, yearly) plan's item judged on what its reports were due to say by then
(dispatch.status), so between its reports it keeps the light its last report gave it instead of showing
as unreported or lagging. The months' timeliness counts the monthly dispatch's reports; the plans' own
periods in the same window are listed on their own (`Dashboard.plan_timeliness`), each against its own
deadline. Filtered to a plan that reports on its own cycle, the trend and the timeliness are that plan's
own periods (2023年第一季度, 第二季度 …): its items have no monthly reports, so months would show nothing due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gandang.core import clock, numbers
from gandang.dispatch.models import ItemStatus, Period, Report, ReportStep, Status, StatusSnapshot
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Area, Item, Plan
from gandang.ledger.selectors import items_filtered
from gandang.org.models import Leader, Unit, User

# Worst first: the order of every table, legend and stack.
# Plain strings, not the enum members: they key dicts that database values look up.
STATUSES: list[str] = [
    s.value for s in (Status.RED, Status.YELLOW, Status.GREEN, Status.NOT_STARTED, Status.DONE)
]
STATUS_LABELS = dict(Status.choices)
TIMELINESS = {
    "on_time": _("按时报送"),
    "late": _("逾期报送"),
    "missing": _("未报送"),
    "returned": _("退回修改"),
}
TREND_PERIODS = 12  # months shown in the trend and timeliness charts


@dataclass
class Group:
    """One row of a breakdown: an area, a lead unit, a leader or a period, with counts per status."""

    key: int | None
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    percent_sum: int = 0  # of the reported percents, and how many there are: their average
    percent_n: int = 0
    url: str | None = None
    status_urls: dict[str, str | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def avg_percent(self) -> Decimal | None:
        """The average of the reported percents, one decimal, rounded half-up (46.25 → 46.3)."""
        if not self.percent_n:
            return None
        return numbers.half_up(Decimal(self.percent_sum) / self.percent_n, 1)

    def cells(self) -> list[tuple[str, int, str | None]]:
        """(status, count, ledger link) in STATUSES order, for the table rows."""
        return [(s, self.counts[s], self.status_urls.get(s)) for s in STATUSES]


@dataclass
class Timeliness:
    period: Period
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missing


@dataclass
class Dashboard:
    plan: Plan | None
    period: Period | None  # None: current statuses; a closed period: its frozen snapshots
    total: int
    status: Group
    unrated: int
    no_effect: int
    by_area: list[Group]
    by_unit: list[Group]
    by_leader: list[Group]
    trend: list[Group]
    timeliness: list[Timeliness]
    # The plans' own periods (quarterly, half-yearly, yearly) within the trend's window, beside the months.
    plan_timeliness: list[Timeliness] = field(default_factory=list)

    @property
    def own_cycle(self) -> bool:
        """Filtered to a plan on its own cycle: the trend and timeliness are its periods, not months."""
        return self.plan is not None and self.plan.cycle != Cycle.MONTHLY

    @property
    def links(self) -> bool:
        """Figures link to the ledger list only when they are current: the list filters current statuses."""
        return self.period is None


@dataclass(frozen=True)
class Scope:
    """The items the figures count — the ledger list's items (`items_filtered`) — said as a condition
    that a table of statuses, snapshots or reports applies through its own reference to the item, so
    that no query lists the items' ids.

    The city's viewers see every item but the archived ones, of a plan and its child plans if one is
    chosen; anyone else, the ids of the ledger list's own query."""

    plans: tuple[int, ...] = ()  # a plan and its child plans; empty: every plan
    visible: QuerySet[Item, Any] | None = None  # the ids of the items the ledger list shows a unit member

    def items(self) -> QuerySet[Item]:
        return Item.objects.filter(self._condition(""))

    def via(self, path: str) -> Q:
        """The condition from a model that reaches the item by `path` (e.g. "report__item")."""
        return self._condition(f"{path}__")

    def _condition(self, prefix: str) -> Q:
        if self.visible is not None:
            return Q(**{f"{prefix}pk__in": self.visible})
        if self.plans or not prefix:
            plans = {f"{prefix}plan_id__in": self.plans} if self.plans else {}
            return Q(**{f"{prefix}is_archived": False}, **plans)
        # Few items are archived: leaving their rows out costs less than joining every row to its item.
        return ~Q(**{f"{prefix}pk__in": Item.objects.filter(is_archived=True).values("pk")})


def scope_items(user: User, *, plan: Plan | None = None) -> Scope:
    """The items the figures count: what the ledger list shows `user` for this plan (incl. child plans)."""
    if not (user.is_authenticated and user.is_active and user.sees_all_units):
        return Scope(visible=items_filtered(user, {"plan": plan} if plan else {}).values("pk"))
    if plan is None:
        return Scope()
    return Scope(plans=(plan.pk, *Plan.objects.filter(parent=plan).values_list("pk", flat=True)))


def ledger_url(*, plan: Plan | None = None, base: str | None = None, **params: Any) -> str:
    """The ledger list filtered to reproduce a figure, e.g. /ledger/?status=red&area=3.

    `base` is the list's own address when the caller has it already (a dashboard links thousands of figures).
    """
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if plan:
        query["plan"] = plan.pk
    return (base or reverse("ledger:item_list")) + ("?" + urlencode(query) if query else "")


def _statuses(scope: Scope, period: Period | None) -> QuerySet:
    """The status rows of the items in scope: now, or as of a closed period (its frozen snapshots)."""
    if period is None:
        return ItemStatus.objects.filter(scope.via("item"))
    return StatusSnapshot.objects.filter(scope.via("item"), period=period)


def _grouped(rows: QuerySet, key: str) -> list[dict[str, Any]]:
    """One aggregate: per `key` and status, the items, their reported percents and the no-effect ones."""
    return list(
        rows.values(key, "status")
        .annotate(
            n=Count("id"),
            percent_sum=Sum("percent"),
            percent_n=Count("percent"),
            no_effect=Count("id", filter=Q(no_effect=True)),
        )
        .order_by()
    )


def _add(g: Group, row: dict[str, Any]) -> None:
    g.counts[row["status"]] = g.counts.get(row["status"], 0) + row["n"]
    g.percent_sum += row["percent_sum"] or 0
    g.percent_n += row["percent_n"]


def _group(
    rows: list[dict[str, Any]],
    key: str,
    objects: QuerySet,
    *,
    param: str,
    plan: Plan | None,
    links: bool,
    base: str,
    none_label: str,
) -> list[Group]:
    """The groups of the aggregate `rows` keyed by `key`, in the order of `objects` (areas, units, leaders),
    then the items without one (counted, not linkable)."""
    groups: dict[int | None, Group] = {}
    for row in rows:
        k = row[key]
        g = groups.get(k)
        if g is None:
            g = groups[k] = Group(key=k, label=none_label)
        _add(g, row)
    out = []
    for obj in objects.filter(pk__in=[k for k in groups if k is not None]):
        g = groups[obj.pk]
        g.label = obj.name
        if links:
            g.url = ledger_url(plan=plan, base=base, **{param: g.key})
            g.status_urls = {
                s: ledger_url(plan=plan, base=base, status=s, **{param: g.key}) for s in STATUSES
            }
        out.append(g)
    if None in groups:
        out.append(groups[None])
    return out


def _trend(scope: Scope, periods: list[Period]) -> list[Group]:
    by_period = {p.pk: Group(key=p.pk, label=p.span_label) for p in periods}
    rows = (
        StatusSnapshot.objects.filter(scope.via("item"), period__in=periods)
        .values("period_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        by_period[r["period_id"]].counts[r["status"]] = r["n"]
    return [by_period[p.pk] for p in periods]


def _timeliness(scope: Scope, periods: list[Period]) -> list[Timeliness]:
    """Per period, over the reports of the items in scope — the same rules as engine.unit_timeliness,
    except that a period whose deadline has not passed has nothing missing yet."""
    out = {p.pk: Timeliness(period=p) for p in periods}
    rows = (
        Report.objects.filter(scope.via("item"), period__in=periods)
        .values("period_id")
        .annotate(
            on_time=Count("id", filter=Q(submitted_at__isnull=False, is_late=False)),
            late=Count("id", filter=Q(submitted_at__isnull=False, is_late=True)),
            missing=Count("id", filter=Q(submitted_at__isnull=True)),
        )
        .order_by()
    )
    # Before its deadline a report not yet submitted is not missing (未报送): it is simply not due yet.
    today = clock.today()
    for r in rows:
        t = out[r["period_id"]]
        t.on_time, t.late = r["on_time"], r["late"]
        t.missing = r["missing"] if t.period.deadline < today else 0
    returns = (
        ReportStep.objects.filter(scope.via("report__item"), action="return", report__period__in=periods)
        .values("report__period_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in returns:
        out[r["report__period_id"]].returned = r["n"]
    return [out[p.pk] for p in periods]


def period_timeliness(scope: Scope, periods: list[Period]) -> list[Timeliness]:
    """The timeliness of each of `periods` over the reports of the items in scope (a plan's periods too)."""
    return _timeliness(scope, periods)


def _recent_periods(period: Period | None, plan: Plan | None = None) -> list[Period]:
    """The last TREND_PERIODS periods up to `period` (or up to now), oldest first: the city's months, or
    `plan`'s own periods when it reports on its own cycle."""
    if plan is not None and plan.cycle != Cycle.MONTHLY:
        qs = Period.objects.filter(plan=plan)
    else:
        qs = Period.objects.filter(plan__isnull=True)
    if period is not None:
        qs = qs.filter(Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month))
    return list(reversed(qs.order_by("-year", "-month")[:TREND_PERIODS]))


def dashboard(user: User, *, plan: Plan | None = None, period: Period | None = None) -> Dashboard:
    """Every figure of the dashboard for the items `user` sees, filtered by plan, now or as of a closed period."""
    if period is not None and period.state != Period.State.CLOSED:
        period = None  # an open period's snapshots still move: show the current statuses instead
    scope = scope_items(user, plan=plan)
    if plan is not None and plan.cycle != Cycle.MONTHLY:
        return figures(scope, plan=plan, period=period, periods=_recent_periods(period, plan))
    d = figures(scope, plan=plan, period=period)
    d.plan_timeliness = _plan_timeliness(scope, d.timeliness)
    return d


def _plan_timeliness(scope: Scope, months: list[Timeliness]) -> list[Timeliness]:
    """The plans' own periods ending within the months shown (their reports in scope), oldest first."""
    if not months:
        return []
    first, last = months[0].period, months[-1].period
    periods = list(
        Period.objects.filter(plan__isnull=False)
        .filter(Q(year__gt=first.year) | Q(year=first.year, month__gte=first.month))
        .filter(Q(year__lt=last.year) | Q(year=last.year, month__lte=last.month))
        .filter(plan_id__in=scope.plans if scope.plans else Plan.objects.values("pk"))
        .select_related("plan")
        .order_by("year", "month", "plan__name", "plan_id")
    )
    # A plan's period with no report of the items in scope (another plan's, for a unit) is left out.
    return [t for t in _timeliness(scope, periods) if t.total or t.returned] if periods else []


def city_scope() -> Scope:
    """Every item of the city's ledger: what the office's unfiltered ledger list shows (archived items left
    out, as `items_filtered` does), without needing a user — the bulletin's scope."""
    return Scope()


def figures(
    scope: Scope,
    *,
    plan: Plan | None = None,
    period: Period | None = None,
    periods: list[Period] | None = None,
    statuses: QuerySet[StatusSnapshot] | None = None,
) -> Dashboard:
    """The figures over `scope`: now (period None) or as of a closed period's snapshots.

    Each breakdown is one GROUP BY over the status rows joined to their items; the counts of the whole
    are the sums of the areas' (each item has one area or none).
    `periods` are the months of the trend and timeliness (default: the last TREND_PERIODS up to `period`).
    `statuses` are the status rows to count instead of `period`'s snapshots (the bulletin's quarter end,
    where a plan on its own cycle is read from its period of the quarter), already in scope.
    """
    links = period is None
    base = reverse("ledger:item_list")
    statuses = _statuses(scope, period) if statuses is None else statuses
    by_area = _grouped(statuses, "item__area_id")

    status = Group(key=None, label=str(_("全部")))
    for row in by_area:
        _add(status, row)
    if links:
        status.url = ledger_url(plan=plan, base=base)
        status.status_urls = {s: ledger_url(plan=plan, base=base, status=s) for s in STATUSES}
    # Now, items not yet rated count in the total; a period's total is its snapshots.
    total = scope.items().count() if links else status.total
    # The snapshot keeps the lead unit of its month; area and leaders are the item's own.
    unit_key = "item__lead_unit_id" if period is None else "lead_unit_id"

    periods = _recent_periods(period) if periods is None else periods
    return Dashboard(
        plan=plan,
        period=period,
        total=total,
        status=status,
        unrated=max(total - status.total, 0),
        no_effect=sum(row["no_effect"] for row in by_area),
        by_area=_group(
            by_area,
            "item__area_id",
            Area.objects.all(),
            param="area",
            none_label=str(_("未分领域")),
            plan=plan,
            links=links,
            base=base,
        ),
        by_unit=_group(
            _grouped(statuses, unit_key),
            unit_key,
            Unit.objects.all(),
            param="lead_unit",
            none_label=str(_("未定牵头单位")),
            plan=plan,
            links=links,
            base=base,
        ),
        by_leader=_group(
            _grouped(statuses, "item__leaders"),
            "item__leaders",
            Leader.objects.all(),
            param="leader",
            none_label=str(_("无领衔领导")),
            plan=plan,
            links=links,
            base=base,
        ),
        # Only closed periods: an open period's snapshots are not taken yet or still move.
        trend=_trend(scope, [p for p in periods if p.state == Period.State.CLOSED]),
        timeliness=_timeliness(scope, periods),
    )
