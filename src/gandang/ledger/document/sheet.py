"""A plan document as a ledger table: the rows the Excel importer reads, with the office's edits applied.

Each task becomes one row of the columns below, numbered by the paragraph it starts at, so the
importer's own cell readers do the rest: units matched by name and alias (or listed to create),
the due-phrase grammar, areas, matching with the plan's items, the all-or-nothing commit. A Word
table with a ledger header (a 任务分工方案 laid out as a table) is read as it is, like a worksheet.

`edits` are what the office corrected in the preview, by row number and field, as text typed in
the cells of a spreadsheet: they replace the guesses before anything is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from gandang.ledger.document.parser import Plan, Task, clean, find_title, parse_plan
from gandang.ledger.document.reader import read_document
from gandang.ledger.excel.columns import COLUMNS
from gandang.ledger.excel.reader import FileRefused, Sheet, Table, _header

FIELDS = ["title", "goal", "area", "leaders", "lead_unit", "co_units", "due"]
EDITABLE = ["title", "area", "leaders", "lead_unit", "co_units", "due"]
MAX_EDIT = 4000
_EDIT_KEY = re.compile(r"^e-(\d{1,7})-([a-z_]+)$")
NOT_A_PLAN = (
    "没有在文件中找到编号的任务（如“1.……（市XX局牵头）”或“牵头单位：……”），"
    "这份文件看起来不是工作要点、实施方案或任务分工方案。请上传印发的方案原文"
)
Edits = dict[int, dict[str, str]]


@dataclass
class DocumentSheet:
    """What the importer needs from a document: the table and rows, and the text each row came from."""

    sheet: Sheet
    title: str
    year: int | None
    sources: dict[int, tuple[str, list[tuple[int, int, str]]]] = field(default_factory=dict)
    inputs: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> editable field -> text
    skipped: list[str] = field(default_factory=list)
    cadence: str = ""  # the cover letter's sentence on reporting, as written


def edits_from(data: Mapping[str, str]) -> Edits:
    """The preview's corrections from a form ("e-12-lead_unit" → row 12's lead unit); other keys ignored."""
    edits: Edits = {}
    for key, value in data.items():
        m = _EDIT_KEY.match(key)
        if m and m[2] in EDITABLE and isinstance(value, str):
            edits.setdefault(int(m[1]), {})[m[2]] = value.replace("\r\n", "\n").strip()[:MAX_EDIT]
    return edits


def plan_identity(source: IO[bytes], *, max_bytes: int) -> tuple[str, int | None]:
    """The plan's name and year as the document's title gives them; ("", None) when it cannot be read."""
    try:
        doc = read_document(source, max_bytes=max_bytes)
    except FileRefused:
        return "", None
    return find_title([clean(p) for p in doc.paragraphs])


def open_plan_document(
    source: IO[bytes], *, max_bytes: int, max_rows: int, edits: Edits | None = None
) -> DocumentSheet:
    doc = read_document(source, max_bytes=max_bytes)
    plan = parse_plan(doc.paragraphs)
    table_sheet = _ledger_table(doc.tables, plan, max_rows=max_rows, edits=edits or {})
    if table_sheet is not None and len(table_sheet.sources) >= len(plan.tasks):
        return table_sheet
    if not plan.tasks:
        raise FileRefused(NOT_A_PLAN)
    if len(plan.tasks) > max_rows:
        raise FileRefused(f"文件中有 {len(plan.tasks)} 项任务，超过 {max_rows} 项的上限，请拆分后分批导入")
    return _task_sheet(plan, edits or {})


def _task_sheet(plan: Plan, edits: Edits) -> DocumentSheet:
    fields = [f for f in FIELDS if f != "leaders" or plan.has_leaders]
    table = Table(
        sheet=plan.title,
        header_row=0,
        columns={f: i for i, f in enumerate(fields)},
        headings={f: COLUMNS[f][0] for f in fields},
    )
    rows = [(t.number, _apply(_values(t, fields), fields, edits.get(t.number))) for t in plan.tasks]
    sources = {t.number: (t.source, t.marks) for t in plan.tasks}
    return DocumentSheet(
        sheet=Sheet(table=table, rows=iter(rows), close=lambda: None),
        title=plan.title,
        year=plan.year,
        sources=sources,
        inputs=_inputs(rows, table),
        skipped=plan.skipped,
        cadence=plan.cadence,
    )


def _inputs(rows: list[tuple[int, tuple[Any, ...]]], table: Table) -> dict[int, dict[str, str]]:
    editable = {f: table.columns[f] for f in EDITABLE if f in table.columns}
    return {
        number: {
            f: str(cells[i]) if i < len(cells) and cells[i] is not None else "" for f, i in editable.items()
        }
        for number, cells in rows
    }


def _values(task: Task, fields: list[str]) -> list[Any]:
    values = {
        "title": task.title,
        "goal": task.content,
        "area": task.area,
        "leaders": "、".join(task.leaders),
        "lead_unit": "、".join(task.lead),
        "co_units": "、".join(task.co),
        "due": task.due,
    }
    return [values[f] for f in fields]


def _apply(values: list[Any], fields: list[str], edit: dict[str, str] | None) -> tuple[Any, ...]:
    if edit:
        for name, typed in edit.items():
            if name in fields and name in EDITABLE:
                values[fields.index(name)] = typed
    return tuple(values)


def _ledger_table(
    tables: list[list[list[str]]], plan: Plan, *, max_rows: int, edits: Edits
) -> DocumentSheet | None:
    """The first Word table with a ledger header (改革事项/工作任务, 牵头单位…), read like a worksheet."""
    for n, rows in enumerate(tables, start=1):
        head = list(enumerate((tuple(r) for r in rows[:20]), start=1))
        try:
            table = _header(f"表格{n}", head)
        except FileRefused:
            continue
        if len(table.columns) < 2:
            continue
        if len(rows) > max_rows:
            raise FileRefused(f"表格共 {len(rows)} 行，超过 {max_rows} 行的上限，请拆分后分批导入")
        body: Iterator[tuple[int, tuple[Any, ...]]] = (
            (number, _apply_cells(tuple(cells), table, edits.get(number)))
            for number, cells in enumerate(rows, start=1)
            if number > table.header_row
        )
        listed = list(body)
        sources: dict[int, tuple[str, list[tuple[int, int, str]]]] = {
            number: ("　".join(c for c in dict.fromkeys(cells) if c), [])
            for number, cells in listed
            if any(cells)
        }
        return DocumentSheet(
            sheet=Sheet(table=table, rows=iter(listed), close=lambda: None),
            title=plan.title,
            year=plan.year,
            sources=sources,
            inputs=_inputs(listed, table),
            cadence=plan.cadence,
        )
    return None


def _apply_cells(cells: tuple[Any, ...], table: Table, edit: dict[str, str] | None) -> tuple[Any, ...]:
    if not edit:
        return cells
    values = list(cells)
    for name, typed in edit.items():
        index = table.columns.get(name)
        if index is not None and name in EDITABLE and index < len(values):
            values[index] = typed
    return tuple(values)
