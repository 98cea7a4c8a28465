"""The achievements figures and the lists behind them as one .xlsx workbook (openpyxl)."""

from __future__ import annotations

import io

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from gandang.achievements import selectors
from gandang.achievements.models import Promotion
from gandang.core.xlsx import literal_rows
from gandang.org.models import Unit, User

BOLD = Font(bold=True)


def _sheet(ws: Worksheet, header: list[str], rows: list[list], widths: list[int]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
    for row in rows:
        ws.append(row)
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def workbook(user: User, *, year: int | None, unit: Unit | None) -> bytes:
    st = selectors.stats(user, year=year, unit=unit)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计"
    scope = f"{year}年" if year else "全部年度"
    if unit:
        scope += f"·{unit}"
    rows: list[list] = [
        [f"范围：{scope}", ""],
        ["采用的经验做法", st.adopted],
        ["其中公开展示", st.published],
    ]
    rows += [[f"{c.level}刊发推广（经验做法数）", c.experiences] for c in st.by_level]
    rows += [[f"{c.level}刊发推广（次数）", c.promotions] for c in st.by_level]
    rows += [[f"新承接{p['label']}试点", p["undertaken"]] for p in st.pilots]
    rows += [[f"{p['label']}试点通过评估验收", p["passed"]] for p in st.pilots]
    rows += [[f"荣誉：{h['label']}", h["n"]] for h in st.honors]
    _sheet(ws, ["指标", "数量"], rows, [40, 12])

    filters = {"year": year, "unit": unit, "promoted": True}
    exps = (
        selectors.experiences_filtered(user, filters)
        .prefetch_related(
            "units", Prefetch("promotions", queryset=Promotion.objects.select_related("outlet", "level"))
        )
        .order_by("-adopted_on", "id")
    )
    promo_rows = []
    for e in exps:
        for p in e.promotions.all():
            if year and p.date.year != year:
                continue
            promo_rows.append(
                [
                    e.title,
                    "、".join(u.name for u in e.units.all()),
                    str(p.level),
                    str(p.outlet),
                    p.date,
                    p.reference,
                ]
            )
    _sheet(
        wb.create_sheet("刊发推广"),
        ["经验做法", "报送单位", "层级", "刊发载体", "刊发日期", "期号/链接"],
        promo_rows,
        [40, 24, 10, 30, 12, 24],
    )

    pilots = selectors.pilots_filtered(user, {"unit": unit})
    if year:  # what the year's figures count: undertaken in it, or passed evaluation in it
        pilots = selectors.pilots_in_year(pilots, year)
    _sheet(
        wb.create_sheet("改革试点"),
        ["试点名称", "层级", "批准部门", "牵头单位", "状态", "承接日期", "评估验收日期"],
        [
            [
                p.name,
                p.get_level_display(),
                p.granted_by,
                str(p.lead_unit),
                p.get_state_display(),
                p.undertaken_on,
                p.evaluated_on,
            ]
            for p in pilots
        ],
        [36, 8, 24, 20, 12, 12, 12],
    )
    honors = selectors.honors_filtered(user, {"unit": unit, "year": year})
    _sheet(
        wb.create_sheet("荣誉"),
        ["荣誉名称", "层级", "获得单位", "授予部门", "获得日期"],
        [[h.name, h.get_level_display(), str(h.unit), h.granted_by, h.date] for h in honors],
        [40, 16, 20, 24, 12],
    )
    for sheet in wb.worksheets:
        literal_rows(sheet.iter_rows())  # a title like "=HYPERLINK(…)" stays text
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if hasattr(cell.value, "year"):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
