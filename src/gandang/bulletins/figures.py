"""The quarter's figures for the bulletin (季通报), read from the period snapshots and reports.

The status figures come from `selectors.figures`, the same code behind the dashboard and (for the
current statuses) the ledger list, applied to the quarter-end snapshots of the whole city.

Each plan on its own cycle. The quarter counts the city's months (月调度) and the plans' own periods
whose spans end in it (a quarterly plan's 第三季度, a half-yearly plan's 上半年 in Q2 or 下半年 in Q4, a
yearly plan's 年度 in Q4), each with its own deadline:
- the statuses at the quarter's end read a plan's items from its period of the quarter, judged on its
  report (`quarter_end`), so lagging and completed items, the distribution and the leaders' items count
  them as their own report left them;
- the timeliness (按时报送率) counts the reports due in the quarter: the closed months' and those of each
  plan's period once its deadline has passed (a report due 4月25日 is due in the first quarter's
  bulletin), per unit together and per plan period on its own line (《…》按季度报送，本季度应报N项…);
- a plan's period of the quarter still before its deadline is named as still being reported, and the
  bulletin is complete (issuable) only when the three months and the plans' periods of the quarter are
  closed (a plan's span never opened is named too).
A city with monthly plans only has no plan periods: its bulletin is what it always was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from gandang.achievements.models import Experience, Honor, Pilot, Promotion, PromotionLevel
from gandang.achievements.selectors import COUNTED
from gandang.bulletins import completed, lagging, quarter_end, selectors
from gandang.bulletins.lagging import LaggingCounts
from gandang.bulletins.quarter import Quarter
from gandang.dispatch import selectors as dispatch_selectors
from gandang.dispatch.models import Period, Report, ReportStep, StatusSnapshot
from gandang.ledger import cycles
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Item, Plan
from gandang.org.models import Unit
from gandang.supervision import selectors as supervision
from gandang.supervision.selectors import SupervisionSummary


@dataclass
class ItemLine:
    """An item named in the bulletin: its code, title, lead units as of the snapshot (the first, then
    the joint leads, joined with 、), status and reason."""

    item_id: int
    code: str
    title: str
    unit: str
    status: str
    reason: str
    plan_id: int = 0
    plan: str = (
        ""  # the plan's name without its year ("营商环境行动方案"): codes are unique within a plan only
    )


@dataclass
class PromotedExperience:
    """An adopted experience promoted at province level or above within the quarter."""

    experience_id: int
    title: str
    units: list[str]
    levels: list[str]  # names of the levels it reached this quarter, highest first
    outlets: list[str]  # where it was published, highest level first


@dataclass
class PassedPilot:
    pilot_id: int
    name: str
    level: str  # 国家级 / 省级 / 市级
    unit: str
    granted_by: str
    evaluated_on: date


@dataclass
class HonorLine:
    honor_id: int
    name: str
    level: str
    unit: str
    granted_by: str
    on: date


@dataclass(kw_only=True)
class _ReportCounts:
    """On time, late, missing and returned reports, and how many were due."""

    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing


@dataclass(kw_only=True)
class UnitTimeliness(_ReportCounts):
    unit_id: int
    unit: str


@dataclass(kw_only=True)
class PlanTimeliness(_ReportCounts):
    """The reports of one plan's period of the quarter (a plan reporting on its own cycle)."""

    period: Period


