"""A committee meeting in a browser: the office prepares it, records it held and its decision, makes the
decision a ledger item (立项); the lead unit's liaison then finds the item on the month's fill page."""

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


def test_a_meetings_decision_becomes_a_ledger_item_in_the_months_dispatch(page, live_server, city, settings):
    from gandang.dispatch import services as dispatch
    from gandang.dispatch.models import Report
    from gandang.matters.models import Decision, Meeting

    settings.GANDANG_TODAY = "2023-10-20"
    period, _n = dispatch.period_open(actor=city.users["office"], year=2023, month=10)
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The office prepares the meeting from the 深改委会议 tab of 批示督办.
    _login(page, live_server, "office", "/matters/")
    page.click("nav.tabs a:has-text('深改委会议')")
    page.click("a:has-text('新建会议')")
    page.fill("#id_held_on", "2023-10-20")
    page.fill("#id_place", "市委第一会议室")
    page.select_option("#id_chair", str(city.leader.pk))
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r".*/matters/meetings/\d+/$"))
    assert "市委全面深化改革委员会第一次会议" in page.inner_text("h1")
    assert "前次会议议定事项均已落实" in page.inner_text("#open-decisions")

    # Held; its decision recorded for unit A.
    page.click("button:has-text('会议已召开')")
    page.wait_for_load_state()
    assert "已召开" in page.inner_text("h1")
    page.click("#decisions summary:has-text('记录议定事项')")
    page.fill("#id_decision-text", "市发展改革委牵头推进投资项目审批制度改革，年底前形成制度成果")
    page.select_option("#id_decision-unit", str(city.units["a"].pk))
    page.fill("#id_decision-deadline", "2023-12-31")
    page.click("#decisions button:has-text('保存')")
    page.wait_for_url(re.compile(r".*#decisions$"))
    assert "待交办" in page.inner_text("#decisions")

    # 立项: the plan, code and title of the new ledger item.
    page.click("#decisions a:has-text('立项')")
    page.select_option("#id_plan", str(city.plan.pk))
    page.fill("#id_code", "H-1")
    page.fill("#id_title", "推进投资项目审批制度改革")
    page.click("button:has-text('立项')")
    page.wait_for_url(re.compile(r".*/ledger/items/\d+/$"))
    assert "纳入本月调度" in page.inner_text(".messages")
    assert "市委全面深化改革委员会第一次会议" in page.inner_text("#meeting-source")
    decision = Decision.objects.get()
    assert decision.created_item is not None
    meeting = Meeting.objects.get()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert "已立项 H-1" in page.inner_text("#decisions")

    # Unit A's liaison: the new item is on the month's fill page.
    assert Report.objects.filter(period=period, item=decision.created_item).exists()
    _login(page, live_server, "liaison_a", f"/dispatch/periods/{period.pk}/fill/")
    card = page.locator("article.report-card", has_text="推进投资项目审批制度改革")
    assert card.count() == 1
    assert not errors, errors
