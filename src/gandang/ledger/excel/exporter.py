"""Write items to .xlsx with the columns the importer reads, and to JSON.

An exported file re-imports with no changes: the same headings, leaders as "name（title）", the
office's due phrase when it has one, codes as text, and each item's plan (所属方案), so that a
whole-ledger file goes back into every plan it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gandang.core import clock
from gandang.core.xlsx import write_only_cell
from gandang.ledger.dates import format_due
from gandang.ledger.excel.columns import EXPORT_HEADINGS
from gandang.ledger.models import Item, Milestone, joint_lead_prefetch

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in characters, in EXPORT_HEADINGS order.
_WIDTHS = [6, 10, 40, 40, 12, 14, 18, 18, 28, 12, 22, 6, 10, 20, 30]
_CHUNK = 2000


def prepared(items: QuerySet[Item]) -> QuerySet[Item]:
    """The queryset with everything an export reads, so each item costs no extra query."""
    return items.select_related("plan", "area", "lead_unit", "parent").prefetch_related(
        "leaders",
        joint_lead_prefetch(),
        "co_units",
        Prefetch("milestones", queryset=Milestone.objects.order_by("sort_order", "due_date", "id")),
    )


def _iterate(items: QuerySet[Item]) -> Iterator[Item]:
    # Chunked so that a whole city's ledger is never held in memory at once.
    return prepared(items).iterator(chunk_size=_CHUNK)


def item_row(item: Item) -> list[Any]:
    """One item in the importer's columns (EXPORT_HEADINGS order)."""
    return [
        item.seq,
        item.code,
        item.title,
        item.goal,
        item.deliverable,
        item.area.name if item.area else "",
        "、".join(leader.label for leader in item.leaders.all()),
        item.lead_units_display,  # several leads as the plan names them: "X、Y" re-imports as joint leads
        "、".join(u.name for u in item.co_units.all()),
        item.start_date,
        format_due(item.due_date, item.no_fixed_date, item.due_text),
        "是" if item.is_key else "",
        item.parent.code if item.parent else "",
        item.notes,
        str(item.plan),
    ]


def write_xlsx(items: QuerySet[Item], out: IO[bytes] | str, *, title: str) -> int:
    """Write the items as a ledger workbook (title row, header row, one row per item); returns the count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("改革台账")
    for index, width in enumerate(_WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "D3"
    heading = write_only_cell(ws, title)
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    ws.append([_header_cell(ws, h) for h in EXPORT_HEADINGS])
    count = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for item in _iterate(items):
        ws.append([_cell(ws, v, wrap) for v in item_row(item)])
        count += 1
    wb.save(out)
    return count


def _header_cell(ws: Any, value: str) -> Any:
    cell = write_only_cell(ws, value)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _cell(ws: Any, value: Any, wrap: Alignment) -> Any:
    cell = write_only_cell(ws, value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str) and len(value) > 20:
        cell.alignment = wrap
    return cell


def export_title(plan_label: str = "") -> str:
    """The title row: what was exported and when, on the product's calendar (a pinned demo day too)."""
    stamp = timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")
    return f"{plan_label or '改革'}台账（导出于 {stamp}）"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def item_json(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "seq": item.seq,
        "plan": str(item.plan),
        "title": item.title,
        "goal": item.goal,
        "deliverable": item.deliverable,
        "area": item.area.name if item.area else None,
        "leaders": [leader.name for leader in item.leaders.all()],
        "lead_unit": item.lead_unit.name if item.lead_unit else None,
        "joint_lead_units": [u.name for u in item.joint_leads],
        "co_units": [u.name for u in item.co_units.all()],
        "start_date": _iso(item.start_date),
        "due_date": _iso(item.due_date),
        "no_fixed_date": item.no_fixed_date,
        "due_text": item.due_text,
        "is_key": item.is_key,
        "milestones": [
            {"title": m.title, "due_date": _iso(m.due_date), "done_date": _iso(m.done_date)}
            for m in item.milestones.all()
        ],
        "parent": item.parent.code if item.parent else None,
        "notes": item.notes,
        "is_archived": item.is_archived,
    }


def to_json(items: QuerySet[Item]) -> dict[str, list[dict[str, Any]]]:
    """{"items": [...]}: every item with its people by name, dates in ISO form."""
    return {"items": [item_json(item) for item in _iterate(items)]}
