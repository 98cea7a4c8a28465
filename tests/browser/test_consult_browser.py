"""A consultation in a browser: the office records a session and a party's suggestion and assigns it; the unit
answers with the outcome (refused without it), its head signs, the office closes, edits the drafted reply
letter and issues it; the year's table counts the adopted suggestion and links to it."""

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


def test_a_partys_suggestion_is_assigned_answered_closed_and_replied_to(page, live_server, city, settings):
    from gandang.matters.models import Matter, Party, ReplyLetter

    settings.GANDANG_TODAY = "2023-11-06"
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # Seeded by the migration; a browser test's database is emptied between tests (transactional), so
    # an earlier browser test may have taken the seed with it.
    minmeng, _new = Party.objects.get_or_create(name="民盟", defaults={"sort_order": 2})

    # The office: 批示督办 → 协商座谈 → 录入协商座谈会 → a suggestion → 交办.
    _login(page, live_server, "office", "/matters/consult/")
    page.click("a:has-text('录入协商座谈会')")
    page.fill("#id_title", "2023年第四季度深化改革协商座谈会")
    page.fill("#id_on", "2023-10-20")
    page.fill("#id_host", "市委副书记高振华")
    page.check(f"input[name=parties][value='{minmeng.pk}']")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r".*/matters/consult/\d+/$"))
    page.select_option("#id_party", str(minmeng.pk))
    page.fill("#id_person", "张伟")
    page.fill("#id_title", "完善改革容错纠错机制")
    page.fill("#id_text", "建议出台改革容错纠错实施办法，明确免责情形和程序。")
    page.click("button:has-text('保存建议')")
    page.wait_for_url(re.compile(r".*#suggestions$"))
    page.click("#suggestions a:has-text('完善改革容错纠错机制')")
    page.select_option("#id_assign-unit", str(city.units["a"].pk))
    page.fill("#id_assign-deadline", "2023-11-30")
    page.click("#handling button:has-text('交办')")
    page.wait_for_load_state()
    assert "已交市发展改革委办理" in page.inner_text(".messages")
    matter = Matter.objects.get()

    # The liaison answers from the workbench: without the outcome the submit is refused, then with it.
    _login(page, live_server, "liaison_a")
    page.click(f"#matters-to-answer a:has-text('{matter.title[:10]}')")
    page.fill("#id_answer", "已起草《改革容错纠错实施办法》，正在征求意见。")
    page.click("button:has-text('保存并提交签发')")
    page.wait_for_load_state()
    assert "须选择采纳情况并说明理由" in page.inner_text(".messages")
    page.select_option("#id_outcome", "adopted")
    page.fill("#id_outcome_reason", "建议切实可行，已纳入明年改革要点。")
    page.click("button:has-text('保存并提交签发')")
    page.wait_for_load_state()
    assert "待签发" in page.inner_text("h1")

    _login(page, live_server, "head_a")
    page.click(f"#matters-to-sign a:has-text('{matter.title[:10]}')")
    page.click("#answer button:has-text('签发')")
    page.wait_for_load_state()

    # The office closes the matter, then sends the reply letter from the suggestion's page.
    _login(page, live_server, "office")
    page.click(f"#matters-to-close a:has-text('{matter.title[:10]}')")
    page.click("#answer button:has-text('办结')")
    page.wait_for_load_state()
    assert "已办结" in page.inner_text("h1")
    page.click("a:has-text('查看意见建议')")
    page.click("#reply a:has-text('拟制答复函')")
    body = page.input_value("#id_body")
    assert "已起草《改革容错纠错实施办法》" in body and "该建议采纳" in body
    page.fill("#id_body", body + "\n特此函复。")
    page.fill("#id_sent_via", "机要交换")
    page.click("button:has-text('编号印发')")
    page.wait_for_url(re.compile(r".*#reply$"))
    assert "改函〔2023〕1号" in page.inner_text("#reply")
    assert "已答复" in page.inner_text("h1")
    letter = ReplyLetter.objects.get()
    assert "特此函复。" in str(letter.content)

    # The year's table: 民盟 adopted 1, and the figure opens the list with the suggestion.
    page.goto(f"{live_server.url}/matters/consult/?year=2023")
    link = page.locator("#counts tr", has_text="民盟").locator("a[href*='outcome=adopted']")
    assert link.inner_text() == "1"
    link.click()
    page.wait_for_load_state()
    assert "完善改革容错纠错机制" in page.inner_text("main") and "共 1 条" in page.inner_text("main")
    assert not errors, errors
