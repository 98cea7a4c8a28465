"""Decompression bombs are told from Office files by their zip directory alone."""

import io
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from gandang.core import zipguard

LIMITS = zipguard.Limits(total=200 * 1024 * 1024, ratio=100, members=10000)
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "办公室台账示例.xlsx"
OFFICE_PARTS = {
    "[Content_Types].xml": "<Types/>",
    "word/document.xml": "<w:document/>",
    "xl/workbook.xml": "<workbook/>",
    "ppt/presentation.xml": "<p:presentation/>",
}


def zip_bomb(
    *, megabytes: int = 210, method: int = zipfile.ZIP_BZIP2, member: str = "xl/worksheets/sheet1.xml"
):
    """A real bomb with the parts of a .docx, an .xlsx and a .pptx: a few hundred bytes to a few hundred
    KB (bzip2 or deflate) that unzip into `megabytes` of zeros in `member`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method, compresslevel=9) as zf:
        for name, text in OFFICE_PARTS.items():
            zf.writestr(name, text)
        with zf.open(member, "w", force_zip64=True) as out:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                out.write(chunk)
    return buf.getvalue()


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return zip_bomb()


def _overlapping() -> bytes:
    """Two directory entries naming one compressed block (how non-recursive bombs multiply)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", bytes(range(256)) * 400)
    data = buf.getvalue()
    eocd = data.rindex(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", data[eocd + 12 : eocd + 20])
    central = data[cd_offset : cd_offset + cd_size]
    second = central.index(b"PK\x01\x02", 4)
    copy = central[second:].replace(b"word/document.xml", b"word/documenu.xml")
    entries = struct.unpack("<H", data[eocd + 10 : eocd + 12])[0] + 1
    tail = bytearray(data[eocd:])
    tail[8:12] = struct.pack("<HH", entries, entries)
    tail[12:16] = struct.pack("<I", cd_size + len(copy))
    return data[:cd_offset] + central + copy + bytes(tail)


def test_the_bomb_is_small_and_would_unzip_beyond_the_limit(bomb):
    assert len(bomb) < 4 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert sum(i.file_size for i in zf.infolist()) > LIMITS.total


def test_a_bomb_is_refused_by_its_total_size(bomb):
    with pytest.raises(zipguard.ZipBomb, match=r"文件解压后超过 200 MB（共 210 MB），可能是压缩炸弹，已拒绝"):
        zipguard.check_zip(io.BytesIO(bomb), LIMITS)


def test_a_part_that_inflates_a_thousandfold_is_refused_below_the_total():
    small = zip_bomb(megabytes=20, method=zipfile.ZIP_DEFLATED, member="word/media/image1.png")
    with pytest.raises(
        zipguard.ZipBomb, match=r"“word/media/image1.png”解压后是压缩时的 \d+ 倍，超过 100 倍"
    ):
        zipguard.check_zip(io.BytesIO(small), LIMITS)


def test_overlapping_parts_are_refused():
    data = _overlapping()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert len(zf.infolist()) == 3  # Python reads it: the overlap is all that gives it away
    with pytest.raises(zipguard.ZipBomb, match="互相重叠"):
        zipguard.check_zip(io.BytesIO(data), LIMITS)


def test_too_many_parts_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in range(12):
            zf.writestr(f"xl/part{n}.xml", "<x/>")
    with pytest.raises(zipguard.ZipBomb, match="包含 12 个部件，超过 10 个的上限"):
        zipguard.check_zip(
            io.BytesIO(buf.getvalue()), zipguard.Limits(total=LIMITS.total, ratio=100, members=10)
        )


def test_limits_come_from_the_settings(settings):
    settings.GANDANG_UNZIP_MAX_BYTES = 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "x" * 2048)
    with pytest.raises(zipguard.ZipBomb, match="超过 1 KB"):
        zipguard.check_zip(io.BytesIO(buf.getvalue()))


def test_real_office_files_pass(tmp_path):
    document = docx.Document()
    for n in range(300):
        document.add_paragraph(f"第{n}段：深化要素市场化配置改革，推进重点领域改革落地见效。" * 3)
    document.save(tmp_path / "a.docx")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(5000):
        sheet.append([row, "深化改革", "市发展改革委", None, None, 0.5])
    book.save(tmp_path / "b.xlsx")
    for path in (tmp_path / "a.docx", tmp_path / "b.xlsx", SAMPLE):
        zipguard.check_zip(path, LIMITS)
        with path.open("rb") as fh:
            zipguard.check_zip(fh, LIMITS)
            assert fh.tell() == 0


def test_a_broken_zip_is_left_to_the_caller():
    with pytest.raises(zipfile.BadZipFile):
        zipguard.check_zip(io.BytesIO(b"PK\x03\x04 not really a zip"), LIMITS)
