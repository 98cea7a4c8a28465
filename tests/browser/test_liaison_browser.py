"""A liaison signs in, finds the unit's own items, opens one, and cannot reach another unit's item."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/ledger/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/ledger/$"))


def test_liaison_finds_own_items_and_not_others(page, live_server, city):
    _login(page, live_server, "liaison_a")
    rows = page.locator("table.items tbody tr")
    assert rows.count() == 1
    assert city.items["a"].title in rows.first.inner_text()

    page.fill("#id_q", "要素")
    page.wait_for_timeout(800)
    assert page.locator("table.items tbody tr").count() == 1

    page.click(f"text={city.items['a'].title}")
    page.wait_for_url(re.compile(rf".*/ledger/items/{city.items['a'].pk}/$"))
    assert page.locator("h1").inner_text().startswith(city.items["a"].title)
    assert page.locator("text=完成方案").count() >= 1
    assert page.locator("a:has-text('编辑')").count() == 0

    response = page.goto(f"{live_server.url}/ledger/items/{city.items['b'].pk}/")
    assert response.status == 404
    assert "页面不存在" in page.content()


def test_page_runs_without_csp_violations(page, live_server, city):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "office")
    page.select_option("#id_sort", "due")
    page.wait_for_timeout(800)
    assert "sort=due" in page.url
    assert not [e for e in errors if "Content Security Policy" in e], errors
