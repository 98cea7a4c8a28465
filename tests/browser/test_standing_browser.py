"""The office computes and publishes a month's standing from the 月度晾晒 tab; unit A's liaison follows the
workbench's tile to its own line and from a point to the report behind it."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_the_office_publishes_and_a_unit_follows_its_line_to_the_report(page, live_server, city, settings):
    from gandang.assessment.models import Standing
    from gandang.dispatch.models import Report
    from tests.assessment import factories as f

    settings.GANDANG_TODAY = "2023-12-05"
    f.standing_scheme()
    oct_ = f.period(2023, 10)
    late = f.report(city.items["a"], oct_, is_late=True)
    f.snapshot(city.items["a"], oct_, "yellow")
    page.on("dialog", lambda d: d.accept())

    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/assessment/")
    page.locator("nav.tabs a", has_text="月度晾晒").click()
    page.wait_for_url(f"{live_server.url}/assessment/standings/")
    page.select_option("#id_period", str(oct_.pk))
    page.click("button:has-text('计算')")
    standing = Standing.objects.get(period=oct_)
    page.wait_for_url(f"{live_server.url}/assessment/standings/{standing.pk}/")
    page.click("button:has-text('发布')")
    page.wait_for_load_state()
    standing.refresh_from_db()
    assert standing.is_published

    page.context.clear_cookies()
    _login(page, live_server, "liaison_a")
    page.locator(".tile", has_text="本单位得分明细").click()
    page.wait_for_url(re.compile(rf".*/assessment/standings/{standing.pk}/units/{city.units['a'].pk}/"))
    assert (
        "逾期报送"
        in page.locator(
            "#ind-" + str(standing.lines.get(unit=city.units["a"], indicator_name="按时报送").indicator_id)
        ).inner_text()
    )
    page.locator(f"a[href='{late.get_absolute_url()}']").first.click()
    page.wait_for_url(f"{live_server.url}{late.get_absolute_url()}")
    assert Report.objects.filter(pk=late.pk).exists()
