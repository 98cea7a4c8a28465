"""A run as one Excel workbook: a ranking sheet per unit kind, then a detail sheet with every line's evidence."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gandang.assessment import selectors
from gandang.assessment.models import RANKED_KINDS, Run, ScoreLine
from gandang.core.xlsx import literal_rows

HEAD_FILL = PatternFill("solid", fgColor="F2E6D9")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _num(d) -> float | None:
    return None if d is None else float(d)


def _header(ws, names: list[str], widths: list[int]) -> None:
    ws.append(names)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
        cell = ws.cell(row=ws.max_row, column=i)
        cell.font, cell.fill = BOLD, HEAD_FILL
    ws.freeze_panes = ws.cell(row=ws.max_row + 1, column=3)


def workbook(run: Run, *, base_url: str = "") -> bytes:
    ranking = selectors.ranking(run)
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for g in ranking.groups:
        ws = wb.create_sheet(f"{g.label}排名"[:31])
        ws.append([f"{run.scheme.name}（第{run.number}次计算，{run.get_state_display()}）"])
        ws.append([])
        cols = g.columns + g.green_columns
        names = ["名次", "单位", *(c.name + ("（绿色通道）" if c.green_channel else "") for c in cols)]
        names += ["考核得分", "绿色通道", "总分", "等次"]
        _header(ws, names, [6, 22, *([12] * len(cols)), 10, 10, 10, 8])
        for row in g.rows:
            r = row.result
            ws.append(
                [
                    r.rank,
                    r.unit_name,
                    *(_num(p) for _c, p in row.cells + row.green_cells),
                    _num(r.base),
                    _num(r.green),
                    _num(r.total),
                    r.grade,
                ]
            )
        if g.green_columns:
            ws.append([])
            ws.append(["绿色通道指标直接计入综合考核，单列显示并计入总分，总分决定名次和等次。"])

    ws = wb.create_sheet("得分明细")
    _header(
        ws,
        ["单位类型", "单位", "名次", "指标", "分值/上限", "得分", "计分说明", "佐证记录", "佐证分值", "链接"],
        [10, 22, 6, 18, 10, 8, 60, 50, 9, 40],
    )
    ranks = {r.unit_id: r for g in ranking.groups for r in (row.result for row in g.rows)}
    lines = ScoreLine.objects.filter(run=run).order_by(
        "unit__kind", "unit__sort_order", "unit__name", "order", "indicator_id"
    )
    for line in lines:
        res = ranks.get(line.unit_id)
        head = [
            str(selectors.KIND_LABELS.get(res.unit_kind, "")) if res else "",
            res.unit_name if res else "",
            res.rank if res else None,
            line.indicator_name + ("（绿色通道）" if line.green_channel else ""),
            _num(line.max_points),
            _num(line.points),
            line.explanation,
        ]
        if not line.evidence:
            ws.append([*head, "", None, ""])
        for i, ev in enumerate(line.evidence):
            cells = head if i == 0 else [*head[:4], None, None, ""]  # points once per line: sums stay right
            url = (base_url + ev["url"]) if ev.get("url") else ""
            ws.append([*cells, ev["label"], ev["points"], url])
        for c in ws[ws.max_row]:
            c.alignment = WRAP
    for sheet in wb.worksheets:
        literal_rows(sheet.iter_rows())  # a unit name or evidence label like "=HYPERLINK(…)" stays text
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def standing_workbook(standing) -> bytes:
    """A monthly standing's table: a sheet per unit kind with ranks, movement and points by indicator —
    what everyone who reads the published standing sees (the explanations stay on each unit's page)."""
    from gandang.assessment.standing_models import StandingLine, StandingResult
    from gandang.assessment.standing_services import movement_words

    points = {
        (u, i): p
        for u, i, p in StandingLine.objects.filter(standing=standing).values_list(
            "unit_id", "indicator_id", "points"
        )
    }
    results = list(StandingResult.objects.filter(standing=standing).order_by("rank", "unit_name", "unit_id"))
    for r in results:
        r.standing = standing  # its movement words read whether it was compared with last month
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for kind in RANKED_KINDS:
        rows = [r for r in results if r.unit_kind == kind]
        if not rows:
            continue
        label = str(selectors.KIND_LABELS[kind])
        ws = wb.create_sheet(f"{label}排名"[:31])
        ws.append([f"{standing}（{standing.get_state_display()}，计分方案：{standing.scheme.name}）"])
        ws.append([])
        cols = selectors.columns(standing.config, kind)
        _header(
            ws,
            ["名次", "单位", "上月名次", "升降", *(c.name for c in cols), "得分"],
            [6, 22, 9, 16, *([12] * len(cols)), 10],
        )
        for r in rows:
            ws.append(
                [
                    r.rank,
                    r.unit_name,
                    r.previous_rank,
                    movement_words(r),
                    *(_num(points.get((r.unit_id, c.id))) for c in cols),
                    _num(r.total),
                ]
            )
    for sheet in wb.worksheets:
        literal_rows(sheet.iter_rows())
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
