"""The whole listing in a browser: the office lists a proposed item and downloads the reminder letter,
the unit answers it through sign-off, the office verifies and delists it."""

import io
import re
from pathlib import Path

import pytest
from docx import Document as open_docx

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, username, path="/"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_list_issue_letter_answer_and_delist(page, live_server, city, settings):
    from gandang.supervision.models import Listing, Proposal

    settings.GANDANG_TODAY = "2023-11-06"
    item = city.items["a"]
    Proposal.objects.create(item=item, trigger="red", reason="2023年9月、10月连续2个月严重滞后")
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The office: the proposal → the listing form → the letter.
    _login(page, live_server, "office", "/supervision/?tab=proposals")
    row = page.locator("tr", has_text=item.title)
    row.locator("a:has-text('挂牌')").click()
    page.wait_for_url(re.compile(r".*/supervision/new/\?proposal=\d+$"))
    assert page.input_value("#id_reason") == "2023年9月、10月连续2个月严重滞后"
    page.select_option("#id_level", "leader")
    page.fill("#id_requirements", "一是倒排工期；二是12月底前出台实施办法。")
    page.fill("#id_deadline", "2023-12-06")
    page.click("button:has-text('确定挂牌并发提醒函')")
    page.wait_for_url(re.compile(r".*/supervision/\d+/$"))
    assert "改提〔2023〕1号" in page.inner_text(".messages, body")
    with page.expect_download() as dl:
        page.click("#letters a:has-text('Word')")
    docx = open_docx(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert any("二是12月底前出台实施办法" in p.text for p in docx.paragraphs)
    listing_url = page.url

    # The ledger shows the 挂牌 badge.
    page.goto(f"{live_server.url}/ledger/")
    assert page.locator("tr", has_text=item.title).locator(".tag-listed").count() == 1

    # The unit's liaison: the workbench to-do → the rectification report → submit for sign-off.
    _login(page, live_server, "liaison_a")
    page.click(f"text={item.title} >> nth=0")
    page.wait_for_url(re.compile(r".*/supervision/\d+/#rectification$"))
    page.fill("#id_causes", "前期统筹不够")
    page.fill("#id_measures", "已召开专题会，出台实施办法。")
    # One click saves what was typed and submits it for sign-off.
    page.click("button:has-text('保存并提交签发')")
    page.wait_for_load_state()
    assert "待签发" in page.inner_text("#rectification h2")

    # The head signs off; the office verifies and delists.
    _login(page, live_server, "head_a", listing_url.removeprefix(live_server.url))
    page.click("#rectification button:has-text('签发')")
    page.wait_for_load_state()
    _login(page, live_server, "office", listing_url.removeprefix(live_server.url))
    form = page.locator("form", has=page.locator("button:has-text('核验通过并摘牌')"))
    form.locator("input[name=reason]").fill("整改到位")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "已摘牌" in page.inner_text("h1")
    assert Listing.objects.get().state == "delisted"
    # The history shows every step, and the item page the listing.
    assert page.locator("#rectification tbody tr").count() == 3
    page.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    assert "已摘牌" in page.inner_text("#listings")
    assert not [e for e in errors if "Content Security Policy" in e], errors
