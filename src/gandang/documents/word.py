"""The .docx of an official document (python-docx), laid out to GB/T 9704-2012.

Fonts are named by their official faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) in
w:eastAsia, so Word on an office PC uses the real faces; the text stays ordinary editable paragraphs.
"""

from __future__ import annotations

import io
import logging

from docx import Document as new_docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from gandang.documents import structure as s

log = logging.getLogger(__name__)

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render_docx(doc: s.Document) -> bytes:
    """The document as .docx bytes."""
    d = new_docx()
    _page_setup(d)
    _normal_style(d)

    _line(d, doc.issuer, font=s.FONT_TITLE, size=_issuer_pt(doc.issuer), color=s.RED, align="center")
    _line(d, "")
    number = _line(d, doc.doc_number, align="center")
    _red_rule(number)
    _line(d, "")
    _line(d, doc.title, font=s.FONT_TITLE, size=s.TITLE_PT, align="center")
    _line(d, "")
    if doc.recipient:
        _line(d, doc.recipient)

    last: list[DocxParagraph] = []  # the paragraphs of the last block (a table's: its last row's)
    for label, block in doc.numbered():
        if isinstance(block, s.Heading):
            font = {1: s.FONT_HEADING_1, 2: s.FONT_HEADING_2, 3: s.FONT_BODY}[block.level]
            heading = _line(d, label + block.text, font=font, indent=True)
            heading.paragraph_format.keep_with_next = True  # never a heading alone at a page's foot
            last = [heading]
        elif isinstance(block, s.Paragraph):
            last = [_line(d, block.text, indent=True)]
        elif isinstance(block, s.Table):
            last = _table(d, block)
        else:
            last = _image(d, block)

    # GB/T 9704: no page with the signature alone. The end of the body (at least two lines of its last
    # paragraph: widow control) stays on the page of the signature and the date.
    for p in last:
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.widow_control = True
    closing = [_line(d, ""), _line(d, "")]
    sig_indent, date_indent = s.signature_indent_chars(doc)
    closing.append(_line(d, doc.signature, align="right", right_chars=sig_indent))
    for p in closing:
        p.paragraph_format.keep_with_next = True
    date_line = _line(d, doc.date_zh, align="right", right_chars=date_indent)
    date_line.paragraph_format.keep_with_next = True  # the 版记 is on the page of the date
    _imprint(d, doc)

    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _imprint(d, doc: s.Document) -> None:
    """The 版记 (GB/T 9704-2012 7.4): 抄送 (if any) above 印发机关 and 印发日期, under a thick rule, with a thin
    rule between them and a thick last rule that lies on the foot of the last page's text block.

    A table floating at the bottom margin puts it there however long the body is (Word, WPS); its borders are
    the rules. A reader that does not float tables (LibreOffice 7.4) shows it right under the date.
    The date's column holds 印发日期 with its right indent and half a character to spare for wider digits.
    """
    width_mm = s.PAGE_MM[0] - s.MARGINS_MM["left"] - s.MARGINS_MM["right"]
    date_mm = (s.width_chars(doc.imprint_date_zh) + 2) * s.IMPRINT_PT / 72 * 25.4
    table = d.add_table(rows=2 if doc.copy_to else 1, cols=2)
    tbl_pr = table._tbl.tblPr
    anchor = _el(
        "w:tblpPr",
        {
            "w:leftFromText": "0",
            "w:rightFromText": "0",
            "w:topFromText": "0",
            "w:bottomFromText": "0",
            "w:vertAnchor": "margin",
            "w:horzAnchor": "margin",
            "w:tblpXSpec": "center",
            "w:tblpYSpec": "bottom",
        },
    )
    table.autofit = False
    borders = _el("w:tblBorders")
    thick, thin = (round(mm / 25.4 * 72 * 8) for mm in (s.IMPRINT_RULE_THICK_MM, s.IMPRINT_RULE_THIN_MM))
    for side, sz in (
        ("top", thick),
        ("left", 0),
        ("bottom", thick),
        ("right", 0),
        ("insideH", thin),
        ("insideV", 0),
    ):
        line = {"w:val": "single", "w:sz": str(sz), "w:space": "0", "w:color": "000000"}
        borders.append(_el(f"w:{side}", line if sz else {"w:val": "nil"}))
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", {"w:w": "0", "w:type": "dxa"}))
    for el in (
        anchor,
        _el("w:tblOverlap", {"w:val": "never"}),
        _el("w:tblW", {"w:w": str(round(width_mm * 1440 / 25.4)), "w:type": "dxa"}),
        borders,
        margins,
    ):
        _tbl_pr_put(tbl_pr, el)
    widths = (Mm(width_mm) - Mm(date_mm), Mm(date_mm))
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = widths
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    char = Pt(s.IMPRINT_PT)
    if doc.copy_to:
        cell = table.rows[0].cells[0].merge(table.rows[0].cells[1])
        p = cell.paragraphs[0]
        # 左右各空一字; a second line aligns with the first name after the colon.
        p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = char * 4, -char * 3
        p.paragraph_format.right_indent = char
        _run(p, f"抄送：{doc.copy_to}", font=s.FONT_BODY, size=s.IMPRINT_PT)
    printer, printed_on = table.rows[-1].cells
    p = printer.paragraphs[0]
    p.paragraph_format.left_indent = char  # 印发机关左空一字
    _run(p, doc.imprint_issuer, font=s.FONT_BODY, size=s.IMPRINT_PT)
    p = printed_on.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = char  # 印发日期右空一字
    _run(p, doc.imprint_date_zh, font=s.FONT_BODY, size=s.IMPRINT_PT)
    # A document's body ends with a paragraph; this one is empty and small, beside the floating table.
    tail = d.add_paragraph()
    tail.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tail.paragraph_format.line_spacing = Pt(1)