@dataclass
class QuarterFigures:
    quarter: Quarter
    periods: dict[int, Period | None]  # month → its period, None when the month was never opened
    end_period: Period | None  # the last closed period of the quarter: its snapshots are the "quarter end"
    baseline: Period | None  # the last closed period before the quarter (what "became done" compares with)
    figures: selectors.Dashboard | None
    completed: list[ItemLine] = field(default_factory=list)  # the ones named: at most N, in ledger order
    completed_total: int = 0  # all of them
    completed_url: str = ""  # the ledger list of all of them
    lagging: list[ItemLine] = field(default_factory=list)  # the ones named: the worst, at most N
    lagging_counts: LaggingCounts = field(default_factory=LaggingCounts)  # all of them
    timeliness: list[UnitTimeliness] = field(default_factory=list)
    supervision: SupervisionSummary | None = None
    leader_led: dict[str, int] = field(
        default_factory=dict
    )  # items led by city leaders, by status (each once)
    # Achievements of the quarter (工作亮点): they have no monthly snapshot, so they are read by date.
    promoted: list[PromotedExperience] = field(default_factory=list)
    pilots_passed: list[PassedPilot] = field(default_factory=list)
    honors: list[HonorLine] = field(default_factory=list)
    # The plans' own periods whose spans end in the quarter (counted once due), their timeliness, and
    # the spans of the quarter a plan on its own cycle should have had but never opened ("2023年第一季度（…）").
    plan_periods: list[Period] = field(default_factory=list)
    plan_timeliness: list[PlanTimeliness] = field(default_factory=list)
    plan_spans_missing: list[str] = field(default_factory=list)

    @property
    def counted_plan_periods(self) -> list[Period]:
        return [p for p in self.plan_periods if quarter_end.is_counted(p)]

    @property
    def pending_plan_periods(self) -> list[Period]:
        """The plans' periods of the quarter whose reports are not due yet: not counted."""
        return [p for p in self.plan_periods if not quarter_end.is_counted(p)]

    @property
    def unclosed_plan_periods(self) -> list[Period]:
        return [p for p in self.plan_periods if p.state != Period.State.CLOSED]

    @property
    def closed_periods(self) -> list[Period]:
        return [p for p in self.periods.values() if p is not None and p.state == Period.State.CLOSED]

    @property
    def open_months(self) -> list[int]:
        return [m for m, p in self.periods.items() if p is not None and p.state != Period.State.CLOSED]

    @property
    def missing_months(self) -> list[int]:
        return [m for m, p in self.periods.items() if p is None]

    @property
    def lagging_more(self) -> int:
        """Lagging items the bulletin counts without naming them (另有M项)."""
        return self.lagging_counts.total - len(self.lagging)

    @property
    def completed_more(self) -> int:
        """Completed items the bulletin counts without naming them (另有M项)."""
        return self.completed_total - len(self.completed)

    @property
    def complete(self) -> bool:
        """All three months and the plans' periods of the quarter closed (none missing): only then are the
        quarter's figures final and the bulletin issuable."""
        return (
            len(self.closed_periods) == 3 and not self.unclosed_plan_periods and not self.plan_spans_missing
        )

    @property
    def timeliness_total(self) -> UnitTimeliness:
        t = UnitTimeliness(unit_id=0, unit="")
        for row in self.timeliness:
            t.on_time += row.on_time
            t.late += row.late
            t.missing += row.missing
            t.returned += row.returned
        return t


def plan_label(plan: Plan) -> str:
    """A plan as a table cell: its name without the year the quarter already gives (2023年营商环境… → 营商环境…)."""
    return _plan_label(plan.name, plan.year)


def _plan_label(name: str, year: int) -> str:
    name = name.strip()
    prefix = f"{year}年"
    return name[len(prefix) :].strip() if name.startswith(prefix) and len(name) > len(prefix) else name


_LINE_FIELDS = (
    "pk",
    "item_id",
    "item__code",
    "item__title",
    "lead_unit__name",
    "status",
    "reason",
    "item__plan_id",
    "item__plan__name",
    "item__plan__year",
)


_LEDGER_ORDER = ("item__plan_id", "item__seq", "item__code")


def _lines(snapshots: QuerySet[StatusSnapshot]) -> list[ItemLine]:
    """The items of these snapshots as the bulletin names them, in their order (else ledger order:
    plan, number, code)."""
    if not snapshots.query.order_by:
        snapshots = snapshots.order_by(*_LEDGER_ORDER)
    rows = list(snapshots.values_list(*_LINE_FIELDS))
    # 共同牵头单位 as of the snapshot (a later change in the ledger does not rewrite a closed period), one query
    joint = dispatch_selectors.snapshot_joint_lead_names([row[0] for row in rows])
    return [
        ItemLine(
            item_id=item_id,
            code=code,
            title=title,
            unit="、".join(name for name in (unit, *joint.get(snapshot_id, [])) if name),
            status=status,
            reason=reason,
            plan_id=plan_id,
            plan=_plan_label(plan_name, plan_year),
        )
        for snapshot_id, item_id, code, title, unit, status, reason, plan_id, plan_name, plan_year in rows
    ]


def _snapshots(period: Period, plans: list[Period]) -> QuerySet[StatusSnapshot]:
    return quarter_end.snapshots(period, plans).filter(selectors.city_scope().via("item"))


