"""Reads of the assessment: a run's ranking per unit kind, and a unit's score sheet with its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from gandang.assessment.models import RANKED_KINDS, Objection, Run, Scheme, ScoreLine, UnitResult
from gandang.core import numbers
from gandang.org.models import Unit

KIND_LABELS = dict(Unit.Kind.choices)


@dataclass
class Column:
    id: int
    name: str
    max_points: Decimal
    green_channel: bool
    rule: str


@dataclass
class Row:
    result: UnitResult
    cells: list[tuple[Column, Decimal | None]]  # one per column, in column order
    green_cells: list[tuple[Column, Decimal | None]]


@dataclass
class Group:
    kind: str
    label: str
    columns: list[Column]
    green_columns: list[Column]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Ranking:
    run: Run
    groups: list[Group]


def _columns(run: Run, kind: str) -> list[Column]:
    return columns(run.config, kind)


def columns(config: dict, kind: str) -> list[Column]:
    """The indicators of a run's or a standing's stored scheme that apply to units of `kind`, in order."""
    cols = [
        Column(
            id=i["id"],
            name=i["name"],
            max_points=Decimal(i["max_points"]),
            green_channel=bool(i["green_channel"]),
            rule=i["rule"],
        )
        for i in sorted(config.get("indicators", []), key=lambda i: (i["order"], i["id"]))
        if kind in i["unit_kinds"]
    ]
    return cols


def ranking(run: Run, *, kind: str | None = None) -> Ranking:
    """The run's results per unit kind (departments, counties, enterprises ranked separately)."""
    results = list(
        UnitResult.objects.filter(run=run, **({"unit_kind": kind} if kind else {})).order_by(
            "rank", "unit__sort_order", "unit_name"
        )
    )
    points = {
        (unit_id, ind_id): p
        for unit_id, ind_id, p in ScoreLine.objects.filter(run=run).values_list(
            "unit_id", "indicator_id", "points"
        )
    }
    groups = []
    for k in RANKED_KINDS:
        rows = [r for r in results if r.unit_kind == k]
        if not rows:
            continue
        cols = _columns(run, k)
        g = Group(
            kind=k,
            label=str(KIND_LABELS[k]),
            columns=[c for c in cols if not c.green_channel],
            green_columns=[c for c in cols if c.green_channel],
        )
        for r in rows:
            g.rows.append(
                Row(
                    result=r,
                    cells=[(c, points.get((r.unit_id, c.id))) for c in g.columns],
                    green_cells=[(c, points.get((r.unit_id, c.id))) for c in g.green_columns],
                )
            )
        groups.append(g)
    return Ranking(run=run, groups=groups)


@dataclass
class SheetLine:
    line: ScoreLine
    kind_average: Decimal
    kind_best: Decimal
    objections: list[Objection]
    previous: Decimal | None = None  # a standing's line: the same indicator's points the month before
    # A standing's reporting line: the month's reports of the unit (the N of 报送进展报告N份), which full
    # marks have no deduction to link.
    reports_url: str = ""


@dataclass
class Sheet:
    run: Run
    result: UnitResult
    lines: list[SheetLine]
    green_lines: list[SheetLine]
    above: UnitResult | None  # the unit ranked just above (why not higher?)
    gap_above: Decimal | None
    below: UnitResult | None
    top: UnitResult | None
    peers: int
    objections: list[Objection]


def sheet(run: Run, result: UnitResult) -> Sheet:
    """A unit's lines with the evidence behind each, how its kind did on each indicator, and its neighbours."""
    peers = list(
        UnitResult.objects.filter(run=run, unit_kind=result.unit_kind).order_by(
            "rank", "unit__sort_order", "unit_name"
        )
    )
    pos = next(i for i, r in enumerate(peers) if r.pk == result.pk)
    peer_ids = [r.unit_id for r in peers]
    by_ind: dict[int, list[Decimal]] = {}
    for ind_id, p in ScoreLine.objects.filter(run=run, unit_id__in=peer_ids).values_list(
        "indicator_id", "points"
    ):
        by_ind.setdefault(ind_id, []).append(p)
    objections = list(
        Objection.objects.filter(run=run, unit=result.unit).select_related(
            "filed_by", "answered_by", "rerun", "line"
        )
    )
    out = []
    for line in ScoreLine.objects.filter(run=run, unit=result.unit).order_by("order", "indicator_id"):
        values = by_ind.get(line.indicator_id, [Decimal(0)])
        out.append(
            SheetLine(
                line=line,
                kind_average=numbers.half_up(numbers.mean(values) or 0, 2),
                kind_best=max(values),
                objections=[o for o in objections if o.line_id == line.pk],
            )
        )
    return Sheet(
        run=run,
        result=result,
        lines=[s for s in out if not s.line.green_channel],
        green_lines=[s for s in out if s.line.green_channel],
        above=peers[pos - 1] if pos > 0 else None,
        gap_above=peers[pos - 1].total - result.total if pos > 0 else None,
        below=peers[pos + 1] if pos + 1 < len(peers) else None,
        top=peers[0] if peers and peers[0].pk != result.pk else None,
        peers=len(peers),
        objections=objections,
    )


def runs_of(scheme: Scheme) -> QuerySet[Run]:
    return scheme.runs.select_related("computed_by", "finalized_by").order_by("-number")


def current_run(scheme: Scheme) -> Run | None:
    """The run people look at: the latest finalized one, else the latest computed one."""
    runs = scheme.runs.order_by("-number")
    return runs.filter(state=Run.State.FINALIZED).first() or runs.first()


def open_objections(run: Run) -> QuerySet[Objection]:
    return Objection.objects.filter(run=run).select_related(
        "unit", "line", "filed_by", "answered_by", "rerun"
    )
