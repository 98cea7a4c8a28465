"""Reads of the monthly standings: the list, one standing's table by unit kind (a page of units at a
time), a unit's explained line beside its peers and its previous month, the workbench's and the
public showcase's summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import Avg, Count, F, Max, QuerySet
from django.urls import reverse

from gandang.assessment.models import RANKED_KINDS
from gandang.assessment.selectors import KIND_LABELS, Column, SheetLine, columns
from gandang.assessment.standing_access import standings_visible_to
from gandang.assessment.standing_models import Standing, StandingLine, StandingResult
from gandang.core import numbers
from gandang.core.paging import deferred_page
from gandang.dispatch.models import Period
from gandang.org.models import User

PER_PAGE = 50  # units of one kind on a page of a standing


def standing_list(user: User) -> QuerySet[Standing]:
    return standings_visible_to(user).select_related("period").order_by("-period__year", "-period__month")


def own_results(user: User, standings: list[Standing]) -> dict[int, StandingResult]:
    """A unit member's own result in each of `standings` (one query for the page shown)."""
    if not (user.is_unit_member and user.unit_id):
        return {}
    return {
        r.standing_id: r
        for r in StandingResult.objects.filter(
            standing__in=[s.pk for s in standings], unit_id=user.unit_id
        ).select_related("standing")
    }


def periods_to_compute(limit: int = 24) -> list[Period]:
    """Closed periods without a standing, or with one not yet published: what the office may compute."""
    return list(
        Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED)
        .exclude(standing__state=Standing.State.PUBLISHED)
        .order_by("-year", "-month")[:limit]
    )


def kinds_of(standing: Standing) -> list[tuple[str, str, int]]:
    """(kind, label, units ranked) for each kind of unit ranked in the standing, in the usual order."""
    counts = dict(
        standing.results.values_list("unit_kind")
        .annotate(n=Count("id"))
        .values_list("unit_kind", "n")
        .order_by()
    )
    return [(k, str(KIND_LABELS[k]), counts[k]) for k in RANKED_KINDS if counts.get(k)]


@dataclass
class TableRow:
    result: StandingResult
    cells: list[tuple[Column, Decimal | None, int]]  # column, points, records behind them


@dataclass
class Table:
    kind: str
    label: str
    columns: list[Column]
    page: Page
    rows: list[TableRow] = field(default_factory=list)


def table(standing: Standing, kind: str, page_number: Any) -> Table:
    """A page of the units of `kind`, best first, with their points on each indicator."""
    results = (
        StandingResult.objects.filter(standing=standing, unit_kind=kind)
        .select_related("standing")  # its movement reads whether it was compared with last month
        .order_by("rank", "unit_name", "unit_id")
    )
    page = deferred_page(results, page_number, per_page=PER_PAGE)
    unit_ids = [r.unit_id for r in page.object_list]
    cells = {
        (unit_id, ind_id): (points, len(evidence or []))
        for unit_id, ind_id, points, evidence in StandingLine.objects.filter(
            standing=standing, unit_id__in=unit_ids
        ).values_list("unit_id", "indicator_id", "points", "evidence")
    }
    cols = columns(standing.config, kind)
    t = Table(kind=kind, label=str(KIND_LABELS.get(kind, kind)), columns=cols, page=page)
    for r in page.object_list:
        row = [(c, *cells.get((r.unit_id, c.id), (None, 0))) for c in cols]
        t.rows.append(TableRow(result=r, cells=row))
    return t


@dataclass
class StandingSheet:
    result: StandingResult
    lines: list[SheetLine]
    peers: int
    above: StandingResult | None
    below: StandingResult | None
    previous: Standing | None


