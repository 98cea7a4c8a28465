"""A month in the browser: the liaison fills and submits, the head signs off, the office returns one,
the liaison revises, the office accepts; the workbench counts follow each step."""

import re
from datetime import date

import pytest

from gandang.dispatch import services as dispatch
from gandang.ledger import services as ledger
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def save(page, card):
    """The card saves itself as it is typed: wait for the autosave to say so."""
    with page.expect_response(lambda r: "/autosave/" in r.url and r.request.method == "POST") as resp:
        pass
    assert resp.value.status == 200
    card.locator(".autosave-status", has_text="已自动保存").wait_for()


def tile(page, label):
    text = page.locator(".tile", has_text=label).first.locator("b").inner_text()
    return int(text)


def test_a_month_from_filling_to_acceptance(page, live_server, city):
    second = ledger.item_create(
        actor=city.users["office"],
        fields={
            "plan": city.plan,
            "code": "4",
            "seq": 4,
            "title": "推进投资项目审批改革",
            "lead_unit": city.units["a"],
            "due_date": date(2023, 12, 31),
        },
    )
    period, _ = dispatch.period_open(actor=city.users["office"], year=2023, month=10)

    login(page, live_server, "liaison_a")
    assert tile(page, "待填报/待修改") == 2
    page.click("text=待填报/待修改")
    cards = page.locator("article.report-card")
    assert cards.count() == 2
    for i, title in enumerate([city.items["a"].title, second.title]):
        card = page.locator("article.report-card", has_text=title)
        card.locator("textarea[name$=progress]").fill(f"本月完成第{i + 1}项重点工作，召开专题会议两次")
        card.locator("input[name$=percent]").fill("50")
        save(page, card)
        card = page.locator("article.report-card", has_text=title)
        card.locator("button:has-text('提交签发')").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    assert tile(page, "待填报/待修改") == 0

    login(page, live_server, "head_a")
    assert tile(page, "待签发报告") == 2
    page.goto(f"{live_server.url}/dispatch/periods/{period.pk}/fill/")
    for _ in range(2):
        page.locator("button:has-text('签发')").first.click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    assert tile(page, "待签发报告") == 0

    login(page, live_server, "office")
    assert tile(page, f"{period}待审核") == 2
    page.goto(f"{live_server.url}/dispatch/periods/{period.pk}/?state=signed")
    page.click(f"text={second.title}")
    page.fill("input[name=reason]", "进展表述笼统，请补充量化数据")
    page.click("button:has-text('退回')")
    page.wait_for_load_state()
    assert "已退回" in page.inner_text("h1")

    login(page, live_server, "liaison_a")
    assert "进展表述笼统" in page.inner_text(".todo-urgent")
    page.click(f".todo-urgent >> text={second.title}")
    card = page.locator("article.report-card", has_text=second.title)
    card.locator("textarea[name$=progress]").fill("本月完成审批流程再造，压减审批时限40%")
    save(page, card)
    page.locator("article.report-card", has_text=second.title).locator("button:has-text('提交签发')").click()
    page.wait_for_load_state()

    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/dispatch/periods/{period.pk}/fill/")
    page.locator("button:has-text('签发')").first.click()
    page.wait_for_load_state()

    login(page, live_server, "office")
    page.goto(f"{live_server.url}/dispatch/periods/{period.pk}/?state=signed")
    for box in page.locator("input[name=report]").all():
        box.check()
    page.click("button:has-text('勾选的报告审核通过')")
    page.wait_for_load_state()
    assert re.search(r"已审核通过2份报告", page.content())
    page.goto(f"{live_server.url}/")
    assert tile(page, f"{period}待审核") == 0
