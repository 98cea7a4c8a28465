"""The records an assessment or a monthly standing scores from, read once and grouped by unit.

A window of time: a year (the annual assessment, `gather`) or one closed dispatch period (the monthly
standing, `gather_period`). The rules (`rules.py`) read only this: no query per unit or per
indicator, and the same records give the same points. Lists are in a fixed order so that
explanations and evidence are stable.

Plans that report on their own cycle (按季度、按半年、按年, `ledger.cycles`) have periods of their own,
and their reports count as the city's months' do, each judged by its own period's deadline (late when
signed off after it, missing when not signed off by it):
- the year (`gather`): the reports of every period of the year, the city's months and each plan's
  spans (一季度 … 全年), as the city's months always counted, the open ones included (a flag is set
  when it happens: late on submission, missing once the deadline has passed);
- a month's standing (`gather_period`): the city's month's reports and those of each plan's period that
  ends in that month, a period ending on the later of its span's last day and its deadline
  (`Period.ends_on`): 一季度 due 4月25日 counts in April's standing, a 全年 period due 11月25日 in
  December's, a 上半年 due 7月10日 in July's. A plan's period ends no later than the month it counts in,
  so the calendar has closed it (and marked its missing reports) when that month's standing is computed.
The explanation of a unit's reporting names how many of its reports were in plans' periods
(`plan_reports`), and each flagged report's line names its period (2023年第二季度（方案名）).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from gandang.achievements.models import Experience, Honor, Pilot, Promotion
from gandang.assessment.models import ManualScore, Scheme
from gandang.dispatch.models import Period, Report, ReportStep, StatusSnapshot
from gandang.information.models import Issue, PartnerUse, Piece
from gandang.matters.models import Instruction
from gandang.supervision.models import Letter, Listing

LETTER_KINDS = ("reminder", "supervision")


@dataclass
class Records:
    year: int
    # The window's first and last days: records dated inside it count (listings, letters, promotions…).
    start: date = date.min
    end: date = date.max
    # The window's kind, "year" or "month": the explanations name it (本年度, 本月).
    span: str = "year"
    # The period whose statuses count: the year's last closed period, or the standing's own period.
    period: Period | None = None
    # Whether `period` is the window's last (December for a year): if not, the rules say so.
    december_closed: bool = False
    snapshots: dict[int, list[StatusSnapshot]] = field(default_factory=dict)
    reports: dict[int, list[Report]] = field(default_factory=dict)  # flagged reports; `.returns` set
    report_counts: dict[int, int] = field(default_factory=dict)
    # Of those, the reports in plans' own periods: {unit id: [(period, its reports in it)]}, in order.
    plan_reports: dict[int, list[tuple[Period, int]]] = field(default_factory=dict)
    listings: dict[int, list[Listing]] = field(default_factory=dict)
    letters: dict[int, list[Letter]] = field(default_factory=dict)
    promotions: dict[int, list[Promotion]] = field(default_factory=dict)
    pilots: dict[int, list[Pilot]] = field(default_factory=dict)
    honors: dict[int, list[Honor]] = field(default_factory=dict)
    # Leaders' praising instructions (肯定性批示) naming the unit or an item it leads.
    praise: dict[int, list[Instruction]] = field(default_factory=dict)
    # Reform information of the unit the office adopted in the window (by the day it adopted it), and that
    # printed in an issue of the periodical issued in the window (by the issue's date): each counts in the
    # month it happened, so a piece adopted or printed after the month it was sent still scores once.
    pieces: dict[int, list[Piece]] = field(default_factory=dict)
    printed: dict[int, list[Piece]] = field(default_factory=dict)
    # The partners of 两办两研 using the unit's pieces in their publications in the window (by the day used),
    # withdrawn uses left out: each a promotion of the unit's information.
    partner_uses: dict[int, list[PartnerUse]] = field(default_factory=dict)
    manual: dict[tuple[int, int], list[ManualScore]] = field(default_factory=dict)

    def within(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


YearRecords = Records  # the annual assessment's name for it


def _group(rows, key) -> dict:
    out: dict = defaultdict(list)
    for r in rows:
        out[key(r)].append(r)
    return dict(out)


def year_end_period(year: int) -> Period | None:
    return (
        Period.objects.filter(plan__isnull=True, year=year, state=Period.State.CLOSED)
        .order_by("-month")
        .first()
    )


def gather(scheme: Scheme) -> Records:
    """Everything of `scheme.year` that any rule may score, grouped by unit id."""
    year = scheme.year
    rec = Records(year=year, start=date(year, 1, 1), end=date(year, 12, 31), span="year")
    rec.period = year_end_period(year)
    rec.december_closed = rec.period is not None and rec.period.month == 12
    snaps = StatusSnapshot.objects.filter(period=rec.period, item__plan__year=year) if rec.period else None
    _fill(rec, Report.objects.filter(period__year=year), snaps, scheme)
    return rec


def plan_periods_ending_in(period: Period) -> list[Period]:
    """The plans' own periods that end in the city's month `period` (see the module's docstring)."""
    if period.plan_id is not None:
        return []
    candidates = Period.objects.filter(plan__isnull=False, year__in=[period.year - 1, period.year]).filter(
        Q(month__lte=period.month) | Q(year=period.year - 1)
    )
    return [p for p in candidates if period.first_day <= p.ends_on <= period.last_day]


def gather_period(period: Period) -> Records:
    """Everything of one closed dispatch period that a standing's rules may score: its reports and
    their returns (with those of the plans' periods ending in its month), the statuses at its end, and
    what is dated in its month. No manual scores: a standing shows what the records show."""
    rec = Records(year=period.year, start=period.first_day, end=period.last_day, span="month", period=period)
    rec.december_closed = True  # the period is the whole window
    periods = [period.pk] + [p.pk for p in plan_periods_ending_in(period)]
    _fill(rec, Report.objects.filter(period__in=periods), StatusSnapshot.objects.filter(period=period), None)
    return rec


def _fill(
    rec: Records,
    window_reports: QuerySet[Report],
    snapshots: QuerySet[StatusSnapshot] | None,
    scheme: Scheme | None,
) -> None:
    """Read into `rec` what the rules score: the window's reports (with their returns), the snapshots
    whose statuses count, and what is dated between `rec.start` and `rec.end`."""
    start, end = rec.start, rec.end
    if snapshots is not None:
        snaps = (
            snapshots.filter(item__is_archived=False, lead_unit__isnull=False)
            .select_related("item")
            .order_by("item__plan_id", "item__seq", "item__code", "item_id")
        )
        rec.snapshots = _group(snaps, lambda s: s.lead_unit_id)

    returns = dict(
        ReportStep.objects.filter(report__in=window_reports.values("pk"), action="return")
        .values_list("report_id")
        .annotate(n=Count("id"))
        .values_list("report_id", "n")
    )
    flagged = (
        window_reports.filter(
            Q(is_late=True)
            | Q(is_missing=True, submitted_at__isnull=True)
            | Q(is_copy=True)
            | Q(pk__in=list(returns))
        )
        .select_related("period__plan", "item")
        .only(
            "id",
            "unit_id",
            "is_late",
            "is_missing",
            "is_copy",
            "copy_confirmed",
            "submitted_at",
            "period__year",
            "period__month",
            "period__cycle",
            "period__plan__name",
            "item__code",
            "item__title",
        )
        .order_by(
            "period__year",
            "period__month",
            F("period__plan_id").asc(nulls_first=True),  # the city's month before the plans' spans
            "item__plan_id",
            "item__seq",
            "item__code",
            "id",
        )
    )
    reports = list(flagged)
    for r in reports:
        r.returns = returns.get(r.pk, 0)  # type: ignore[attr-defined]
    rec.reports = _group(reports, lambda r: r.unit_id)
    rec.report_counts = dict(
        window_reports.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    in_plans = list(
        window_reports.filter(period__plan__isnull=False)
        .values_list("unit_id", "period_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "period_id", "n")
        .order_by()
    )
    plan_periods = Period.objects.select_related("plan").in_bulk({p for _u, p, _n in in_plans})
    by_unit_plans: dict[int, list[tuple[Period, int]]] = defaultdict(list)
    for unit_id, period_id, n in in_plans:
        by_unit_plans[unit_id].append((plan_periods[period_id], n))
    rec.plan_reports = {
        u: sorted(rows, key=lambda r: (r[0].year, r[0].month, r[0].plan_id or 0))
        for u, rows in by_unit_plans.items()
    }

    listings = (
        Listing.objects.filter(listed_on__range=(start, end))
        .exclude(state=Listing.State.REVOKED)
        .select_related("item")
        .order_by("listed_on", "id")
    )
    rec.listings = _group(listings, lambda x: x.unit_id)
    letters = (
        Letter.objects.filter(issued_on__range=(start, end), kind__in=LETTER_KINDS)
        .exclude(listing__state=Listing.State.REVOKED)
        .order_by("issued_on", "id")
    )
    rec.letters = _group(letters, lambda x: x.unit_id)

    promotions = list(
        Promotion.objects.filter(
            date__range=(start, end),
            experience__state__in=[Experience.State.ADOPTED, Experience.State.PUBLISHED],
        )
        .select_related("experience", "outlet", "level")
        .order_by("date", "id")
    )
    units_of = _group(
        Experience.units.through.objects.filter(
            experience_id__in={p.experience_id for p in promotions}
        ).order_by("unit_id"),
        lambda t: t.experience_id,
    )
    by_unit: dict[int, list[Promotion]] = defaultdict(list)
    for p in promotions:
        for t in units_of.get(p.experience_id, []):  # a promotion counts for every unit of its experience
            by_unit[t.unit_id].append(p)
    rec.promotions = dict(by_unit)

    pilots = Pilot.objects.filter(
        Q(undertaken_on__range=(start, end)) | Q(state=Pilot.State.PASSED, evaluated_on__range=(start, end))
    ).order_by("undertaken_on", "id")
    rec.pilots = _group(pilots, lambda p: p.lead_unit_id)
    honors = Honor.objects.filter(date__range=(start, end)).order_by("date", "id")
    rec.honors = _group(honors, lambda h: h.unit_id)

    praise = list(
        Instruction.objects.filter(kind=Instruction.Kind.PRAISE, on__range=(start, end))
        .prefetch_related("units", "items")
        .order_by("on", "id")
    )
    praised: dict[int, list[Instruction]] = defaultdict(list)
    for ins in praise:  # once per unit, whether named or leading one of its items
        for unit_id in sorted(
            {u.pk for u in ins.units.all()} | {i.lead_unit_id for i in ins.items.all() if i.lead_unit_id}
        ):
            praised[unit_id].append(ins)
    rec.praise = dict(praised)
    adopted = Piece.objects.filter(adopted_at__date__range=(start, end)).order_by("adopted_at", "id")
    rec.pieces = _group(adopted, lambda x: x.unit_id)
    printed = (
        Piece.objects.filter(
            adopted_at__isnull=False, issue__state=Issue.State.ISSUED, issue__issued_on__range=(start, end)
        )
        .select_related("issue")
        .order_by("issue__issued_on", "id")
    )
    rec.printed = _group(printed, lambda x: x.unit_id)
    uses = (
        PartnerUse.objects.filter(used_on__range=(start, end), withdrawn_at__isnull=True)
        .select_related("piece", "unit")
        .order_by("used_on", "id")
    )
    rec.partner_uses = _group(uses, lambda u: u.piece.unit_id)

    if scheme is not None:
        manual = (
            ManualScore.objects.filter(scheme=scheme, is_void=False).select_related("by").order_by("at", "id")
        )
        rec.manual = _group(manual, lambda m: (m.unit_id, m.indicator_id))
