"""Issued plan documents read into tasks: each shape of the labelled set, the issue's own example, bad files."""

import io
import zipfile
from datetime import date

import pytest
from django.conf import settings

from gandang.ledger.dates import DatePhraseError, parse_due
from gandang.ledger.document.parser import parse_plan, split_units
from gandang.ledger.document.reader import SCANNED, read_document
from gandang.ledger.document.sheet import NOT_A_PLAN, edits_from, open_plan_document
from gandang.ledger.excel.columns import split_names
from gandang.ledger.excel.reader import FileRefused
from tests.fixtures import plan_documents as docs


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return dict(
        (labelled.name, (labelled, path))
        for labelled, path in docs.write_all(tmp_path_factory.mktemp("plans"))
    )


def _read(path, edits=None):
    with path.open("rb") as fh:
        return open_plan_document(
            fh,
            max_bytes=settings.GANDANG_IMPORT_MAX_BYTES,
            max_rows=settings.GANDANG_IMPORT_MAX_ROWS,
            edits=edits,
        )


def _rows(doc):
    table = doc.sheet.table
    return [
        {f: (cells[i] if i < len(cells) else "") for f, i in table.columns.items()} | {"row": number}
        for number, cells in doc.sheet.rows
        if any(cells)
    ]


@pytest.mark.parametrize("name", [labelled.name for labelled, _ in docs.labelled_set()])
def test_every_shape_reads_every_task_with_its_units_and_dates(folder, name):
    labelled, path = folder[name]
    doc = _read(path)
    assert (doc.title, doc.year) == (labelled.plan_title, labelled.year)
    rows = _rows(doc)
    assert len(rows) == len(labelled.tasks)
    for row, want in zip(rows, labelled.tasks, strict=True):
        assert row["title"] == want.title
        assert (row.get("area") or "") == want.area
        assert split_names(row["lead_unit"]) == want.lead
        assert set(split_names(row.get("co_units"))) == set(want.co)
        try:
            due = parse_due(row.get("due") or None, plan_year=doc.year)
        except DatePhraseError:  # "完成时限：秋季学期开学前": kept as written, for the preview to flag
            assert want.due is None and row["due"] == "秋季学期开学前"
        else:
            assert (due.due_date, due.no_fixed_date) == (want.due, want.no_fixed)
        if want.leaders:
            assert row["leaders"] == "、".join(want.leaders)


def test_the_issues_example_task():
    plan = parse_plan(
        [
            "关于印发《2023年全市全面深化改革工作要点》的通知",
            "一、深化行政体制改革",
            "1.全面实施行政许可事项清单管理。按照国务院部署，2022年10月底前编制并公布市级行政许可事项清单，"
            "2023年6月底前全面实现清单之外无审批。（市政府办公室、市行政审批制度改革工作领导小组办公室牵头，"
            "市级各有关部门及各县市区政府按职责分工负责）",
            "2.深化“放管服”改革。年底前推出一批集成办理事项。（市行政审批服务局负责）",
        ]
    )
    assert (plan.title, plan.year) == ("2023年全市全面深化改革工作要点", 2023)
    first, second = plan.tasks
    assert first.area == "深化行政体制改革"
    assert first.title == "全面实施行政许可事项清单管理"
    assert first.content.startswith("按照国务院部署")
    assert first.lead == ["市政府办公室", "市行政审批制度改革工作领导小组办公室"]
    assert first.co == ["市级各有关部门", "各县市区政府"]
    due = parse_due(first.due, plan_year=2023)
    assert due.due_date == date(2023, 6, 30)
    assert [d for _, d in due.milestones] == [date(2022, 10, 31), date(2023, 6, 30)]
    kinds = {kind for _, _, kind in first.marks}
    assert kinds == {"title", "unit", "date"}
    unit_span = next((s, e) for s, e, k in first.marks if k == "unit")
    assert first.source[unit_span[0] : unit_span[1]].startswith("（市政府办公室")
    assert (second.lead, second.co, parse_due(second.due, plan_year=2023).due_date) == (
        ["市行政审批服务局"],
        [],
        date(2023, 12, 31),
    )


def test_dates_that_are_not_deadlines_are_left_out():
    plan = parse_plan(
        [
            "2023年改革要点",
            "1.贯彻落实《2021年数字政府建设方案》。2021年以来已建成平台，9月底前完成升级。（市大数据局牵头）",
            "2.完善社会信用体系。健全守信激励机制。（市发改委负责）",
        ]
    )
    first, second = plan.tasks
    assert first.due == "9月底前完成升级"
    assert second.due == ""


def test_responsibility_forms():
    assert split_units("市发改委、市财政局及各县（市、区）政府等") == [
        "市发改委",
        "市财政局",
        "各县（市、区）政府",
    ]
    plan = parse_plan(
        [
            "2023年工作要点",
            "1.任务甲。内容。（牵头单位：市发改委；责任单位：市财政局、市税务局）",
            "2.任务乙。内容。",
            "责任单位：区发改局，全区经济运行各专班",
            "3.任务丙。内容。（市委改革办、市发改委按职责分工负责）",
        ]
    )
    a, b, c = plan.tasks
    assert (a.lead, a.co) == (["市发改委"], ["市财政局", "市税务局"])
    assert (b.lead, b.co) == (["区发改局", "全区经济运行各专班"], [])
    assert (c.lead, c.co) == (["市委改革办", "市发改委"], [])


