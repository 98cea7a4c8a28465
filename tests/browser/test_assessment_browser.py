"""The office records a promotion for a unit's experience and sees the unit's score move in a new run."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _total(page) -> float:
    text = page.locator(".why").inner_text()
    return float(re.search(r"总分\s*([-\d.]+)", text).group(1))


def test_a_promotion_moves_the_units_score_in_a_new_run(page, live_server, city, settings):
    from gandang.assessment.models import Run
    from tests.achievements.conftest import make_experience
    from tests.assessment import factories as f

    settings.GANDANG_TODAY = "2023-12-05"
    scheme = f.full_scheme(city.users["office"])
    exp = make_experience(city, title="“信易批”信用审批")  # unit A's, adopted, not yet promoted
    page.on("dialog", lambda d: d.accept())

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    def compute_and_open_unit_a() -> float:
        page.goto(f"{live_server.url}/assessment/schemes/{scheme.pk}/")
        page.click("button:has-text('按当前记录计算')")
        page.wait_for_load_state()
        run = Run.objects.filter(scheme=scheme).order_by("-number").first()
        page.goto(f"{live_server.url}/assessment/runs/{run.pk}/")
        page.locator(f"a[href='/assessment/runs/{run.pk}/units/{city.units['a'].pk}/']").first.click()
        page.wait_for_url(re.compile(rf".*/assessment/runs/{run.pk}/units/{city.units['a'].pk}/.*"))
        return _total(page)

    before = compute_and_open_unit_a()

    # The experience page: record a provincial promotion (2 points per the scheme's experience rule).
    page.goto(f"{live_server.url}{exp.get_absolute_url()}")
    form = page.locator("form.promotion-form")
    form.locator("select[name=outlet]").select_option(label="省委改革办《改革情况交流》（省级）")
    form.locator("input[name=on]").fill("2023-09-01")
    form.locator("input[name=reference]").fill("第35期")
    form.locator("button:has-text('登记')").click()
    page.wait_for_load_state()
    assert "省委改革办《改革情况交流》" in page.inner_text("#promotions")

    after = compute_and_open_unit_a()
    assert after == pytest.approx(before + 2)
    # The line names the promotion that earned the points, with a link to the experience.
    assert page.locator(f"a[href='{exp.get_absolute_url()}']").count() >= 1
