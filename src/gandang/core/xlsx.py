"""Spreadsheet cells that say what the record says: text is never written as a live formula.

openpyxl stores any string that starts with "=" as a formula, so an item titled
'=HYPERLINK("http://x","y")' would leave an export as a working link, and a spreadsheet runs
text starting with + - @ (or a tab or CR, pasted on) the same way once someone edits the cell.
Every .xlsx export passes its cells through `literal`: such text is stored as a string with
Excel's quote prefix, so Excel shows it, keeps it as text when edited, and a re-import reads
back exactly the text that was written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

C = TypeVar("C", bound=Cell)


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def literal(cell: C) -> C:
    """The cell, with formula-like text forced to a literal string (Excel's quote prefix)."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def literal_rows(rows: Iterable[Iterable[Cell]]) -> None:
    """`literal` for every cell of a sheet's rows (`ws.iter_rows()`), once the sheet is written."""
    for row in rows:
        for cell in row:
            literal(cell)


def write_only_cell(ws: Any, value: Any) -> Cell:
    """A cell for a write-only sheet (`Workbook(write_only=True)`), its text kept literal."""
    return literal(WriteOnlyCell(ws, value=value))