def test_sections_that_say_how_are_not_tasks():
    plan = parse_plan(
        [
            "XX实施方案",
            "一、总体要求",
            "1.坚持问题导向。聚焦突出问题。",
            "二、主要任务",
            "（一）政务环境",
            "1.推进一网通办。年底前完成。（市大数据局牵头）",
            "三、保障措施",
            "1.加强组织领导。各部门要高度重视。",
        ]
    )
    assert [t.title for t in plan.tasks] == ["推进一网通办"]
    assert plan.tasks[0].area == "政务环境"
    assert plan.skipped == ["总体要求", "保障措施"]


def test_edits_replace_the_guesses(folder):
    labelled, path = folder["gongzuo_yaodian"]
    first = _rows(_read(path))[0]
    edits = edits_from(
        {f"e-{first['row']}-lead_unit": " 市发改委 ", "e-x-title": "ignored", "e-1-goal": "no"}
    )
    assert edits == {first["row"]: {"lead_unit": "市发改委"}}
    edited = _rows(_read(path, edits))[0]
    assert edited["lead_unit"] == "市发改委"
    assert edited["title"] == first["title"]


def _refused(data: bytes) -> str:
    with pytest.raises(FileRefused) as exc:
        open_plan_document(
            io.BytesIO(data),
            max_bytes=settings.GANDANG_IMPORT_MAX_BYTES,
            max_rows=settings.GANDANG_IMPORT_MAX_ROWS,
        )
    return str(exc.value)


def test_a_letter_is_not_a_plan(tmp_path):
    path = docs.write_docx(
        tmp_path / "letter.docx", ["关于召开会议的通知", "请各单位于下周一参加会议。", "特此通知。"]
    )
    assert _refused(path.read_bytes()) == NOT_A_PLAN


def test_a_scanned_pdf_says_so(tmp_path):
    from weasyprint import HTML

    path = tmp_path / "scan.pdf"
    HTML(string="<div style='width:100px;height:100px;background:#000'></div>").write_pdf(str(path))
    assert _refused(path.read_bytes()) == SCANNED


def test_an_encrypted_pdf_says_so(folder):
    from pypdf import PdfReader, PdfWriter

    _, path = folder["yaodian_pdf"]
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "密码" in _refused(out.getvalue())


def test_a_pdf_locked_only_against_editing_is_read(folder):
    from pypdf import PdfReader, PdfWriter

    labelled, path = folder["yaodian_pdf"]
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    doc = open_plan_document(out, max_bytes=settings.GANDANG_IMPORT_MAX_BYTES, max_rows=20000)
    assert len(_rows(doc)) == len(labelled.tasks)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.7\n" + b"\x00garbage" * 100, "损坏"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 100,
            "旧版 Word",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument EncryptedPackage".encode("utf-16-le"), "密码"),
    ],
)
def test_broken_and_old_files_get_a_chinese_message(data, words):
    assert words in _refused(data)


def test_a_broken_docx_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<not-xml")
    assert "损坏" in _refused(buf.getvalue())


def test_a_huge_file_is_refused_before_reading(settings):
    settings.GANDANG_IMPORT_MAX_BYTES = 1000
    with pytest.raises(FileRefused, match="上限"):
        read_document(io.BytesIO(b"%PDF" + b"x" * 2000), max_bytes=1000)


def test_word_automatic_numbering_is_read_as_the_reader_sees_it(tmp_path):
    path = docs.write_docx_numbered(
        tmp_path / "auto.docx",
        [
            (None, "2023年全市改革工作要点"),
            (0, "经济体制改革"),
            (1, "国资国企改革"),
            (2, "深化混合所有制改革。6月底前完成。（市国资委牵头）"),
            (2, "完善公司治理。年底前完成。（市国资委牵头，市财政局配合）"),
            (1, "财税改革"),
            (2, "推进预算绩效管理。（市财政局负责）"),
            (0, "社会体制改革"),
            (2, "深化医保支付方式改革。（市医保局牵头）"),
        ],
    )
    doc = read_document(path.open("rb"), max_bytes=10**7)
    assert doc.paragraphs[1:5] == [
        "一、经济体制改革",
        "（一）国资国企改革",
        "1.深化混合所有制改革。6月底前完成。（市国资委牵头）",
        "2.完善公司治理。年底前完成。（市国资委牵头，市财政局配合）",
    ]
    assert doc.paragraphs[5:7] == ["（二）财税改革", "1.推进预算绩效管理。（市财政局负责）"]
    assert doc.paragraphs[7] == "二、社会体制改革"
    plan = parse_plan(doc.paragraphs)
    assert [(t.area, t.title, t.lead) for t in plan.tasks] == [
        ("经济体制改革", "深化混合所有制改革", ["市国资委"]),
        ("经济体制改革", "完善公司治理", ["市国资委"]),
        ("经济体制改革", "推进预算绩效管理", ["市财政局"]),
        ("社会体制改革", "深化医保支付方式改革", ["市医保局"]),
    ]


def test_a_zip_bomb_named_docx_is_refused_before_it_is_unzipped():
    from tests.core.test_zipguard import zip_bomb

    message = _refused(zip_bomb(megabytes=210))  # a .docx's parts, one of them 210 MB of zeros
    assert "解压" in message or "压缩" in message, message


def test_the_cover_letters_reporting_sentence_is_kept(folder):
    _, path = folder["gongzuo_yaodian"]
    with path.open("rb") as fh:
        doc = read_document(fh, max_bytes=10**7)
    plan = parse_plan(doc.paragraphs)
    assert plan.cadence.startswith("请将一季度、上半年、前三季度和全年工作落实情况分别于4月25日")
    assert (
        parse_plan(
            ["2023年要点", "1.任务。年底前完成。（市发改委牵头）", "2.任务二。（市发改委牵头）"]
        ).cadence
        == ""
    )
