"""Open an uploaded Word (.docx) or PDF document safely and give its text: paragraphs and tables in order.

Everything that can be refused about the file is refused here with a Chinese message: too big, an old
.doc, a password, a broken file, a decompression bomb (gandang.core.zipguard), a PDF with no text layer
(a scan) or too many pages. Nothing here raises anything but `FileRefused` for a bad file.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from gandang.core import zipguard
from gandang.ledger.excel.reader import OLE2_MAGIC, ZIP_MAGIC, FileRefused, _mb, _size

log = logging.getLogger(__name__)

DOCX, PDF = "docx", "pdf"
PDF_MAGIC = b"%PDF"
WORD_STREAM = "WordDocument".encode("utf-16-le")
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
MAX_PAGES = 200
# A PDF page of a typed document holds hundreds of characters; a scan holds none (or a stray page number).
MIN_CHARS_PER_PAGE = 20

CORRUPT_DOC = "文件已损坏，无法读取。请在 Word 中打开后重新“另存为”.docx 文件再上传"
ENCRYPTED = "文件设置了打开密码，无法读取。请取消密码后再上传"
SCANNED = (
    "这份 PDF 是扫描件（图片），没有可以读取的文字。请上传印发文件的 Word 原文（.docx），或由 Word 导出的 PDF"
)
OLD_DOC = "这是旧版 Word（.doc）文件，请在 Word 中“另存为”Word 文档（.docx）后再上传"


@dataclass
class Document:
    """A document's text: `paragraphs` in reading order; `tables` as rows of cell texts."""

    kind: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


def kind_of(source: IO[bytes]) -> str | None:
    """DOCX or PDF when the file is (or claims to be) a document rather than a workbook; None otherwise."""
    head = source.read(8)
    source.seek(0)
    if head.startswith(PDF_MAGIC):
        return PDF
    if head == OLE2_MAGIC:
        data = source.read()
        source.seek(0)
        return DOCX if WORD_STREAM in data else None  # an encrypted .docx says so in check()
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(source) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            source.seek(0)
        return DOCX if "word/document.xml" in names else None
    return None


def read_document(source: IO[bytes], *, max_bytes: int) -> Document:
    """The document's text, or FileRefused saying (in Chinese) why it cannot be read."""
    size = _size(source)
    if size == 0:
        raise FileRefused("文件是空的")
    if size > max_bytes:
        raise FileRefused(f"文件大小为 {_mb(size)}，超过 {_mb(max_bytes)} 的上限")
    kind = kind_of(source)
    try:
        if kind == PDF:
            return _read_pdf(source)
        if kind == DOCX:
            return _read_docx(source)
    except FileRefused:
        raise
    except Exception as exc:  # a library's many error types for a broken file all mean "corrupt"
        log.info("unreadable document: %r", exc)
        raise FileRefused(CORRUPT_DOC if kind == DOCX else "PDF 文件已损坏，无法读取") from exc
    finally:
        source.seek(0)
    raise FileRefused("文件不是 Word（.docx）或 PDF 文档")


def _read_docx(source: IO[bytes]) -> Document:
    head = source.read(8)
    source.seek(0)
    if head == OLE2_MAGIC:
        raise FileRefused(ENCRYPTED if ENCRYPTED_MARK in source.read() else OLD_DOC)
    try:
        zipguard.check_zip(source)
    except zipguard.ZipBomb as exc:
        raise FileRefused(str(exc)) from exc
    finally:
        source.seek(0)
    from docx import Document as open_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from gandang.ledger.document.numbering import Numbering

    doc = Document(kind=DOCX)
    word = open_docx(source)
    numbering = Numbering(word)
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            doc.paragraphs.append(numbering.label(block) + block.text)
        elif isinstance(block, Table):
            rows = [[_cell_text(c) for c in row.cells] for row in block.rows]
            doc.tables.append(rows)
            # A table's text also stands in the flow, row by row, for documents laid out in tables.
            for row in rows:
                doc.paragraphs.append("".join(dict.fromkeys(c for c in row if c)))
    return doc


def _cell_text(cell: Any) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


_LINE_STARTS = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,3}\s*[.．、](?!\d)|"
    r"[①-⑳]|(?:牵头单位|责任单位|配合单位|参与单位|协办单位|主办单位|责任领导|领衔领导|牵头领导|完成时限|完成时间|"
    r"时间节点)\s*[:：]|附件|《)"
)


def _read_pdf(source: IO[bytes]) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(source)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")  # a PDF locked only against editing opens with an empty password
            except (NotImplementedError, FileNotDecryptedError, PdfReadError) as exc:
                raise FileRefused(ENCRYPTED) from exc
            if not ok:
                raise FileRefused(ENCRYPTED)
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise FileRefused(f"PDF 共 {len(pages)} 页，超过 {MAX_PAGES} 页的上限")
        texts = [page.extract_text() or "" for page in pages]
    except FileNotDecryptedError as exc:
        raise FileRefused(ENCRYPTED) from exc
    chars = sum(len(re.sub(r"\s", "", t)) for t in texts)
    if chars < MIN_CHARS_PER_PAGE * max(len(texts), 1):
        raise FileRefused(SCANNED)
    return Document(kind=PDF, paragraphs=_pdf_paragraphs(texts))


def _pdf_paragraphs(pages: list[str]) -> list[str]:
    """PDF lines joined back into paragraphs: a new one at a heading, a number, a label, or after "。"."""
    paragraphs: list[str] = []
    for text in pages:
        for raw in text.splitlines():
            line = raw.strip()
            if not line or re.fullmatch(r"[-—－–]?\s*\d+\s*[-—－–]?", line):
                continue
            if not paragraphs or _LINE_STARTS.match(line) or paragraphs[-1].endswith(("。", "：", ":", "）")):
                paragraphs.append(line)
            else:
                paragraphs[-1] += line
    return paragraphs
