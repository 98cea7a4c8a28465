"""The city's figures: status distribution, progress by area/unit/leader, monthly trend, timeliness.

One place for them, so the dashboard (驾驶舱), the quarterly bulletin and the ledger list count the
same items: the scope is `ledger.selectors.items_filtered`, the very query behind the ledger list,
and every figure that links to the ledger carries the filter that reproduces it there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gandang.core import clock, numbers
from gandang.dispatch.models import ItemStatus, Period, Report, ReportStep, Status, StatusSnapshot
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
    percents: list[int] = field(default_factory=list)
    url: str | None = None
    status_urls: dict[str, str | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def avg_percent(self) -> Decimal | None:
        """The average of the reported percents, one decimal, rounded half-up (46.25 → 46.3)."""
        avg = numbers.mean(self.percents)
        return None if avg is None else numbers.half_up(avg, 1)

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

    @property
    def links(self) -> bool:
        """Figures link to the ledger list only when they are current: the list filters current statuses."""
        return self.period is None


def scope_items(user: User, *, plan: Plan | None = None) -> QuerySet[Item]:
    """The items the figures count: what the ledger list shows `user` for this plan (incl. child plans)."""
    return items_filtered(user, {"plan": plan} if plan else {})


def ledger_url(*, plan: Plan | None = None, **params: Any) -> str:
    """The ledger list filtered to reproduce a figure, e.g. /ledger/?status=red&area=3."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if plan:
        query["plan"] = plan.pk
    return reverse("ledger:item_list") + ("?" + urlencode(query) if query else "")


def _status_rows(
    scope: QuerySet[Item], period: Period | None
) -> list[tuple[int, str, int | None, bool, int | None]]:
    """(item, status, percent, no_effect, lead unit) of each item in scope, now or as of a closed period."""
    if period is None:
        return list(
            ItemStatus.objects.filter(item__in=scope).values_list(
                "item_id", "status", "percent", "no_effect", "item__lead_unit_id"
            )
        )
    # The snapshot keeps the lead unit of its month; area and leaders are the item's own.
    return list(
        StatusSnapshot.objects.filter(period=period, item__in=scope).values_list(
            "item_id", "status", "percent", "no_effect", "lead_unit_id"
        )
    )


def _group(
    rows: list[tuple[int, str, int | None, bool, int | None]],
    keys_of: dict[int, list[int | None]],
    labels: dict[int, str],
    order: list[int],
    *,
    param: str,
    plan: Plan | None,
    links: bool,
    none_label: str,
) -> list[Group]:
    groups: dict[int | None, Group] = {}
    for item_id, status, percent, _no_effect, _unit in rows:
        for key in keys_of.get(item_id) or [None]:
            g = groups.get(key)
            if g is None:
                g = groups[key] = Group(key=key, label=labels.get(key, none_label) if key else none_label)
            g.counts[status] = g.counts.get(status, 0) + 1
            if percent is not None:
                g.percents.append(percent)
    out = [groups[k] for k in order if k in groups]
    if None in groups:
        out.append(groups[None])  # items without an area/unit/leader: counted, not linkable
    for g in out:
        if links and g.key is not None:
            g.url = ledger_url(plan=plan, **{param: g.key})
            g.status_urls = {s: ledger_url(plan=plan, status=s, **{param: g.key}) for s in STATUSES}
    return out


