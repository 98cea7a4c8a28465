"""The office filters the ledger list (htmx swaps the results), then exports: the file holds what is shown."""

import re

import pytest
from openpyxl import load_workbook

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_after_filtering_holds_only_the_filtered_items(page, live_server, city, tmp_path):
    page.goto(f"{live_server.url}/ledger/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/ledger/$"))
    assert page.locator("table.items tbody tr").count() == 3

    page.fill("#id_q", "乡村")
    with page.expect_response(re.compile(r".*/ledger/\?.*q=")) as swap:
        page.press("#id_q", "Enter")  # typing's keyup, or Enter: htmx fetches the results only
    assert swap.value.request.headers.get("hx-request") == "true"
    page.wait_for_function("document.querySelectorAll('table.items tbody tr').length === 1")
    link = page.locator("#export-links a", has_text="导出Excel")
    assert "q=" in (link.get_attribute("href") or "")

    with page.expect_download() as info:
        link.click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [(r[1], r[2]) for r in rows[2:]] == [("2", city.items["b"].title)]
