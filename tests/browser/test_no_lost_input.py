"""Nothing a person types is lost, in a real browser: drafts save as they are typed, a closed tab or
an ended session gives the text back, limits are shown and never cut, steps wait for unsaved text."""

import re

import pytest

from gandang.dispatch import services as dispatch
from gandang.dispatch.models import Report
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, then="/"):
    page.goto(f"{live_server.url}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def fill_url(city, live_server):
    period, _n = dispatch.period_open(actor=city.users["office"], year=2023, month=10)
    return f"/dispatch/periods/{period.pk}/fill/"


def _report(city):
    return Report.objects.get(item=city.items["a"])


def test_a_draft_saves_itself_as_it_is_typed(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    card = page.locator("article.report-card").first
    card.locator("textarea[name$=progress]").fill("本月召开专题会议，形成方案初稿")
    card.locator(".autosave-status", has_text=re.compile(r"已自动保存 \d\d:\d\d")).wait_for()
    assert _report(city).progress == "本月召开专题会议，形成方案初稿"
    assert _report(city).state == Report.State.DRAFT


def test_text_typed_just_before_the_tab_closed_comes_back_and_is_saved(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    page.locator("textarea[name$=progress]").first.fill("关掉标签页前刚写的一句")
    page.wait_for_timeout(500)  # kept in this browser at once; the server save waits for a pause
    context = page.context
    page.close()  # before the autosave ran
    assert _report(city).progress == ""
    again = context.new_page()
    again.goto(f"{live_server.url}{fill_url}")
    card = again.locator("article.report-card").first
    assert card.locator("textarea[name$=progress]").input_value() == "关掉标签页前刚写的一句"
    card.locator(".autosave-status", has_text="已自动保存").wait_for()
    assert _report(city).progress == "关掉标签页前刚写的一句"


def test_when_the_session_ends_the_text_is_kept_and_saved_after_signing_in_again(
    page, live_server, city, fill_url
):
    sign_in(page, live_server, "liaison_a", fill_url)
    card = page.locator("article.report-card").first
    text = card.locator("textarea[name$=progress]")
    text.fill("第一句")
    card.locator(".autosave-status", has_text="已自动保存").wait_for()
    page.context.clear_cookies(name="sessionid")  # the session ends
    text.fill("第一句。会话结束后又写了第二句")
    card.locator(".autosave-status", has_text="登录已过期").wait_for()
    assert page.locator("#relogin a", has_text="重新登录").count() == 1
    other = page.context.new_page()
    sign_in(other, live_server, "liaison_a", "/signed-in/")
    assert "已重新登录" in other.content()
    other.close()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    card.locator(".autosave-status", has_text="已自动保存").wait_for()
    assert _report(city).progress == "第一句。会话结束后又写了第二句"


def test_a_button_pressed_after_the_session_ended_fills_the_form_again_after_sign_in(
    page, live_server, city, fill_url
):
    sign_in(page, live_server, "liaison_a", fill_url)
    page.context.clear_cookies(name="sessionid")
    page.evaluate(
        "document.querySelectorAll('[data-autosave]').forEach(c => c.removeAttribute('data-autosave'))"
    )
    page.locator("textarea[name$=progress]").first.fill("点保存时会话已经结束")
    page.locator("button[name=save]").first.click()
    page.wait_for_url(re.compile(r".*/login/.*"))
    assert "您刚才填写的内容已保留" in page.content()
    page.fill("#id_username", "liaison_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*{fill_url}$"))
    assert page.locator("textarea[name$=progress]").first.input_value() == "点保存时会话已经结束"
    assert "已填回您登录过期前填写的内容" in page.content()


def test_the_limit_is_counted_as_typed_and_a_long_paste_is_never_cut(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    card = page.locator("article.report-card").first
    box = card.locator("textarea[name$=progress]")
    box.fill("推" * 2100)
    counter = card.locator(".counter.over")
    assert counter.inner_text().startswith("2100/2000字")
    assert len(box.input_value()) == 2100
    card.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert "2000" in page.locator(".report-card .err").first.inner_text()
    assert len(page.locator("textarea[name$=progress]").first.input_value()) == 2100
    assert _report(city).progress == ""


def test_ticking_a_milestone_fills_in_its_date(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    ms = city.items["a"].milestones.get()
    page.check(f"input[name$='-reach-{ms.pk}']")
    assert page.input_value(f"input[name$='-reach-date-{ms.pk}']").startswith("2023-10-")


def test_leaving_a_page_with_unsaved_text_asks_first(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    asked = []
    page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.locator("textarea[name$=progress]").first.fill("还没保存")
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]


def test_a_step_waits_while_text_on_the_page_is_unsaved(page, live_server, city, settings):
    from gandang.bulletins.models import Bulletin
    from tests.bulletins.conftest import build_q3

    build_q3(city)
    settings.GANDANG_TODAY = "2023-10-15"
    sign_in(page, live_server, "office", "/bulletins/")
    page.click("button:has-text('生成草稿')")
    page.wait_for_load_state()
    page.locator("a:has-text('编辑文字')").first.click()
    page.locator("form.part-form textarea").first.fill("改过但还没保存的段落")
    page.click("button:has-text('印发通报')")
    assert page.locator(".step-blocked", has_text="未保存的修改").count() == 1
    assert not Bulletin.objects.filter(doc_number__gt="").exists()


def test_a_form_refused_by_a_redirect_offers_its_text_back(page, live_server, city):
    """A form whose error sends the person back to its page (not re-rendered) offers what was typed."""
    from gandang.supervision.models import Proposal

    proposal = Proposal.objects.create(item=city.items["a"], trigger="no_effect", reason="成效不明显")
    sign_in(page, live_server, "office", "/supervision/?tab=proposals")
    form = page.locator(f"form[action$='/proposals/{proposal.pk}/dismiss/']")
    page.locator("summary", has_text="不予挂牌").first.click()
    form.locator("[name=reason]").fill("理" * 400)
    form.locator("button").first.click()
    page.wait_for_load_state()
    banner = page.locator(".restore-banner", has_text="尚未保存成功")
    banner.wait_for()
    banner.locator("button", has_text="恢复").click()
    assert (
        page.locator(f"form[action$='/proposals/{proposal.pk}/dismiss/'] [name=reason]").input_value()
        == "理" * 400
    )


def test_the_page_speaks_english_to_an_english_user(page, live_server, city, fill_url):
    sign_in(page, live_server, "liaison_a", fill_url)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}{fill_url}")
    card = page.locator("article.report-card").first
    card.locator("textarea[name$=progress]").fill("Progress typed in English mode")
    card.locator(".autosave-status", has_text="Saved automatically at").wait_for()
    assert card.locator(".counter").first.inner_text().endswith("/2000")
