"""The .docx, opened again with python-docx: GB/T 9704 page, sizes, official faces, and the text."""

import io

import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from gandang.documents import structure as s
from gandang.documents.sample import sample_reminder
from gandang.documents.word import render_docx


@pytest.fixture(scope="module")
def docx():
    return open_docx(io.BytesIO(render_docx(sample_reminder())))


def _east_asia(run_or_style) -> str | None:
    rfonts = run_or_style.element.rPr.find(qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def _paragraph(docx, text):
    return next(p for p in docx.paragraphs if p.text.startswith(text))


def test_page_is_a4_with_gbt_margins(docx):
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_normal_style_is_16pt_fangsong_at_22_lines_a_page(docx):
    normal = docx.styles["Normal"]
    assert normal.font.size.pt == 16
    assert _east_asia(normal) == "仿宋_GB2312"
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the official face
    pitch = normal.paragraph_format.line_spacing.pt
    assert 28 <= pitch <= 29 and 225 / 25.4 * 72 // pitch == 22


def test_title_is_22pt_xiaobiaosong(docx):
    run = _paragraph(docx, "关于加快推进").runs[0]
    assert run.font.size.pt == 22
    assert _east_asia(run) == "方正小标宋简体"


def test_issuer_line_is_red_xiaobiaosong(docx):
    run = docx.paragraphs[0].runs[0]
    assert run.text == sample_reminder().issuer
    assert str(run.font.color.rgb) == "FF0000"
    assert _east_asia(run) == "方正小标宋简体"


def test_body_and_headings_use_official_faces(docx):
    body = _paragraph(docx, "经2023年10月调度").runs[0]
    assert body.font.size.pt == 16 and _east_asia(body) == "仿宋_GB2312"
    assert _east_asia(_paragraph(docx, "一、整改要求").runs[0]) == "黑体"
    assert _east_asia(_paragraph(docx, "（一）节点完成情况").runs[0]) == "楷体_GB2312"
    assert _paragraph(docx, "1.有关说明")


def test_the_text_is_all_there(docx):
    text = "\n".join(p.text for p in docx.paragraphs)
    for line in [
        "改提〔2023〕5号",
        "市发展改革委：",
        "三、进展情况",
        "2023年12月5日",
    ]:
        assert line in text
    cells = [c.text for row in docx.tables[0].rows for c in row.cells]
    assert cells[:4] == ["时间节点", "计划完成", "实际完成", "状态"] and "滞后" in cells


def test_footer_has_a_page_field_between_dashes(docx):
    footer = docx.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml
    assert docx.settings.odd_and_even_pages_header_footer


def test_png_image_is_embedded_and_svg_without_fallback_keeps_its_caption():
    png = _tiny_png()
    doc = sample_reminder()
    doc.blocks = [s.Image(png, caption="图1 状态分布"), s.Image(b"<svg xmlns='x'/>", caption="图2 趋势")]
    out = open_docx(io.BytesIO(render_docx(doc)))
    assert len(out.inline_shapes) == 1
    text = "\n".join(p.text for p in out.paragraphs)
    assert "图1 状态分布" in text and "图2 趋势" in text


def _tiny_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def _imprint(docx):
    return docx.tables[-1]


def test_the_imprint_closes_the_document_with_the_printing_office_and_date(docx):
    """版记 (GB/T 9704-2012 7.4): 抄送 above 印发机关 (left) and 印发日期 (right), 4号 仿宋."""
    rows = [[c.text for c in row.cells] for row in _imprint(docx).rows]
    assert rows[0][0] == "抄送：市委办公室，市政府办公室。"  # one cell spanning the width
    assert rows[-1] == [sample_reminder().issuer, "2023年12月5日印发"]
    printer, printed_on = _imprint(docx).rows[-1].cells
    assert printer.paragraphs[0].paragraph_format.left_indent.pt == 14  # 印发机关左空一字
    assert printed_on.paragraphs[0].paragraph_format.right_indent.pt == 14  # 印发日期右空一字
    assert printed_on.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    run = printed_on.paragraphs[0].runs[0]
    assert run.font.size.pt == 14 and _east_asia(run) == "仿宋_GB2312"
    # The document's body ends with the date, then the 版记: nothing of the body after it.
    body = [child.tag.rsplit("}", 1)[-1] for child in docx.element.body]
    assert body[-3:] == ["tbl", "p", "sectPr"]


def test_the_imprint_floats_at_the_foot_of_the_last_page_between_its_rules(docx):
    tbl_pr = _imprint(docx)._tbl.tblPr
    anchor = tbl_pr.find(qn("w:tblpPr"))
    assert anchor.get(qn("w:vertAnchor")) == "margin" and anchor.get(qn("w:tblpYSpec")) == "bottom"
    borders = {el.tag.rsplit("}", 1)[-1]: el for el in tbl_pr.find(qn("w:tblBorders"))}
    # First and last rules thick (0.35 mm ≈ 1 pt), the one between 抄送 and 印发 thin (0.25 mm ≈ 0.75 pt).
    assert borders["top"].get(qn("w:sz")) == borders["bottom"].get(qn("w:sz")) == "8"
    assert borders["insideH"].get(qn("w:sz")) == "6"
    assert borders["left"].get(qn("w:val")) == borders["insideV"].get(qn("w:val")) == "nil"
    # Table properties in schema order, or Word refuses the file.
    order = [el.tag.rsplit("}", 1)[-1] for el in tbl_pr]
    assert order == ["tblpPr", "tblOverlap", "tblW", "tblBorders", "tblLayout", "tblCellMar", "tblLook"]


def test_a_document_without_copy_to_has_only_the_printing_line():
    doc = sample_reminder()
    doc.copy_to = ""
    d = open_docx(io.BytesIO(render_docx(doc)))
    assert [[c.text for c in row.cells] for row in d.tables[-1].rows] == [[doc.issuer, "2023年12月5日印发"]]