def quarter_figures(quarter: Quarter) -> QuarterFigures:
    """Every figure the bulletin of `quarter` states, from closed periods only (open months are reported as such).

    Labels inside the figures ("未分领域") are the bulletin's words: in the product's language, whatever
    language the office user's screens are in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _quarter_figures(quarter)


def _quarter_figures(quarter: Quarter) -> QuarterFigures:
    by_month = {
        p.month: p
        for p in Period.objects.filter(plan__isnull=True, year=quarter.year, month__in=quarter.months)
    }
    periods = {m: by_month.get(m) for m in quarter.months}
    closed = [p for p in periods.values() if p is not None and p.state == Period.State.CLOSED]
    end = closed[-1] if closed else None
    baseline = completed.baseline(quarter)
    out = QuarterFigures(quarter=quarter, periods=periods, end_period=end, baseline=baseline, figures=None)
    out.plan_periods = quarter_end.plan_periods(quarter.year, quarter.months)
    out.plan_spans_missing = _plan_spans_missing(quarter, out.plan_periods)
    plans_counted = out.counted_plan_periods
    if plans_counted:
        out.plan_timeliness = [
            PlanTimeliness(
                period=t.period, on_time=t.on_time, late=t.late, missing=t.missing, returned=t.returned
            )
            for t in selectors.period_timeliness(selectors.city_scope(), plans_counted)
        ]
    out.supervision = supervision.summary(quarter.start, quarter.end)
    out.promoted = promoted_experiences(quarter)
    out.pilots_passed = pilots_passed(quarter)
    out.honors = honors_received(quarter)
    if end is None:
        if plans_counted:
            out.timeliness = _timeliness(plans_counted, selectors.city_scope())
        return out
    # The year's closed months up to the quarter's end: the monthly trend and the timeliness by month.
    year_periods = list(
        Period.objects.filter(
            plan__isnull=True, year=quarter.year, month__lte=quarter.months[-1], state=Period.State.CLOSED
        ).order_by("month")
    )
    # The statuses at the quarter's end: the month's, a plan's items from its period of the quarter.
    at_end = _snapshots(end, [p for p in plans_counted if p.month <= end.month])
    out.figures = selectors.figures(selectors.city_scope(), period=end, periods=year_periods, statuses=at_end)
    # Done now and not yet done at the baseline: named up to a limit, every one of them counted.
    done = completed.newly_done(at_end, completed.baseline_snapshots(baseline))
    named = completed.named_limit()
    out.completed = _lines(done.order_by(*_LEDGER_ORDER)[:named]) if named else []
    out.completed_total = len(out.completed) if len(out.completed) < named else done.count()
    out.completed_url = completed.ledger_url(end)
    # The worst lagging items by name, every one of them counted (a province has thousands).
    out.lagging = _lines(lagging.worst_first(at_end, end)[: lagging.named_limit()])
    out.lagging_counts = lagging.counts(at_end)
    out.lagging_counts.url = lagging.ledger_url(end)
    led = Exists(Item.leaders.through.objects.filter(item_id=OuterRef("item_id")))
    out.leader_led = dict(
        at_end.filter(led).values("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    out.timeliness = _timeliness([*closed, *plans_counted], selectors.city_scope())
    return out


def _plan_spans_missing(quarter: Quarter, have: list[Period]) -> list[str]:
    """The spans ending in `quarter` of the year's plans on their own cycle never opened, though the plan
    had tasks by the span's deadline (a plan imported after it was due had nothing to report for it)."""
    opened = {(p.plan_id, p.month) for p in have}
    plans = (
        Plan.objects.filter(year=quarter.year, is_archived=False)
        .exclude(cycle=Cycle.MONTHLY)
        .annotate(first_task=Min("items__created_at", filter=Q(items__is_archived=False)))
        .filter(first_task__isnull=False)
        .order_by("name", "pk")
    )
    out = []
    for plan in plans:
        for month in cycles.SPAN_ENDS.get(plan.cycle, ()):
            due = cycles.deadline_of(plan.cycle, plan.deadlines, quarter.year, month)
            if (
                month in quarter.months
                and (plan.pk, month) not in opened
                and timezone.localdate(plan.first_task) <= due
            ):
                out.append(f"{cycles.span_label(plan.cycle, quarter.year, month)}（{plan.name}）")
    return out


# -- achievements of the quarter (工作亮点) -------------------------------------------------------------

# Promotions from this level up are highlights: a city outlet publishing the city's own experience is not.
HIGHLIGHT_LEVEL = "province"


