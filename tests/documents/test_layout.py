"""Page layout across pages (GB/T 9704): no signature page without body text, table rows that never
split with their header repeated, and nested quotation marks in generated titles."""

import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from gandang.documents import structure as s
from gandang.documents.pdf import render_html, render_pdf
from gandang.documents.word import render_docx

ISSUER = "中共××市委全面深化改革委员会办公室"
LAST = "请各单位认真对照，抓好落实。" * 4
FILLER = "本季度全市改革工作扎实推进，各项任务按计划落实。" * 2


def _doc(paragraphs: int, *, table: bool = False) -> s.Document:
    blocks: list[s.Block] = [s.Heading(1, "总体情况")]
    if table:
        blocks.append(
            s.Table(
                header=["序号", "改革事项", "牵头单位"],
                rows=[[str(i), f"改革事项{i}", "市发展改革委"] for i in range(1, 31)],
                caption="表1 事项",
            )
        )
    blocks += [s.Paragraph(FILLER) for _ in range(paragraphs)]
    blocks.append(s.Heading(1, "下步工作"))
    blocks.append(s.Paragraph(LAST))
    return s.Document(
        issuer=ISSUER,
        title="关于测试排版的通报",
        recipient="各单位：",
        blocks=blocks,
        signature=ISSUER,
        date=date(2023, 12, 5),
        copy_to="市委办公室。",
    )


# -- nested quotes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("推行企业开办一网通办", "“推行企业开办一网通办”"),
        ("建立“两办两研”协同联动机制", "“建立‘两办两研’协同联动机制”"),
        ("“科创中国”试点城市建设", "“‘科创中国’试点城市建设”"),
        ("推行“‘信易批’服务”", "“推行‘“信易批”服务’”"),
        ('建立"两办两研"协同联动机制', "“建立‘两办两研’协同联动机制”"),
    ],
)
def test_quoted_turns_the_titles_own_quotes_one_level_in(title, expected):
    assert s.quoted(title) == expected


# -- .docx -------------------------------------------------------------------------------------------


def _paragraph(d, text):
    return next(p for p in d.paragraphs if p.text == text)


def test_docx_keeps_the_last_paragraph_with_the_signature_and_the_date():
    d = open_docx(io.BytesIO(render_docx(_doc(3))))
    texts = [p.text for p in d.paragraphs]
    last, sig = texts.index(LAST), texts.index(ISSUER, texts.index(LAST))
    # The last body paragraph, the blank lines and the signature each keep with the next: the date.
    chain = d.paragraphs[last : sig + 1]
    assert [p.text for p in chain] == [LAST, "", "", ISSUER]
    assert all(p.paragraph_format.keep_with_next for p in chain)
    assert d.paragraphs[last].paragraph_format.widow_control  # at least two of its lines go along
    assert _paragraph(d, "2023年12月5日").paragraph_format.keep_with_next  # the 版记 is on the date's page
    # A heading never stays alone at the foot of a page; an ordinary paragraph flows.
    assert _paragraph(d, "一、总体情况").paragraph_format.keep_with_next
    assert not d.paragraphs[texts.index(FILLER)].paragraph_format.keep_with_next


def test_docx_table_rows_do_not_split_and_the_header_repeats():
    d = open_docx(io.BytesIO(render_docx(_doc(1, table=True))))
    table, imprint = d.tables  # the body's table, then the 版记
    assert imprint.rows[-1].cells[-1].text == "2023年12月5日印发"
    rows = table.rows
    assert len(rows) == 31
    for i, row in enumerate(rows):
        tr_pr = row._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, i
        assert (tr_pr.find(qn("w:tblHeader")) is not None) == (i == 0), i
    assert _paragraph(d, "表1 事项").paragraph_format.keep_with_next  # the caption stays on the table


def test_docx_ending_on_a_table_keeps_its_last_row_with_the_signature():
    doc = _doc(1, table=True)
    doc.blocks = doc.blocks[:2]  # heading, table: the body ends on the table
    d = open_docx(io.BytesIO(render_docx(doc)))
    last_row = d.tables[0].rows[-1]
    assert all(p.paragraph_format.keep_with_next for c in last_row.cells for p in c.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for c in d.tables[0].rows[5].cells for p in c.paragraphs)


# -- PDF ---------------------------------------------------------------------------------------------


def test_pdf_html_keeps_rows_whole_repeats_headers_and_ends_with_body_text():
    html = render_html(_doc(3, table=True))
    assert "tr { break-inside: avoid; }" in html
    assert "thead { display: table-header-group; }" in html
    assert "<thead><tr><th>序号</th>" in html
    ending = html[html.index('<div class="ending">') :]
    assert ".ending { break-inside: avoid; }" in html
    # The wrapper holds the last heading and paragraph, then the signature, the date and the 版记 (抄送,
    # 印发机关 and 印发日期), which floats to the foot of the date's page.
    assert ending.index("下步工作") < ending.index(LAST) < ending.index('class="signature"')
    assert (
        ending.index('class="date"') < ending.index("抄送：市委办公室。") < ending.index("2023年12月5日印发")
    )
    assert "float: footnote;" in html and "footnote-policy: block;" in html
    assert FILLER not in ending


@pytest.fixture(scope="module")
def poppler():
    missing = [t for t in ("pdftotext", "pdfinfo") if not shutil.which(t)]
    if missing:
        reason = f"{', '.join(missing)} not found (apt-get install poppler-utils to check PDFs)"
        if os.environ.get("GANDANG_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def _page_text(path, n: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("paragraphs", range(2, 8))
def test_pdf_last_page_carries_body_text_besides_the_signature(paragraphs, poppler, tmp_path):
    # Two-line paragraphs, one more each time: some of these bodies end just at the foot of page 1,
    # where the signature (and 抄送) used to go over to page 2 alone.
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf(_doc(paragraphs)))
    pages = _pages(path)
    last = "".join(_page_text(path, pages).split())
    assert ISSUER in last and "2023年12月5日" in last and "抄送：" in last
    rest = last.replace(ISSUER, "").replace("2023年12月5日", "").replace("抄送：市委办公室。", "")
    assert "请各单位认真对照" in rest, (paragraphs, last)
