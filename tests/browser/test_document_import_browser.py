"""The office uploads an issued 工作要点 (.docx), corrects a guess in the preview, previews again, commits."""

import re

import pytest

from gandang.ledger.models import Item
from tests.conftest import PASSWORD
from tests.fixtures import plan_documents as docs

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_imports_a_word_plan_correcting_one_guess(page, live_server, city, tmp_path):
    labelled, lines = docs.yiji_renwu()
    path = docs.write_docx(tmp_path / "任务清单.docx", lines)
    page.goto(f"{live_server.url}/ledger/import/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/ledger/import/$"))

    page.set_input_files("#id_file", str(path))
    page.check("input[name=into][value=new]")  # name and year left blank: taken from the title
    page.click("button[type=submit]:has-text('上传并预览')")
    page.wait_for_selector("table.doc-import")
    assert page.locator("table.doc-import tbody tr").count() == 8
    first = page.locator("table.doc-import tbody tr").first
    assert first.locator("mark.src-unit").count() == 1
    assert labelled.tasks[0].title in first.locator("mark.src-title").inner_text()

    lead = first.locator("textarea[name$='-lead_unit']")
    lead.fill("市发改委")
    page.click("button:has-text('按修改重新预览')")
    page.wait_for_selector("table.doc-import")
    first = page.locator("table.doc-import tbody tr").first
    assert first.locator("textarea[name$='-lead_unit']").input_value() == "市发改委"  # as typed
    assert "= 市发展改革委" in first.inner_text()  # and the unit the alias names

    page.check("input[name=create_missing]")
    page.click("button:has-text('确认导入')")
    page.wait_for_url(re.compile(r".*/ledger/\?plan=\d+$"))
    item = Item.objects.get(plan__name=labelled.plan_title, title=labelled.tasks[0].title)
    assert item.lead_unit.name == "市发展改革委"
    assert Item.objects.filter(plan__name=labelled.plan_title).count() == 8


def test_a_correction_typed_goes_along_when_the_office_moves_the_import_to_the_document_s_plan(
    page, live_server, city, tmp_path
):
    labelled, lines = docs.yiji_renwu()
    path = docs.write_docx(tmp_path / "任务清单.docx", lines)
    page.goto(f"{live_server.url}/ledger/import/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/ledger/import/$"))
    page.set_input_files("#id_file", str(path))
    page.check("input[name=into][value=existing]")
    page.select_option("#id_plan", str(city.plan.pk))  # a plan of another title than the document's
    page.click("button[type=submit]:has-text('上传并预览')")
    page.wait_for_selector("table.doc-import")

    page.locator("table.doc-import tbody tr").first.locator("textarea[name$='-lead_unit']").fill("市发改委")
    page.click(f"button:has-text('改为导入到《{labelled.plan_title}》')")
    page.wait_for_selector(f"text=导入到新方案：{labelled.plan_title}")
    assert page.locator(".step-blocked").count() == 0
    first = page.locator("table.doc-import tbody tr").first
    assert first.locator("textarea[name$='-lead_unit']").input_value() == "市发改委"  # kept, not typed again
