"""Open an uploaded workbook safely and stream its ledger table, row by row.

Everything that can be refused about the file itself is refused here, before openpyxl reads a
cell: size, type (an old .xls, an encrypted file, not Excel at all), a broken zip, a decompression
bomb (gandang.core.zipguard), and a sheet whose declared size exceeds the row limit. Then the
sheet is streamed in read-only mode, so memory stays bounded whatever the file holds.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from gandang.core import zipguard
from gandang.ledger.excel.columns import COLUMNS, Formula, field_for_heading

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding a stream named "EncryptedPackage".
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
HEADER_SCAN_ROWS = 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*\d*)(?::[A-Z]*(\d+))?\"")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")

CORRUPT = "文件已损坏，无法读取。请在 Excel 中打开后重新“另存为”.xlsx 文件再上传"


class FileRefused(Exception):
    """The file cannot be read as a ledger; str(exc) says why, in Chinese."""


@dataclass
class Table:
    """The ledger table of one sheet: where its header is and which column holds which field."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # field -> 0-based column index
    headings: dict[str, str]  # field -> the heading as written in the file
    ignored: list[str] = field(default_factory=list)  # headings the importer does not read
    duplicates: list[str] = field(default_factory=list)  # a second column for the same field


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


Workbook = Path | IO[bytes]
"""A workbook to read: a file on this machine (the command line) or an open, seekable binary file (an
upload kept in the storage, gandang.ledger.excel.uploads)."""


def _size(source: IO[bytes]) -> int:
    end = source.seek(0, os.SEEK_END)
    source.seek(0)
    return end


def check_file(workbook: Workbook, *, max_bytes: int, max_rows: int) -> None:
    """Refuse a file that is too big, not an .xlsx, broken, or declares too many rows."""
    if isinstance(workbook, Path):
        with workbook.open("rb") as fh:
            check_file(fh, max_bytes=max_bytes, max_rows=max_rows)
        return
    size = _size(workbook)
    if size == 0:
        raise FileRefused("文件是空的")
    if size > max_bytes:
        raise FileRefused(f"文件大小为 {_mb(size)}，超过 {_mb(max_bytes)} 的上限，请拆分后分批导入")
    head = workbook.read(8)
    workbook.seek(0)
    if head == OLE2_MAGIC:
        if ENCRYPTED_MARK in workbook.read():
            raise FileRefused(
                "文件设置了打开密码，无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿）后再上传"
            )
        raise FileRefused("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传")
    if not head.startswith(ZIP_MAGIC):
        raise FileRefused(
            "文件不是 Excel 工作簿（.xlsx）、Word 文档（.docx）或 PDF，请上传这几种格式的台账或方案文件"
        )
    try:
        zipguard.check_zip(workbook)  # from the zip directory, before any part is unzipped
        with zipfile.ZipFile(workbook) as zf:
            _check_zip(zf, max_rows=max_rows)
    except zipguard.ZipBomb as exc:
        raise FileRefused(str(exc)) from exc
    # RuntimeError: a zip-level password; NotImplementedError: an unknown compression method.
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise FileRefused(CORRUPT) from exc
    finally:
        workbook.seek(0)


def _check_zip(zf: zipfile.ZipFile, *, max_rows: int) -> None:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if any(part not in names for part in REQUIRED_PARTS):
        raise FileRefused(CORRUPT)
    for name in sorted(n for n in names if _SHEET_PART.match(n)):
        rows = _declared_rows(zf, name)
        if rows is not None and rows > max_rows:
            raise FileRefused(f"工作表共 {rows} 行，超过 {max_rows} 行的上限，请拆分后分批导入")


def _declared_rows(zf: zipfile.ZipFile, name: str) -> int | None:
    """The last row of the sheet's <dimension ref="A1:K10001"/>, read from the head of its XML."""
    with zf.open(name) as fh:
        head = fh.read(64 * 1024)
    m = _DIMENSION.search(head)
    if not m:
        return None
    last = m.group(2) or re.sub(rb"\D", b"", m.group(1))
    return int(last) if last else None


@dataclass
class Sheet:
    """A workbook opened for streaming; close() releases the file."""

    table: Table
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (Excel row number, cell values)
    close: Any


def open_table(workbook: Workbook, *, max_rows: int) -> Sheet:
    """Open the workbook and find the ledger table: the first sheet with a recognisable header."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it ignores; not the user's concern
            wb = load_workbook(workbook, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken parts; all mean "corrupt"
        raise FileRefused(CORRUPT) from exc
    try:
        return _find_table(wb, max_rows=max_rows)
    except FileRefused:
        wb.close()
        raise
    except Exception as exc:
        wb.close()
        raise FileRefused(CORRUPT) from exc


def _find_table(wb: Any, *, max_rows: int) -> Sheet:
    first_miss: FileRefused | None = None
    for ws in wb.worksheets:
        ws.reset_dimensions()  # a wrong <dimension> must not cut rows or columns short
        rows = _numbered(_values(ws.iter_rows()), max_rows=max_rows)
        head = [r for _, r in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
        try:
            table = _header(ws.title, head)
        except FileRefused as exc:
            first_miss = first_miss or exc
            continue
        rest = (r for r in head if r[0] > table.header_row)
        return Sheet(table=table, rows=_chain(rest, rows), close=wb.close)
    raise first_miss or FileRefused("工作簿中没有工作表")


def _chain(*iterators: Iterator[tuple[int, tuple[Any, ...]]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for it in iterators:
        yield from it


def _values(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Each row's values, a formula cell's text marked as a `Formula` (a text cell may start with "=")."""
    for cells in rows:
        yield tuple(Formula(c.value) if c.data_type == "f" else c.value for c in cells)


def _numbered(rows: Iterator[tuple[Any, ...]], *, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows with their Excel row numbers; stops with FileRefused past the row limit."""
    for number, values in enumerate(rows, start=1):
        if number > max_rows:
            raise FileRefused(f"工作表超过 {max_rows} 行的上限，请拆分后分批导入")
        yield number, values


def _header(sheet: str, head: list[tuple[int, tuple[Any, ...]]]) -> Table:
    if not any(any(v not in (None, "") for v in values) for _, values in head):
        raise FileRefused(f"工作表“{sheet}”是空的")
    best: tuple[int, tuple[Any, ...]] | None = None
    best_count = 0
    for number, values in head:
        count = len({f for f in map(field_for_heading, values) if f})
        if count > best_count:
            best, best_count = (number, values), count
    if best is None:
        raise FileRefused(
            f"工作表“{sheet}”前 {HEADER_SCAN_ROWS} 行中没有找到表头（如“改革事项”“牵头单位”“完成时限”）"
        )
    number, values = best
    table = Table(sheet=sheet, header_row=number, columns={}, headings={})
    for index, value in enumerate(values):
        name = field_for_heading(value)
        if name is None:
            if value not in (None, ""):
                table.ignored.append(str(value).strip())
        elif name in table.columns:
            table.duplicates.append(str(value).strip())
        else:
            table.columns[name], table.headings[name] = index, str(value).strip()
    if "title" not in table.columns:
        label, others = COLUMNS["title"]
        raise FileRefused(f"第 {number} 行表头中缺少“{label}”列（也可写作“{'”“'.join(others[:3])}”）")
    return table
