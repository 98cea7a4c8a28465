"""A plan document through the import page and the command line: preview, edits, commit, re-import."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gandang.ledger.models import ImportBatch, Item, Plan
from gandang.org.models import Unit
from tests.fixtures import plan_documents as docs

PLAN = "2023年全市全面深化改革工作要点"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return {
        labelled.name: (labelled, path) for labelled, path in docs.write_all(tmp_path_factory.mktemp("plans"))
    }


def _upload(client, path, **data):
    with path.open("rb") as fh:
        return client.post(reverse("ledger:import"), {"file": fh, **data})


def test_word_plan_previews_with_sources_and_names_the_new_plan_from_its_title(city, login, folder, counts):
    labelled, path = folder["gongzuo_yaodian"]
    before = counts()
    response = _upload(login(city.users["office"]), path, into="new")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.is_document and result.document_title == PLAN
    assert response.context["target"]["new_plan_name"] == PLAN
    assert response.context["target"]["new_plan_year"] == 2023
    assert response.context["counts"]["new"] == 40
    body = response.content.decode()
    assert '<mark class="src-unit">' in body and '<mark class="src-date">' in body
    assert "按修改重新预览" in body
    assert f'name="e-{result.rows[0].row}-lead_unit"' in body
    assert "各县市区政府" in body  # a group offered for creation as written
    assert counts() == before


def test_office_corrects_a_guess_then_commits_and_re_import_updates(city, login, folder):
    labelled, path = folder["gongzuo_yaodian"]
    client = login(city.users["office"])
    response = _upload(client, path, into="new")
    token = response.context["token"]
    first = response.context["result"].rows[0]
    target = {"token": token, "new_plan_year": 2023, "new_plan_name": PLAN}
    edit = {f"e-{first.row}-lead_unit": "市发改委", f"e-{first.row}-due": "2023年9月底前"}
    again = client.post(
        reverse("ledger:import_confirm"), {**target, **edit, "action": "preview", "create_missing": "1"}
    )
    assert again.status_code == 200
    assert 'name="create_missing" value="1" checked' in again.content.decode()  # ticked stays ticked
    row = again.context["result"].rows[0]
    assert row.fields["lead_unit"] == "市发展改革委"  # the alias matched to the existing unit
    assert row.inputs["due"] == "2023年9月底前"
    assert Item.objects.filter(plan__name=PLAN).count() == 0
    done = client.post(reverse("ledger:import_confirm"), {**target, **edit, "create_missing": "1"})
    assert done.status_code == 302
    plan = Plan.objects.get(name=PLAN, year=2023)
    items = plan.items.order_by("seq")
    assert items.count() == 40
    item = items.get(title=labelled.tasks[0].title)
    assert item.lead_unit.name == "市发展改革委"
    assert item.due_date.isoformat() == "2023-09-30"
    assert item.area.name == labelled.tasks[0].area
    assert Unit.objects.filter(name="各县市区政府").exists()
    # "X、Y牵头": X leads and submits the report, Y is its joint lead unit, not a co-unit.
    task = labelled.tasks[2]
    assert len(task.lead) > 1
    item = items.get(title=task.title)
    assert [u.name for u in item.lead_units] == task.lead
    assert set(item.co_units.values_list("name", flat=True)) == set(task.co)
    # The same document again, into the plan now existing: nothing new, no duplicates.
    response = _upload(client, path, plan=plan.pk)
    counts = response.context["counts"]
    assert counts["new"] == 0 and counts["update"] == 1  # the task corrected in the preview reads as the text
    assert plan.items.count() == 40


def test_a_scanned_pdf_in_the_page_gets_the_message_not_an_error(city, login, tmp_path):
    from weasyprint import HTML

    path = tmp_path / "扫描件.pdf"
    HTML(string="<p> </p>").write_pdf(str(path))
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    assert response.status_code == 200
    assert "扫描件" in response.content.decode()
    assert not response.context["can_commit"]


def test_forged_edit_fields_are_ignored(city, login, folder):
    _, path = folder["yiji_renwu"]
    client = login(city.users["office"])
    token = _upload(client, path, plan=city.plan.pk).context["token"]
    response = client.post(
        reverse("ledger:import_confirm"),
        {
            "token": token,
            "plan": city.plan.pk,
            "action": "preview",
            "e-99999999-title": "x",
            "e-1-plan": "x",
            "e-ab-title": "x",
        },
    )
    assert response.status_code == 200
    assert response.context["counts"]["new"] == 8


def test_others_cannot_use_the_import(city, login, folder):
    _, path = folder["yiji_renwu"]
    response = _upload(login(city.users["liaison_a"]), path, plan=city.plan.pk)
    assert response.status_code == 403


def _run(*args):
    out = StringIO()
    call_command("ledger", *map(str, args), stdout=out)
    return out.getvalue()


def test_command_imports_a_word_plan_into_the_plan_its_title_names(city, folder):
    labelled, path = folder["shishi_fangan"]
    out = _run("import", path, "--create-missing")
    assert "新增 12 项" in out and "原先不存在，已新建" in out
    plan = Plan.objects.get(name=labelled.plan_title, year=2024)
    assert plan.items.count() == 12
    assert ImportBatch.objects.get().filename == "实施方案.docx"
    assert "新增 0 项，更新 0 项，未变 12 项" in _run("import", path)


def test_command_reads_a_text_pdf_dry_run(city, folder, counts):
    _, path = folder["yaodian_pdf"]
    before = counts()
    out = _run("import", path, "--dry-run", "--create-missing")
    assert "新增 40 项" in out and "未写入" in out and "第 " in out and " 段 " in out
    assert counts() == before


def test_command_refuses_a_letter(city, tmp_path):
    path = docs.write_docx(tmp_path / "通知.docx", ["关于召开会议的通知", "请准时参加。"])
    with pytest.raises(CommandError):
        _run("import", path, "--plan", "X", "--year", 2023, "--create-missing")


def test_a_revised_edition_updates_reworded_tasks_and_adds_new_ones(city, folder, tmp_path):
    labelled, lines = docs.gongzuo_yaodian()
    first = docs.write_docx(tmp_path / "征求意见稿.docx", lines)
    _run("import", first, "--create-missing")
    plan = Plan.objects.get(name=PLAN)
    reworded = [
        line.replace("全面实施行政许可事项清单管理", "全面推行行政许可事项清单制度") for line in lines
    ]
    reworded.insert(7, "1.新增的一项任务。年底前完成。（市发改委牵头）")
    revised = docs.write_docx(tmp_path / "印发稿.docx", reworded)
    out = _run("import", revised, "--create-missing")
    assert "新增 1 项，更新 1 项，未变 39 项" in out
    assert "按相近的名称对应到已有事项" in out
    assert plan.items.count() == 41
    assert plan.items.filter(title="全面推行行政许可事项清单制度").exists()
    assert not plan.items.filter(title="全面实施行政许可事项清单管理").exists()


def test_a_document_cannot_go_by_the_plan_column(city, login, folder):
    _, path = folder["yiji_renwu"]
    response = _upload(login(city.users["office"]), path, into="file")
    assert response.status_code == 200
    assert "方案文件不能按“所属方案”列导入" in response.content.decode()


def test_a_deadline_the_grammar_cannot_read_is_flagged_and_corrected_in_the_preview(city, login, folder):
    labelled, path = folder["hunhe_shouxie"]
    client = login(city.users["office"])
    response = _upload(client, path, into="new")
    assert not response.context["can_commit"]
    problem = next(p for p in response.context["result"].errors)
    assert "秋季学期开学前" in problem.message
    row = next(r for r in response.context["result"].rows if r.title == "推进集团化办学")
    target = {"token": response.context["token"], "new_plan_year": 2023, "new_plan_name": labelled.plan_title}
    fixed = client.post(
        reverse("ledger:import_confirm"), {**target, f"e-{row.row}-due": "8月底前", "create_missing": "1"}
    )
    assert fixed.status_code == 302
    item = Item.objects.get(plan__name=labelled.plan_title, title="推进集团化办学")
    assert item.due_date.isoformat() == "2023-08-31"
    assert Item.objects.get(title="健全养老服务体系").no_fixed_date


@pytest.mark.parametrize("name", [labelled.name for labelled, _ in docs.labelled_set()])
def test_every_shape_commits_whole(city, folder, name):
    from gandang.ledger import services

    labelled, path = folder[name]
    kwargs = {"new_plan_year": labelled.year, "new_plan_name": labelled.plan_title, "create_missing": True}
    if name == "hunhe_shouxie":  # its "完成时限：秋季学期开学前" must be corrected first
        with pytest.raises(services.ImportRefused) as refused:
            services.ledger_import(actor=None, workbook=path, filename=path.name, **kwargs)
        assert [p.message for p in refused.value.result.errors] == [
            "无法识别的完成时限“秋季学期开学前”，请写成如“2023年6月底前”“2023年12月31日”或“长期坚持”"
        ]
        row = next(r for r in refused.value.result.rows if r.title == "推进集团化办学")
        kwargs["edits"] = {row.row: {"due": "2023年8月底前"}}
    outcome = services.ledger_import(actor=None, workbook=path, filename=path.name, **kwargs)
    assert outcome.result.counts["new"] == len(labelled.tasks)
    assert outcome.batch.plan.items.count() == len(labelled.tasks)


def test_a_task_without_units_is_flagged_and_linked_from_the_problems(city, login, tmp_path):
    path = docs.write_docx(
        tmp_path / "要点.docx",
        ["2023年改革要点", "1.任务甲。年底前完成。（市发改委牵头）", "2.任务乙。年底前完成。"],
    )
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    result = response.context["result"]
    row = result.rows[1]
    assert [p.message for p in result.problems if p.row == row.row] == ["没有读到牵头单位：请在下表中填写"]
    body = response.content.decode()
    assert f'<tr id="doc-row-{row.row}" class="flagged">' in body
    assert f'href="#doc-row-{row.row}"' in body


def test_a_task_led_by_a_partner_office_is_flagged_and_corrected_in_the_preview(city, login, tmp_path):
    """市委办公室 is here a partner of 两办两研 (a reader account): a plan naming it as lead is an error in the
    preview, never matched to it nor offered for creation; put right in the preview, it imports."""
    path = docs.write_docx(
        tmp_path / "要点.docx",
        [
            "2023年改革要点",
            "1.提升机关效能。年底前完成。（市委办公室牵头，市教育局配合）",
            "2.深化要素市场化配置改革。年底前完成。（市发改委牵头）",
        ],
    )
    client = login(city.users["office"])
    response = _upload(client, path, plan=city.plan.pk)
    result = response.context["result"]
    row = result.rows[0]
    messages = [p.message for p in result.errors if p.row == row.row]
    assert len(messages) == 1 and messages[0].startswith("“市委办公室”是“两办两研”协同单位")
    assert "市委办公室" not in result.unknown_units and response.context["can_commit"] is False
    edit = {f"e-{row.row}-lead_unit": "市发改委"}
    again = client.post(
        reverse("ledger:import_confirm"),
        {"token": response.context["token"], "plan": city.plan.pk, **edit, "action": "preview"},
    )
    fixed = again.context["result"]
    assert not fixed.errors and fixed.rows[0].fields["lead_unit"] == "市发展改革委"
    assert fixed.rows[0].fields["co_units"] == ["市教育局"]
    assert again.context["can_commit"] is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("工作要点.docx", "这不是Word文件".encode(), "文件已损坏"),
        ("工作要点.pdf", b"%PDF-1.4 broken", "PDF 文件已损坏"),
    ],
)
def test_a_broken_document_for_a_plan_named_by_its_title_says_why_on_the_upload_page(
    city, login, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    response = _upload(login(city.users["office"]), path, into="new")  # name and year left to the title
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors["file"])
    # Not asked for a name and year the file would not be read with, nor told the file is kept.
    assert "new_plan_name" not in form.errors and "new_plan_year" not in form.errors
    assert form.kept is None
    assert "已保留" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [("工作要点.docx", "这不是Word文件".encode()), ("工作要点.pdf", b"%PDF-1.4 broken")],
)
def test_an_unreadable_document_s_preview_asks_for_another_file_not_corrections(
    city, login, tmp_path, name, content
):
    path = tmp_path / name
    path.write_bytes(content)
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    body = response.content.decode()
    assert not response.context["can_commit"]
    assert "在 Excel 中改正" not in body
    assert "在下面的表格中改正" not in body and "按修改重新预览" not in body  # there is no table
    assert "重新上传" in body


def test_switching_to_the_document_s_own_plan_keeps_the_corrections_typed(city, login, folder):
    labelled, path = folder["gongzuo_yaodian"]
    client = login(city.users["office"])
    response = _upload(client, path, plan=city.plan.pk)  # a plan of another title
    assert response.context["result"].title_differs
    body = response.content.decode()
    # The switch is a button of the form that holds the corrections, so they go with it.
    assert 'form="import-rows" name="action" value="retitle"' in body
    first = response.context["result"].rows[0]
    edit = {f"e-{first.row}-lead_unit": "市发改委"}
    again = client.post(
        reverse("ledger:import_confirm"),
        {"token": response.context["token"], "plan": city.plan.pk, "action": "retitle", **edit},
    )
    assert again.status_code == 200
    assert again.context["target"]["plan"] is None
    assert again.context["target"]["new_plan_name"] == PLAN
    assert again.context["target"]["new_plan_year"] == 2023
    assert again.context["result"].rows[0].inputs["lead_unit"] == "市发改委"
    assert again.context["result"].rows[0].fields["lead_unit"] == "市发展改革委"
    assert not Plan.objects.filter(name=PLAN).exists()  # nothing written before the commit


def test_a_document_s_unknown_leaders_are_placed_by_paragraph_not_row(city, login, folder):
    _, path = folder["fengong_fangan"]
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    leaders = response.context["result"].unknown_leaders
    assert leaders
    body = response.content.decode()
    section = body[body.index("市级领导") : body.index("如果是名称写法不同")]
    assert "段）" in section and "行）" not in section
