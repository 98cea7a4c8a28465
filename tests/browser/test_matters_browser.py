"""A leader's 批示 in a browser: written on a red item, answered by the unit's liaison, signed by its head,
closed by the office; the leader's workbench then shows it closed."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, username, path="/"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_leader_instructs_on_a_red_item_the_unit_answers_and_the_office_closes(
    page, live_server, city, settings
):
    from gandang.ledger.models import Item
    from gandang.matters.models import Matter

    settings.GANDANG_TODAY = "2023-11-06"
    item = city.items["a"]
    Item.objects.filter(pk=item.pk).update(status="red", status_reason="时间节点“完成方案”已逾期")
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The leader, on the red item's page: 作出批示 → text, unit, deadline.
    _login(page, live_server, "leader", f"/ledger/items/{item.pk}/")
    page.click("#instructions summary:has-text('作出批示')")
    page.fill("#id_instruct-text", "请市发改委抓紧推进，月底前报进展")
    page.select_option("#id_instruct-unit", str(city.units["a"].pk))
    page.fill("#id_instruct-deadline", "2023-11-30")
    page.click("#instructions button:has-text('发出批示')")
    page.wait_for_url(re.compile(rf".*/ledger/items/{item.pk}/#instruction-\d+$"))
    assert "已交市发展改革委办理" in page.inner_text(".messages")
    assert "办理中" in page.inner_text("#instructions")
    matter = Matter.objects.get()

    # The unit's liaison: the workbench to-do → the answer → saved and submitted in one click.
    _login(page, live_server, "liaison_a")
    page.click(f"#matters-to-answer a:has-text('{matter.title[:10]}')")
    page.wait_for_url(re.compile(r".*/matters/\d+/#answer$"))
    page.fill("#id_answer", "已召开专题会研究，形成工作方案，11月20日前报市政府。")
    page.click("button:has-text('保存并提交签发')")
    page.wait_for_load_state()
    assert "待签发" in page.inner_text("h1")

    # The head signs it off from the workbench.
    _login(page, live_server, "head_a")
    page.click(f"#matters-to-sign a:has-text('{matter.title[:10]}')")
    page.wait_for_url(re.compile(r".*/matters/\d+/#answer$"))
    page.click("#answer button:has-text('签发')")
    page.wait_for_load_state()
    assert "待办结" in page.inner_text("h1")

    # The office closes it from its workbench.
    _login(page, live_server, "office")
    page.click(f"#matters-to-close a:has-text('{matter.title[:10]}')")
    page.wait_for_url(re.compile(r".*/matters/\d+/#answer$"))
    page.click("#answer button:has-text('办结')")
    page.wait_for_load_state()
    assert "已办结" in page.inner_text("h1")
    assert page.locator("#answer tbody tr").count() == 3  # submit, approve, close
    matter.refresh_from_db()
    assert matter.state == "closed"

    # The leader sees how it was handled.
    _login(page, live_server, "leader")
    assert "已办结" in page.inner_text("#my-instructions")
    assert not errors, errors