def _trend(scope: QuerySet[Item], periods: list[Period]) -> list[Group]:
    by_period = {p.pk: Group(key=p.pk, label=str(p)) for p in periods}
    rows = (
        StatusSnapshot.objects.filter(item__in=scope, period__in=periods)
        .values("period_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        by_period[r["period_id"]].counts[r["status"]] = r["n"]
    return [by_period[p.pk] for p in periods]


def _timeliness(scope: QuerySet[Item], periods: list[Period]) -> list[Timeliness]:
    """Per period, over the reports of the items in scope — the same rules as engine.unit_timeliness,
    except that a period whose deadline has not passed has nothing missing yet."""
    out = {p.pk: Timeliness(period=p) for p in periods}
    rows = (
        Report.objects.filter(item__in=scope, period__in=periods)
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
        ReportStep.objects.filter(action="return", report__item__in=scope, report__period__in=periods)
        .values("report__period_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in returns:
        out[r["report__period_id"]].returned = r["n"]
    return [out[p.pk] for p in periods]


def _recent_periods(period: Period | None) -> list[Period]:
    """The last TREND_PERIODS periods up to `period` (or up to now), oldest first."""
    qs = Period.objects.all()
    if period is not None:
        qs = qs.filter(Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month))
    return list(reversed(qs.order_by("-year", "-month")[:TREND_PERIODS]))


def dashboard(user: User, *, plan: Plan | None = None, period: Period | None = None) -> Dashboard:
    """Every figure of the dashboard for the items `user` sees, filtered by plan, now or as of a closed period."""
    if period is not None and period.state != Period.State.CLOSED:
        period = None  # an open period's snapshots still move: show the current statuses instead
    return figures(scope_items(user, plan=plan), plan=plan, period=period)


def city_scope() -> QuerySet[Item]:
    """Every item of the city's ledger: what the office's unfiltered ledger list shows (archived items left
    out, as `items_filtered` does), without needing a user — the bulletin's scope."""
    return Item.objects.filter(is_archived=False)


def figures(
    scope: QuerySet[Item],
    *,
    plan: Plan | None = None,
    period: Period | None = None,
    periods: list[Period] | None = None,
) -> Dashboard:
    """The figures over `scope`: now (period None) or as of a closed period's snapshots.

    `periods` are the months of the trend and timeliness (default: the last TREND_PERIODS up to `period`).
    """
    links = period is None
    rows = _status_rows(scope, period)
    item_ids = [r[0] for r in rows]

    status = Group(key=None, label=str(_("全部")))
    for _item, st, percent, _ne, _unit in rows:
        status.counts[st] = status.counts.get(st, 0) + 1
        if percent is not None:
            status.percents.append(percent)
    if links:
        status.url = ledger_url(plan=plan)
        status.status_urls = {s: ledger_url(plan=plan, status=s) for s in STATUSES}
    total = scope.count() if links else len(rows)

    item_area = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "area_id"))
    area_of: dict[int, list[int | None]] = {i: [a] for i, a in item_area.items()}
    areas = list(Area.objects.filter(pk__in={a for a in item_area.values() if a}))
    unit_of: dict[int, list[int | None]] = {r[0]: [r[4]] for r in rows}
    units = list(Unit.objects.filter(pk__in={r[4] for r in rows if r[4]}))
    leader_of: dict[int, list[int | None]] = defaultdict(list)
    for item_id, leader_id in Item.leaders.through.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "leader_id"
    ):
        leader_of[item_id].append(leader_id)
    leaders = list(Leader.objects.filter(pk__in={k for v in leader_of.values() for k in v if k}))

    periods = _recent_periods(period) if periods is None else periods
    return Dashboard(
        plan=plan,
        period=period,
        total=total,
        status=status,
        unrated=max(total - status.total, 0),
        no_effect=sum(1 for r in rows if r[3]),
        by_area=_group(
            rows,
            area_of,
            {a.pk: a.name for a in areas},
            [a.pk for a in areas],
            param="area",
            none_label=str(_("未分领域")),
            plan=plan,
            links=links,
        ),
        by_unit=_group(
            rows,
            unit_of,
            {u.pk: u.name for u in units},
            [u.pk for u in units],
            param="lead_unit",
            none_label=str(_("未定牵头单位")),
            plan=plan,
            links=links,
        ),
        by_leader=_group(
            rows,
            dict(leader_of),
            {ld.pk: ld.name for ld in leaders},
            [ld.pk for ld in leaders],
            param="leader",
            none_label=str(_("无领衔领导")),
            plan=plan,
            links=links,
        ),
        # Only closed periods: an open period's snapshots are not taken yet or still move.
        trend=_trend(scope, [p for p in periods if p.state == Period.State.CLOSED]),
        timeliness=_timeliness(scope, periods),
    )