def sheet(result: StandingResult, user: User) -> StandingSheet:
    """A unit's lines with the records behind each, its kind's average and best on each indicator, its
    points on each in the standing its movement is measured against (last month's, published), and its
    neighbours in the ranking."""
    standing = result.standing
    peers = StandingResult.objects.filter(standing=standing, unit_kind=result.unit_kind)
    stats = {
        row["indicator_id"]: row
        for row in StandingLine.objects.filter(standing=standing, unit_id__in=peers.values("unit_id"))
        .values("indicator_id")
        .annotate(avg=Avg("points"), best=Max("points"))
        .order_by()
    }
    # Last month is the standing the movement is measured against (published), not one the unit never saw.
    previous = (
        standings_visible_to(user).filter(pk=standing.compared_with_id).first()
        if standing.compared_with_id is not None
        else None
    )
    before = (
        dict(
            StandingLine.objects.filter(standing=previous, unit_id=result.unit_id).values_list(
                "indicator_id", "points"
            )
        )
        if previous is not None
        else {}
    )
    reports_url = reverse("dispatch:period_detail", args=[standing.period_id]) + f"?unit={result.unit_id}"
    lines = []
    for line in StandingLine.objects.filter(standing=standing, unit_id=result.unit_id).order_by(
        "order", "indicator_id"
    ):
        st = stats.get(line.indicator_id, {})
        lines.append(
            SheetLine(
                line=line,  # type: ignore[arg-type]  # the assessment's line partial reads either kind
                kind_average=numbers.half_up(st.get("avg") or 0, 2),
                kind_best=Decimal(st.get("best") or 0),
                objections=[],
                previous=before.get(line.indicator_id),
                reports_url=reports_url if line.rule == "reporting" else "",
            )
        )
    return StandingSheet(
        result=result,
        lines=lines,
        peers=peers.count(),
        above=peers.filter(rank__lt=result.rank).order_by("-rank", "unit_name").first(),
        below=peers.filter(rank__gt=result.rank).order_by("rank", "unit_name").first(),
        previous=previous,
    )


def latest_published() -> Standing | None:
    return (
        Standing.objects.filter(state=Standing.State.PUBLISHED)
        .select_related("period")
        .order_by("-period__year", "-period__month")
        .first()
    )


def todos(user: User) -> dict[str, Any]:
    """The workbench's: the office's standings to publish; a unit's own line in the latest published one."""
    out: dict[str, Any] = {}
    if user.is_office:
        waiting = Standing.objects.filter(state=Standing.State.COMPUTED).order_by(
            "period__year", "period__month"
        )
        out["st_to_publish"] = waiting.count()
        out["st_first_to_publish"] = waiting.values_list("pk", flat=True).first()
        return out
    latest = latest_published()
    if latest is None:
        return out
    out["st_latest"] = latest
    if user.is_unit_member and user.unit_id:
        out["st_mine"] = (
            StandingResult.objects.filter(standing=latest, unit_id=user.unit_id)
            .select_related("standing")
            .first()
        )
    return out


TOP = 3
NAMED = 5  # units named per kind on the showcase


def showcase_summary() -> dict[str, Any] | None:
    """The public showcase's summary of the latest standing the office chose to show: each kind's first
    three and the units that rose most since last month."""
    standing = (
        Standing.objects.filter(state=Standing.State.PUBLISHED, on_showcase=True)
        .select_related("period")
        .order_by("-period__year", "-period__month")
        .first()
    )
    if standing is None:
        return None
    results = list(
        StandingResult.objects.filter(standing=standing, rank__lte=TOP).order_by(
            "unit_kind", "rank", "unit_name"
        )
    )
    # Movement is counted in the database: a province's thousands of units are not read for six names.
    risers = list(
        StandingResult.objects.filter(standing=standing, previous_rank__isnull=False)
        .annotate(gain=F("previous_rank") - F("rank"))
        .filter(gain__gt=0)
        .order_by("unit_kind", "-gain", "rank")
    )
    groups = []
    for k in RANKED_KINDS:
        top = [r for r in results if r.unit_kind == k]
        if not top:
            continue
        rise = [r for r in risers if r.unit_kind == k][:TOP]
        # Ties can put many units at third: name a few, count the rest.
        groups.append(
            {"label": str(KIND_LABELS[k]), "top": top[:NAMED], "more": len(top) - NAMED, "risers": rise}
        )
    return {"standing": standing, "groups": groups}
