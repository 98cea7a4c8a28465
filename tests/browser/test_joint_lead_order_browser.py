"""The item form's 共同牵头单位 in a browser: numbered places (第1位, 第2位 …) with ↑/↓ buttons that swap
two places (app.js, under the strict CSP: no inline script); the order saved is the order shown."""

import re

import pytest

from gandang.ledger.models import Item
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _chosen(page) -> list[str]:
    return page.locator("ol.ordered-selects select").evaluate_all(
        "ss => ss.map(s => s.value ? s.selectedOptions[0].text : '')"
    )


def test_office_orders_joint_leads_with_the_move_buttons_and_saves_that_order(page, live_server, city):
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    item = city.items["b"]  # 岱岳区 leads
    page.goto(f"{live_server.url}/ledger/items/{item.pk}/edit/")
    places = page.locator("ol.ordered-selects select")
    places.nth(0).select_option(label="市发展改革委")
    places.nth(1).select_option(label="市教育局")
    first = page.locator("ol.ordered-selects li").nth(0)
    assert first.get_by_role("button", name="第1位 上移").is_disabled()  # nowhere to go
    first.get_by_role("button", name="第1位 下移").click()
    assert _chosen(page)[:2] == ["市教育局", "市发展改革委"]
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(rf".*/ledger/items/{item.pk}/$"))
    assert Item.objects.get(pk=item.pk).lead_units_display == "岱岳区、市教育局、市发展改革委"
    page.goto(f"{live_server.url}/ledger/items/{item.pk}/edit/")
    assert _chosen(page)[:2] == ["市教育局", "市发展改革委"]
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m]
