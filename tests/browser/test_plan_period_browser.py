"""The office opens a quarter by hand in the browser: choosing the plan and the quarter's last month puts
the plan's own deadline in the deadline box (not the city's 25th); going back to the city's month puts
the city's day back; the quarter opens due on the plan's day."""

from datetime import date

import pytest

from gandang.dispatch.models import Period
from gandang.ledger import services as ledger
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from tests.browser.test_dispatch_browser import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_deadline_box_follows_the_chosen_plan(page, live_server, city, settings):
    settings.GANDANG_TODAY = "2023-06-01"  # the day the office opens it by hand, before its deadline
    plan = ledger.plan_save(
        actor=city.users["office"],
        plan=Plan(),
        fields={
            "year": 2023,
            "name": "2023年全市优化营商环境改革工作要点",
            "cycle": Cycle.QUARTERLY,
            "deadlines": "04-20,07-10,10-15,12-20",
        },
    )
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/dispatch/")
    page.fill("#id_year", "2023")
    page.fill("#id_month", "6")
    page.locator("#id_month").dispatch_event("change")
    assert page.input_value("#id_deadline") == "2023-06-25"  # the city's month
    page.select_option("#id_plan", str(plan.pk))
    assert page.input_value("#id_deadline") == "2023-07-10"  # the plan's own day for its second quarter
    page.fill("#id_month", "9")
    page.locator("#id_month").dispatch_event("change")
    assert page.input_value("#id_deadline") == "2023-10-15"
    page.get_by_role("button", name="开启并生成报告").click()
    page.wait_for_load_state()
    assert Period.objects.get(plan=plan, month=9).deadline == date(2023, 10, 15)
