"""The bulletin as Word and PDF: official faces and sizes, the text, the charts; and `gandang bulletin`.

PDF checks need poppler-utils (pdftotext, pdftoppm); without them they are skipped with the reason,
unless GANDANG_REQUIRE_BROWSER=1 (CI), which makes the missing tools a failure.
"""

import io
import os
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from docx import Document as open_docx
from docx.oxml.ns import qn

from gandang.bulletins import document, services
from gandang.bulletins.quarter import Quarter


@pytest.fixture
def issued(q3):
    bulletin, _ = services.bulletin_draft(
        actor=q3.users["office"], quarter=Quarter(2023, 3), today=date(2023, 10, 1)
    )
    return services.bulletin_issue(
        actor=q3.users["office"], bulletin=bulletin, expected_version=1, issued_on=date(2023, 10, 12)
    )


def _east_asia(run) -> str | None:
    rfonts = run.element.rPr.find(qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def _rgb(image) -> list[tuple[int, int, int]]:
    raw = image.tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


def _para(docx, start):
    return next(p for p in docx.paragraphs if p.text.startswith(start))


def test_docx_has_the_official_layout_text_tables_and_charts(issued, q3):
    docx = open_docx(io.BytesIO(document.render(document.bulletin_document(issued), "docx")))
    assert docx.paragraphs[0].runs[0].text.startswith("中共")
    assert str(docx.paragraphs[0].runs[0].font.color.rgb) == "FF0000"
    assert _para(docx, "改通〔2023〕1号").text == "改通〔2023〕1号"
    title = _para(docx, "关于2023年第三季度").runs[0]
    assert title.text == "关于2023年第三季度全面深化改革工作进展情况的通报"
    assert title.font.size.pt == 22 and _east_asia(title) == "方正小标宋简体"
    heading = _para(docx, "一、总体进展情况").runs[0]
    assert heading.font.size.pt == 16 and _east_asia(heading) == "黑体"
    body = _para(docx, "截至2023年9月调度").runs[0]
    assert body.font.size.pt == 16 and _east_asia(body) == "仿宋_GB2312"
    assert "改革事项共4项" in body.text
    assert _para(docx, "2023年10月12日")
    assert len(docx.inline_shapes) == 3  # status, trend and by-area charts, as PNG
    cells = {c.text for t in docx.tables for row in t.rows for c in row.cells}
    assert q3.items["c"].title in cells and "已超过完成时限30天" in cells


def test_draft_docx_is_marked_and_unnumbered(q3):
    bulletin, _ = services.bulletin_draft(
        actor=q3.users["office"], quarter=Quarter(2023, 3), today=date(2023, 10, 1)
    )
    docx = open_docx(io.BytesIO(document.render(document.bulletin_document(bulletin), "docx")))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "通报（征求意见稿）" in text and "改通〔" not in text


@pytest.fixture
def poppler():
    missing = [t for t in ("pdftotext", "pdftoppm") if not shutil.which(t)]
    if missing:
        reason = f"{', '.join(missing)} not found (apt-get install poppler-utils to check PDFs)"
        if os.environ.get("GANDANG_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def test_pdf_has_the_text_and_page_one_looks_like_a_bulletin(issued, poppler, tmp_path):
    from PIL import Image

    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(document.render(document.bulletin_document(issued), "pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for line in (
        "改通〔2023〕1号",
        "关于2023年第三季度全面深化改革工作进展情况的通报",
        "一、总体进展情况",
        "五、滞后事项",
        "改革事项共4项",
        "2023年10月12日",
        "—1—",
    ):
        assert line in flat, line
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    [png] = tmp_path.glob("p*.png")
    image = Image.open(png).convert("RGB")
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01
    pixels = _rgb(image)
    assert sum(1 for r, g, b in pixels if r > 230 and g > 230 and b > 230) / len(pixels) > 0.8
    top = _rgb(image.crop((0, 0, width, height // 4)))
    assert sum(1 for r, g, b in top if r > 180 and g < 90 and b < 90) > 50  # the red masthead and rule
    dark = sum(1 for r, g, b in pixels if r < 100 and g < 100 and b < 100)
    assert dark / len(pixels) > 0.01  # body text on the page


def test_cli_writes_the_issued_bulletin_in_both_formats(issued, tmp_path, poppler):
    out = io.StringIO()
    call_command("bulletin", "2023Q3", "-o", str(tmp_path / "q3.docx"), stdout=out)
    assert "改通〔2023〕1号" in out.getvalue()
    docx = open_docx(str(tmp_path / "q3.docx"))
    assert any(p.text == "改通〔2023〕1号" for p in docx.paragraphs)
    call_command("bulletin", "2023q3", "-o", str(tmp_path / "q3.pdf"), stdout=io.StringIO())
    text = subprocess.run(["pdftotext", str(tmp_path / "q3.pdf"), "-"], capture_output=True, text=True).stdout
    assert "改通〔2023〕1号" in text


def test_cli_writes_the_draft_without_saving_one(q3, tmp_path):
    from gandang.bulletins.models import Bulletin

    err = io.StringIO()
    call_command("bulletin", "2023Q4", "-o", str(tmp_path / "q4.docx"), stdout=io.StringIO(), stderr=err)
    assert "10月调度期未开启" in err.getvalue()
    text = "\n".join(p.text for p in open_docx(str(tmp_path / "q4.docx")).paragraphs)
    assert "关于2023年第四季度全面深化改革工作进展情况的通报（征求意见稿）" in text
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["2023Q5", "-o", "x.docx"], "格式不对"), (["2023Q3", "-o", "x.txt"], ".docx 或 .pdf")],
)
def test_cli_explains_bad_arguments_in_chinese(db, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("bulletin", *args)


def test_the_issued_bulletin_ends_with_its_imprint_in_word_pdf_and_on_its_page(
    issued, q3, login, poppler, tmp_path
):
    """版记 (GB/T 9704): 抄送, then 印发机关 and 印发日期 (the issue date) — the same in every form."""
    issuer = document.bulletin_document(issued).issuer
    docx = open_docx(io.BytesIO(document.render(document.bulletin_document(issued), "docx")))
    imprint = [[c.text for c in row.cells] for row in docx.tables[-1].rows]
    assert imprint[0][0].startswith("抄送：市委、市人大常委会")
    assert imprint[-1] == [issuer, "2023年10月12日印发"]
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(document.render(document.bulletin_document(issued), "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The last page ends: …抄送, 印发机关 and 印发日期 on one line, the page number.
    assert re.fullmatch(rf"{re.escape(issuer)}\s+2023年10月12日印发", lines[-2]), lines[-4:]
    page = login(q3.users["observer"]).get(issued.get_absolute_url()).content.decode()
    assert f"<span>{issuer}</span><span>2023年10月12日印发</span>" in page
