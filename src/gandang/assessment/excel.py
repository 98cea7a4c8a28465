"""A run as one Excel workbook: a ranking sheet per unit kind, then a detail sheet with every line's evidence."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gandang.assessment import selectors
from gandang.assessment.models import Run, ScoreLine
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