def promoted_experiences(quarter: Quarter) -> list[PromotedExperience]:
    """Adopted (or published) experiences promoted at province level or above within the quarter,
    highest level first; an experience promoted several times is one line with all its outlets."""
    floor = PromotionLevel.objects.filter(key=HIGHLIGHT_LEVEL).values_list("rank", flat=True).first()
    promos = (
        Promotion.objects.filter(
            date__range=(quarter.start, quarter.end),
            level__rank__gte=floor if floor is not None else 2,
            experience__state__in=COUNTED,
        )
        .select_related("experience", "level", "outlet")
        .order_by("-level__rank", "date", "id")
    )
    by_exp: dict[int, PromotedExperience] = {}
    for p in promos:
        line = by_exp.get(p.experience_id)
        if line is None:
            line = by_exp[p.experience_id] = PromotedExperience(
                experience_id=p.experience_id, title=p.experience.title, units=[], levels=[], outlets=[]
            )
        if p.level.name not in line.levels:
            line.levels.append(p.level.name)
        if p.outlet.name not in line.outlets:
            line.outlets.append(p.outlet.name)
    units: dict[int, list[str]] = defaultdict(list)
    for exp_id, name in (
        Experience.units.through.objects.filter(experience_id__in=by_exp)
        .order_by("unit__sort_order", "unit__name")
        .values_list("experience_id", "unit__name")
    ):
        units[exp_id].append(name)
    for line in by_exp.values():
        line.units = units[line.experience_id]
    return list(by_exp.values())


def pilots_passed(quarter: Quarter) -> list[PassedPilot]:
    """Pilots that passed their evaluation (评估验收) within the quarter, national first."""
    order = {v: i for i, v in enumerate(Pilot.PilotLevel.values)}
    pilots = Pilot.objects.filter(
        state=Pilot.State.PASSED, evaluated_on__range=(quarter.start, quarter.end)
    ).select_related("lead_unit")
    rows = sorted(pilots, key=lambda p: (order.get(p.level, 99), p.evaluated_on, p.pk))
    return [
        PassedPilot(
            pilot_id=p.pk,
            name=p.name,
            level=str(p.get_level_display()),
            unit=p.lead_unit.name,
            granted_by=p.granted_by,
            evaluated_on=p.evaluated_on or quarter.end,
        )
        for p in rows
    ]


def honors_received(quarter: Quarter) -> list[HonorLine]:
    """Honors the city's units received within the quarter, highest level first."""
    order = {v: i for i, v in enumerate(Honor.HonorLevel.values)}
    honors = Honor.objects.filter(date__range=(quarter.start, quarter.end)).select_related("unit")
    rows = sorted(honors, key=lambda h: (order.get(h.level, 99), h.date, h.pk))
    return [
        HonorLine(
            honor_id=h.pk,
            name=h.name,
            level=str(h.get_level_display()),
            unit=h.unit.name,
            granted_by=h.granted_by,
            on=h.date,
        )
        for h in rows
    ]


def unit_timeliness(periods: list[Period], scope: selectors.Scope) -> dict[int, dict[str, int]]:
    """Per unit: on time, late, missing and returned over `periods`, counting only the reports of the
    items in `scope` — the rules of dispatch's engine.unit_timeliness, over the bulletin's items (archived
    items left out, as the dashboard leaves them out)."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("on_time", "late", "missing", "returned"), 0)
    )
    rows = (
        Report.objects.filter(scope.via("item"), period__in=periods)
        .values("unit_id")
        .annotate(
            on_time=Count("id", filter=Q(submitted_at__isnull=False, is_late=False)),
            late=Count("id", filter=Q(submitted_at__isnull=False, is_late=True)),
            missing=Count("id", filter=Q(submitted_at__isnull=True)),
        )
        .order_by()
    )
    for r in rows:
        c = counts[r["unit_id"]]
        c["on_time"], c["late"], c["missing"] = r["on_time"], r["late"], r["missing"]
    returns = (
        ReportStep.objects.filter(scope.via("report__item"), action="return", report__period__in=periods)
        .values("report__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in returns:
        counts[r["report__unit_id"]]["returned"] = r["n"]
    return dict(counts)


def _timeliness(periods: list[Period], scope: selectors.Scope) -> list[UnitTimeliness]:
    """Per unit over the quarter's closed periods and the bulletin's items, by the dispatch rules."""
    rows: dict[int, UnitTimeliness] = {}
    counts = unit_timeliness(periods, scope)
    names = {u.pk: u for u in Unit.objects.filter(pk__in=counts)}
    for unit_id, c in counts.items():
        rows[unit_id] = UnitTimeliness(unit_id=unit_id, unit=names[unit_id].name, **c)
    # Worst first (missing, then late, then returned), then the office's order of units.
    order = {u.pk: i for i, u in enumerate(sorted(names.values(), key=lambda u: (u.sort_order, u.name)))}
    return sorted(rows.values(), key=lambda r: (-r.missing, -r.late, -r.returned, order[r.unit_id]))
