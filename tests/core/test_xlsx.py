"""Text that a spreadsheet would run as a formula is written as literal text, read back unchanged."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gandang.core.xlsx import literal_rows, write_only_cell

RISKY = ['=HYPERLINK("http://x","y")', "-1+2", "+1", "@SUM(A1)", "=1+1", "\t=1", "\r=1"]
PLAIN = ["深化改革", "1+1", "a=b"]


def _reread(wb: Workbook) -> list:
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return [c for row in load_workbook(buf).worksheets[0].iter_rows() for c in row]


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_text_is_a_quoted_string_cell(write_only):
    wb = Workbook(write_only=write_only)
    if write_only:
        ws = wb.create_sheet("s")
        for value in RISKY + PLAIN:
            ws.append([write_only_cell(ws, value)])
    else:
        ws = wb.active
        for value in RISKY + PLAIN:
            ws.append([value])
        literal_rows(ws.iter_rows())
    cells = _reread(wb)
    assert [c.value for c in cells] == RISKY + PLAIN
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * len(RISKY) + [False] * len(PLAIN)


def test_without_the_helper_openpyxl_would_write_a_live_formula():
    # The reason the helper exists: if openpyxl stops doing this, the helper may become moot.
    wb = Workbook()
    wb.active.append(['=HYPERLINK("http://x","y")'])
    (cell,) = _reread(wb)
    assert cell.data_type == "f"


def test_numbers_and_dates_are_left_alone():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append([write_only_cell(ws, -3), write_only_cell(ws, 2.5), write_only_cell(ws, None)])
    cells = _reread(wb)
    assert [c.value for c in cells[:2]] == [-3, 2.5]
    assert [c.data_type for c in cells[:2]] == ["n", "n"]
