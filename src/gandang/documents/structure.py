"""An official document as plain data: what both renderers (Word and PDF) lay out to GB/T 9704-2012.

Renderers never invent content; numbering of headings and the Chinese date come from here, so the
.docx and the PDF of one document always say the same thing.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# GB/T 9704-2012 page geometry and type sizes, shared by both renderers.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
IMPRINT_PT = 14  # 4号: the 版记 (抄送, 印发机关 and 印发日期)
# 版记 rules: the first and last thick (0.35 mm), the one between 抄送 and 印发 thin (0.25 mm).
IMPRINT_RULE_THICK_MM = 0.35
IMPRINT_RULE_THIN_MM = 0.25
TABLE_PT = 12  # 小4号: tables are denser than the body
# 22 lines in the 225 mm text block (637.8 pt); rounded down so the 22nd line still fits.
LINE_PITCH_PT = 28.95
TEXT_WIDTH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
RED = "FF0000"

# The official face names (what a Word user sees); fonts.conf maps them to installed fonts for PDF.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"


@dataclass(frozen=True)
class Heading:
    """A section heading; numbered 一、 / （一） / 1. by its level when rendered."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, got {self.level}")


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Image:
    """A chart or picture: PNG or SVG bytes. Word cannot show SVG, so give `png` as well for charts."""

    data: bytes
    caption: str = ""
    png: bytes | None = None
    width_mm: float = 150

    @property
    def is_svg(self) -> bool:
        head = self.data[:512].lstrip()
        return head.startswith(b"<?xml") or head.startswith(b"<svg")

    @property
    def mime(self) -> str:
        return "image/svg+xml" if self.is_svg else "image/png"


Block = Heading | Paragraph | Table | Image


@dataclass
class Document:
    issuer: str
    title: str
    recipient: str
    blocks: list[Block]
    signature: str
    date: date
    doc_number: str = ""
    copy_to: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # 版记 (GB/T 9704-2012 7.4.3): the office that prints and sends the document, and when; by default
    # the issuer itself (a reform office is its own 印发机关) on the document's date.
    printer: str = ""
    printed_on: datetime.date | None = None  # (the field `date` shadows the type here)

    @property
    def date_zh(self) -> str:
        return chinese_date(self.date)

    @property
    def imprint_issuer(self) -> str:
        """印发机关 of the 版记."""
        return self.printer or self.issuer

    @property
    def imprint_date_zh(self) -> str:
        """印发日期 of the 版记, as the standard writes it: 2023年12月5日印发."""
        return chinese_date(self.printed_on or self.date) + "印发"

    def numbered(self) -> list[tuple[str, Block]]:
        """The blocks with each heading's label (一、 / （一） / 1.), empty for other blocks."""
        counters = [0, 0, 0]
        out: list[tuple[str, Block]] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                i = block.level - 1
                counters[i] += 1
                counters[i + 1 :] = [0] * (2 - i)
                out.append((heading_label(block.level, counters[i]), block))
            else:
                out.append(("", block))
        return out

    def text(self) -> str:
        """All visible text, one block a line (for search and tests)."""
        lines = [self.issuer, self.doc_number, self.title, self.recipient]
        for label, block in self.numbered():
            if isinstance(block, Heading | Paragraph):
                lines.append(label + block.text)
            elif isinstance(block, Table):
                lines += [" ".join(block.header), *(" ".join(r) for r in block.rows), block.caption]
            else:
                lines.append(block.caption)
        lines += [self.signature, self.date_zh, self.copy_to, self.imprint_issuer, self.imprint_date_zh]
        return "\n".join(line for line in lines if line)


def block_to_data(block: Block) -> dict[str, Any]:
    """A block as JSON-ready data (images as base64), so an issued document is stored frozen."""
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, Table):
        return {"type": "table", "header": block.header, "rows": block.rows, "caption": block.caption}
    return {
        "type": "image",
        "data": base64.b64encode(block.data).decode("ascii"),
        "png": base64.b64encode(block.png).decode("ascii") if block.png else None,
        "caption": block.caption,
        "width_mm": block.width_mm,
    }


def block_from_data(data: dict[str, Any]) -> Block:
    kind = data.get("type")
    if kind == "heading":
        return Heading(int(data["level"]), data["text"])
    if kind == "paragraph":
        return Paragraph(data["text"])
    if kind == "table":
        return Table(
            header=list(data["header"]), rows=[list(r) for r in data["rows"]], caption=data["caption"]
        )
    if kind == "image":
        return Image(
            data=base64.b64decode(data["data"]),
            png=base64.b64decode(data["png"]) if data.get("png") else None,
            caption=data.get("caption", ""),
            width_mm=float(data.get("width_mm", 150)),
        )
    raise ValueError(f"unknown block type {kind!r}")


def document_to_data(doc: Document) -> dict[str, Any]:
    return {
        "issuer": doc.issuer,
        "doc_number": doc.doc_number,
        "title": doc.title,
        "recipient": doc.recipient,
        "blocks": [block_to_data(b) for b in doc.blocks],
        "signature": doc.signature,
        "date": doc.date.isoformat(),
        "copy_to": doc.copy_to,
        "extra": dict(doc.extra),
        "printer": doc.printer,
        "printed_on": doc.printed_on.isoformat() if doc.printed_on else None,
    }


def document_from_data(data: dict[str, Any]) -> Document:
    return Document(
        issuer=data["issuer"],
        doc_number=data.get("doc_number", ""),
        title=data["title"],
        recipient=data["recipient"],
        blocks=[block_from_data(b) for b in data["blocks"]],
        signature=data["signature"],
        date=date.fromisoformat(data["date"]),
        copy_to=data.get("copy_to", ""),
        extra=dict(data.get("extra", {})),
        printer=data.get("printer", ""),
        printed_on=date.fromisoformat(data["printed_on"]) if data.get("printed_on") else None,
    )


# Nested quotation marks alternate (GB/T 15834): “…‘…’…” — inside “”, a title's own “” become ‘’.
_SWAP_QUOTES = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”"})
_STRAIGHT_PAIR = re.compile(r'"([^"]*)"')  # a title typed with ASCII quotes


def quoted(title: str) -> str:
    """`title` in double quotes, its own quotation marks turned one level in:
    建立“两办两研”协同联动机制 → “建立‘两办两研’协同联动机制”."""
    inner = _STRAIGHT_PAIR.sub(r"‘\1’", title.strip().translate(_SWAP_QUOTES))
    return f"“{inner}”"


def chinese_date(d: date) -> str:
    """GB/T 9704-2012 writes the date in Arabic numerals without leading zeros: 2023年12月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 一, 十, 十一, 二十, 九十九."""
    if not 0 < n < 100:
        raise ValueError(f"section numbers run from 1 to 99, got {n}")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")) + (
        _DIGITS[ones] if ones else ""
    )


def heading_label(level: int, n: int) -> str:
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    return f"{n}."


def signature_indent_chars(doc: Document) -> tuple[float, float]:
    """Right indents (in body characters) of the signature and the date: the date stands four
    characters from the right margin and the signature is centred above it."""
    date_indent = 4.0
    sig_indent = date_indent + (width_chars(doc.date_zh) - width_chars(doc.signature)) / 2
    return max(sig_indent, 2.0), date_indent


def width_chars(text: str) -> float:
    """Width in body characters: ASCII digits and letters are half a Chinese character wide."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)
