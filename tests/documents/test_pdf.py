"""The PDF: A4, the text extractable (pdftotext), page 1 renders white with a red masthead (pdftoppm).

Without poppler-utils these are skipped with the reason printed, unless GANDANG_REQUIRE_BROWSER=1
(set by CI), which turns the missing tools into a failure.
"""

import io
import os
import re
import shutil
import subprocess

import pytest

from gandang.documents.pdf import render_pdf
from gandang.documents.sample import sample_reminder

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        reason = f"{', '.join(missing)} not found (apt-get install poppler-utils to check PDFs)"
        if os.environ.get("GANDANG_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        print(reason)
        pytest.skip(reason)
    path = tmp_path_factory.mktemp("pdf") / "letter.pdf"
    path.write_bytes(render_pdf(sample_reminder()))
    return path


def test_pdf_is_a4(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_pdf_has_the_text(pdf):
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for line in [
        sample_reminder().issuer,
        "改提〔2023〕5号",
        "关于加快推进“深化投资项目审批制度改革”改革事项的提醒函",
        "市发展改革委：",
        "一、整改要求",
        "（一）节点完成情况",
        "2023年12月5日",
        "抄送：市委办公室，市政府办公室。",
        "2023年12月5日印发",
        "—1—",
    ]:
        assert line in flat


def test_the_imprint_stands_at_the_foot_of_the_last_page(pdf):
    """版记 (GB/T 9704 7.4): 抄送, then 印发机关 left and 印发日期 right on one line, below the date and
    above the page number, at the foot of the text block (the last page's last text before its number)."""
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout,
        ).group(1)
    )
    last = subprocess.run(
        ["pdftotext", "-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line.strip() for line in last.splitlines() if line.strip()]
    issuer = sample_reminder().issuer
    assert re.fullmatch(rf"{re.escape(issuer)}\s+2023年12月5日印发", lines[-2]), lines[-3:]
    assert lines[-3] == "抄送：市委办公室，市政府办公室。"
    assert lines.index("2023年12月5日") < len(lines) - 3
    assert lines[-1].replace(" ", "") == f"—{pages}—"


def test_the_imprint_rules_lie_on_the_foot_of_the_text_block(pdf, tmp_path):
    """Three black rules across the text block's width: the last on the text block's lower edge (262 mm)."""
    from PIL import Image

    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout,
        ).group(1)
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", str(pages), "-l", str(pages), str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p-*.png"))
    img = Image.open(png).convert("L")
    mm = img.width / 210
    # A rule: a row dark across the text block (28 mm to 184 mm from the left edge).
    xs = range(round(30 * mm), round(182 * mm), 4)
    below_table = round(200 * mm)  # the imprint lies under the signature; the table above has rules too
    rules = [y for y in range(below_table, img.height) if all(img.getpixel((x, y)) < 128 for x in xs)]
    groups = [y for i, y in enumerate(rules) if i == 0 or y - rules[i - 1] > 2]
    assert len(groups) == 3, groups
    assert abs(rules[-1] / mm - (297 - 35)) < 1.5, rules[-1] / mm


def test_page_one_is_white_paper_with_a_red_masthead(pdf, tmp_path):
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    [png] = tmp_path.glob("p*.png")
    image = Image.open(io.BytesIO(png.read_bytes())).convert("RGB")
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01
    pixels = _rgb(image)
    white = sum(1 for r, g, b in pixels if r > 230 and g > 230 and b > 230)
    assert white / len(pixels) > 0.85

    def red(box):
        return sum(1 for r, g, b in _rgb(image.crop(box)) if r > 180 and g < 90 and b < 90)

    assert red((0, 0, width, height // 4)) > 50  # the issuer line and the rule under it
    assert red((0, height // 4, width, height)) == 0  # nothing else is red


def _rgb(image) -> list[tuple[int, int, int]]:
    raw = image.tobytes()
    return list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
