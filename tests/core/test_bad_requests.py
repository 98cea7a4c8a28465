"""Malformed links answered as a person can act on: the filter dropped, a 400 or 404 with a reason,
a 422 from the API; never a server error. The crawl in tests/test_malformed_input.py tries every
page; these are the cases the issue names, and what each answer says."""

import pytest

from gandang.dispatch import services

HUGE = "99999999999999999999"


@pytest.fixture
def office(city, login):
    return login(city.users["office"])


def test_a_huge_unit_on_the_supervision_board_is_dropped(office):
    response = office.get("/supervision/", {"unit": HUGE})
    assert response.status_code == 200
    assert response.context["unit"] == ""


@pytest.mark.parametrize("unit", ["abc", "²", HUGE, "-1"])
def test_a_malformed_unit_on_the_review_page_is_dropped(city, office, unit):
    period, _n = services.period_open(actor=city.users["office"], year=2023, month=10)
    response = office.get(f"/dispatch/periods/{period.pk}/", {"unit": unit})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3  # all of the period's reports: no unit filter


def test_a_huge_unit_id_in_a_path_is_not_found(city, office):
    from tests.assessment.factories import computed_run

    run = computed_run(city)
    assert office.get(f"/assessment/runs/{run.pk}/units/{city.units['a'].pk}/").status_code == 200
    assert office.get(f"/assessment/runs/{run.pk}/units/{HUGE}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/dispatch/reports?period={HUGE}",
        "/api/achievements/stats?year=-1",
        "/api/achievements/experiences?year=99999",
        "/api/supervision/listings?state=nonsense",
        "/api/ledger/items?page=0",
    ],
)
def test_the_api_answers_a_malformed_query_with_422_and_the_reason(office, url):
    response = office.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"
    name = url.split("?")[1].split("=")[0]
    assert response.json()["message"] == f"请求参数不正确，请检查：{name}"


def test_a_nul_byte_in_a_link_is_a_bad_request_with_a_message(office):
    response = office.get("/supervision/", {"level": "office\x00"})
    assert response.status_code == 400
    assert "链接中含有无效字符" in response.content.decode()
    api = office.get("/api/dispatch/reports", {"state": "draft\x00"})
    assert api.status_code == 400
    assert api.json() == {"detail": "链接中含有无效字符，请检查后重试"}


def test_voiding_a_manual_score_needs_a_valid_reason(city, office):
    from decimal import Decimal

    from gandang.assessment import services as assessment
    from tests.assessment import factories

    scheme = factories.scheme()
    manual = factories.indicator(scheme, "manual", 5)
    score = assessment.manual_add(
        actor=city.users["office"],
        scheme=scheme,
        unit=city.units["a"],
        indicator=manual,
        points=Decimal(1),
        justification="改革特别奖",
    )
    response = office.post(f"/assessment/manual/{score.pk}/void/", {"reason": "x\x00"}, follow=True)
    score.refresh_from_db()
    assert not score.is_void
    assert "作废理由" in response.content.decode()


def test_a_reason_with_a_nul_character_is_refused_with_a_message(city, login):
    """The head's send-back reason is read from the post as typed: a NUL (which PostgreSQL refuses)
    is refused by the service like an overlong reason, and the report stays where it was."""
    from gandang.dispatch.models import Report

    period, _n = services.period_open(actor=city.users["office"], year=2023, month=10)
    report = Report.objects.get(period=period, item=city.items["a"])
    Report.objects.filter(pk=report.pk).update(progress="已完成方案起草", percent=50)
    report.refresh_from_db()
    services.report_step(actor=city.users["liaison_a"], report=report, action="submit")
    report.refresh_from_db()
    head = login(city.users["head_a"])
    data = {"send_back": report.pk, f"v{report.pk}": report.version, f"reason-{report.pk}": "重写\x00"}
    response = head.post("/dispatch/sign/", data, follow=True)
    assert "含有无效字符" in response.content.decode()
    assert Report.objects.get(pk=report.pk).state == report.state


def test_a_form_refused_by_the_csrf_check_says_so_in_chinese_and_leads_back_to_its_page(city):
    """A form opened before its person signed in again elsewhere (a new CSRF secret) is refused with words and
    a way back, not Django's bare page; a link back goes only to this site."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(city.users["liaison_a"])
    page = "http://testserver/matters/1/"
    response = client.post("/matters/1/answer/", {"answer": "写好的办理情况"}, HTTP_REFERER=page)
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and "恢复" in body and 'href="http://testserver/matters/1/"' in body
    response = client.post("/matters/1/answer/", {"answer": "x"}, HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 403 and "evil.example" not in response.content.decode()