# The order CT_TblPr's children must keep (ECMA-376): Word refuses a file whose table properties are out of it.
_TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def _el(tag: str, attrs: dict[str, str] | None = None):
    el = OxmlElement(tag)
    for k, v in (attrs or {}).items():
        el.set(qn(k), v)
    return el


def _tbl_pr_put(tbl_pr, el) -> None:
    """Set a child of w:tblPr in its schema place, replacing one of the same tag."""
    name = el.tag.rsplit("}", 1)[-1]
    for old in tbl_pr.findall(el.tag):
        tbl_pr.remove(old)
    rank = _TBL_PR_ORDER.index(name)
    for i, child in enumerate(tbl_pr):
        other = child.tag.rsplit("}", 1)[-1]
        if other in _TBL_PR_ORDER and _TBL_PR_ORDER.index(other) > rank:
            tbl_pr.insert(i, el)
            return
    tbl_pr.append(el)


def _page_setup(d) -> None:
    section = d.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(s.PAGE_MM[0]), Mm(s.PAGE_MM[1])
    section.top_margin = Mm(s.MARGINS_MM["top"])
    section.bottom_margin = Mm(s.MARGINS_MM["bottom"])
    section.left_margin = Mm(s.MARGINS_MM["left"])
    section.right_margin = Mm(s.MARGINS_MM["right"])
    # The page number stands 7 mm below the text block.
    section.footer_distance = Mm(s.MARGINS_MM["bottom"] - 7 - 5)
    # GB/T 9704: odd pages number on the right, even pages on the left, one character in from the edge.
    d.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _normal_style(d) -> None:
    # The default template's docDefaults name theme fonts, which would win over w:eastAsia.
    for rfonts in d.styles.element.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
    normal = d.styles["Normal"]
    normal.font.size = Pt(s.BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), s.FONT_BODY)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(s.LINE_PITCH_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False


def _set_fonts(rpr, face: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), face)


def _line(
    d,
    text: str,
    *,
    font: str = s.FONT_BODY,
    size: float = s.BODY_PT,
    color: str = "",
    align: str = "left",
    indent: bool = False,
    left_chars: float = 0,
    right_chars: float = 0,
) -> DocxParagraph:
    p = d.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    pf = p.paragraph_format
    if indent:
        pf.first_line_indent = Pt(2 * s.BODY_PT)
    if left_chars:
        pf.left_indent = Pt(left_chars * s.BODY_PT)
    if right_chars:
        pf.right_indent = Pt(right_chars * s.BODY_PT)
    if size > s.BODY_PT + 4:
        # A large title line would be clipped by the exact body pitch.
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    if text:
        _run(p, text, font=font, size=size, color=color)
    return p


def _run(p: DocxParagraph, text: str, *, font: str, size: float, color: str = "", bold: bool = False):
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._r.get_or_add_rPr(), font)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _issuer_pt(issuer: str) -> float:
    """The issuer line as large as fits on one line of the text block, at most 30 pt."""
    return float(min(30, int(s.TEXT_WIDTH_PT / max(len(issuer), 1))))


def _border(p: DocxParagraph, side: str, *, sz: int, color: str) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(sz))  # eighths of a point
    el.set(qn("w:space"), "4")
    el.set(qn("w:color"), color)
    bdr.append(el)


def _red_rule(p: DocxParagraph) -> None:
    _border(p, "bottom", sz=12, color=s.RED)


def _page_number(p: DocxParagraph, align) -> None:
    p.alignment = align
    pf = p.paragraph_format
    pf.left_indent = pf.right_indent = Pt(s.PAGE_NUMBER_PT)
    _run(p, "— ", font="宋体", size=s.PAGE_NUMBER_PT)
    run = _run(p, "", font="宋体", size=s.PAGE_NUMBER_PT)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "separate"}),
        ("w:t", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if tag == "w:instrText":
            el.text = " PAGE "
        elif tag == "w:t":
            el.text = "1"
        run._r.append(el)
    _run(p, " —", font="宋体", size=s.PAGE_NUMBER_PT)


def _table(d, block: s.Table) -> list[DocxParagraph]:
    """The table (under its caption); returns the paragraphs of its last row."""
    if block.caption:
        caption = _line(d, block.caption, font=s.FONT_HEADING_1, align="center")
        caption.paragraph_format.keep_with_next = True
    table = d.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell(cell, text, font=s.FONT_HEADING_1)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell(cell, text, font=s.FONT_BODY)
    # A row never splits across pages (its 序号 on one page, its text on the next); the header row
    # repeats at the top of each page the table runs onto.
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
    return [p for cell in table.rows[-1].cells for p in cell.paragraphs]


def _cell(cell, text: str, *, font: str) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    _run(p, text, font=font, size=s.TABLE_PT)


def _image(d, block: s.Image) -> list[DocxParagraph]:
    """The picture and its caption; returns their paragraphs."""
    out = []
    data = block.png if block.is_svg else block.data
    if data is None:
        # Word cannot embed SVG without a raster fallback; keep the caption so nothing is silently lost.
        log.warning("SVG image %r has no PNG fallback; omitted from the .docx", block.caption)
    else:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(data), width=Mm(min(block.width_mm, 156)))
        out.append(p)
    if block.caption:
        if out:
            out[0].paragraph_format.keep_with_next = True  # the caption stays under its picture
        out.append(_line(d, block.caption, align="center"))
    return out
