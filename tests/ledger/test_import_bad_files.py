"""Files that cannot be imported: a clear Chinese message, and nothing written."""

import zipfile

import pytest
from openpyxl import Workbook

from gandang.ledger import services
from gandang.ledger.excel import reader

from .workbooks import write_xlsx

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refused(path, city, counts, message):
    """Importing `path` is refused with `message` and changes no table."""
    before = counts()
    with pytest.raises(services.ImportRefused) as exc:
        services.ledger_import(
            actor=city.users["office"], workbook=path, filename=path.name, plan=city.plan, create_missing=True
        )
    problems = exc.value.result.errors
    assert any(message in p.message for p in problems), problems
    assert counts() == before
    return problems


def _no_workbook_loading(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("the workbook must not be loaded")

    monkeypatch.setattr(reader, "load_workbook", boom)


def test_a_text_file_is_not_an_xlsx(city, xlsx, counts):
    path = xlsx("ledger.xlsx")
    path.write_text("序号,改革事项\n1,甲\n", encoding="utf-8")
    _refused(path, city, counts, "不是 Excel 工作簿")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Named as a Word document: told what to do in Word, not in Excel.
        ("工作要点.docx", b"PK\x03\x04" + b"\x00garbage" * 50, "请在 Word 中打开后重新“另存为”.docx"),
        ("工作要点.docx", "第一条 任务".encode(), "请在 Word 中打开后重新“另存为”.docx"),
        ("工作要点.pdf", b"\x00\x01 not a pdf", "PDF 文件已损坏"),
        ("工作要点.doc", b"plain text", "旧版 Word（.doc）"),
        # Neither workbook nor document: the message names every format the page takes.
        ("工作要点.txt", "一、总体要求".encode(), "Word 文档（.docx）或 PDF"),
    ],
)
def test_a_broken_document_is_refused_in_the_document_s_words(city, xlsx, counts, name, content, message):
    path = xlsx(name)
    path.write_bytes(content)
    problems = _refused(path, city, counts, message)
    assert not any("Excel 中打开" in p.message for p in problems if name.endswith((".docx", ".pdf")))


def test_an_empty_file_is_refused(city, xlsx, counts):
    path = xlsx()
    path.write_bytes(b"")
    _refused(path, city, counts, "文件是空的")


def test_a_broken_zip_is_corrupt(city, xlsx, counts):
    path = xlsx()
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    _refused(path, city, counts, "文件已损坏")


def test_a_zip_without_workbook_parts_is_corrupt(city, xlsx, counts):
    path = xlsx()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    _refused(path, city, counts, "文件已损坏")


def _set_encrypted_flag(data: bytes) -> bytes:
    """Mark every member of a zip as password-protected (general purpose bit 0)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            out[at + offset] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_zip_with_a_password_on_its_parts_is_corrupt(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"]])
    path.write_bytes(_set_encrypted_flag(path.read_bytes()))
    _refused(path, city, counts, "文件已损坏")


def test_a_truncated_sheet_is_corrupt_not_a_server_error(city, xlsx, counts, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [["改革事项"], *[[f"事项{i}"] for i in range(50)]])
    path = xlsx()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    _refused(path, city, counts, "文件已损坏")


def test_an_encrypted_xlsx_says_it_has_a_password(city, xlsx, counts, monkeypatch):
    _no_workbook_loading(monkeypatch)
    path = xlsx()
    path.write_bytes(OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    _refused(path, city, counts, "设置了打开密码")


def test_an_old_xls_must_be_saved_as_xlsx(city, xlsx, counts, monkeypatch):
    _no_workbook_loading(monkeypatch)
    path = xlsx("ledger.xls")
    path.write_bytes(OLE2 + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512)
    _refused(path, city, counts, ".xls")


def test_an_empty_sheet_is_refused(city, xlsx, counts):
    _refused(write_xlsx(xlsx(), []), city, counts, "是空的")


def test_a_sheet_without_title_column_is_refused(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["2023年台账"], ["序号", "牵头单位", "完成时限"], [1, "岱岳区", "年底前"]])
    (problem,) = _refused(path, city, counts, "缺少“改革事项”列")
    assert problem.row is None


def test_a_sheet_without_any_header_is_refused(city, xlsx, counts):
    _refused(write_xlsx(xlsx(), [["随便写的"], ["一些内容"]]), city, counts, "没有找到表头")


def test_a_file_over_the_size_limit_is_refused_before_loading(city, xlsx, counts, settings, monkeypatch):
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"]])
    settings.GANDANG_IMPORT_MAX_BYTES = 1000
    _no_workbook_loading(monkeypatch)
    _refused(path, city, counts, "超过")


def test_rows_over_the_limit_are_refused_from_the_dimension_before_loading(
    city, xlsx, counts, settings, monkeypatch
):
    path = write_xlsx(xlsx(), [["改革事项"], *[[f"事项{i}"] for i in range(30)]])
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:A31"' in zf.read("xl/worksheets/sheet1.xml")
    settings.GANDANG_IMPORT_MAX_ROWS = 20
    _no_workbook_loading(monkeypatch)
    _refused(path, city, counts, "共 31 行，超过 20 行的上限")


def test_rows_over_the_limit_stop_the_stream_when_there_is_no_dimension(city, xlsx, counts, settings):
    wb = Workbook(write_only=True)  # write-only files carry no <dimension>
    ws = wb.create_sheet()
    ws.append(["改革事项"])
    for i in range(30):
        ws.append([f"事项{i}"])
    path = xlsx()
    wb.save(path)
    settings.GANDANG_IMPORT_MAX_ROWS = 20
    _refused(path, city, counts, "超过 20 行的上限")


def test_a_formula_cell_is_refused_with_its_row_and_column(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "=DATE(2023,6,30)"]])
    (problem,) = _refused(path, city, counts, "公式")
    assert (problem.row, problem.column) == (2, "完成时限")


def test_an_error_cell_is_refused(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项", "牵头单位"], ["甲", "#N/A"]])
    (problem,) = _refused(path, city, counts, "#N/A")
    assert (problem.row, problem.column) == (2, "牵头单位")


def test_one_bad_row_among_good_ones_writes_nothing(city, xlsx, counts):
    rows = [["改革事项", "牵头单位", "完成时限"], *[[f"事项{i}", "新单位", "年底前"] for i in range(20)]]
    rows.append(["坏事项", "岱岳区", "哪天都行"])
    (problem,) = _refused(write_xlsx(xlsx(), rows), city, counts, "无法识别")
    assert problem.row == 22


def test_unknown_units_without_confirmation_write_nothing(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项", "牵头单位"], ["甲", "市新单位"]])
    before = counts()
    with pytest.raises(services.ImportRefused, match="市新单位"):
        services.ledger_import(actor=None, workbook=path, filename="x.xlsx", plan=city.plan)
    assert counts() == before


def test_a_refused_import_into_a_new_plan_does_not_create_the_plan(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "哪天"]])
    before = counts()
    with pytest.raises(services.ImportRefused):
        services.ledger_import(
            actor=None, workbook=path, filename="x.xlsx", new_plan_year=2024, new_plan_name="新方案"
        )
    assert counts() == before
