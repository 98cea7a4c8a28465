"""Each hook records its security event: sign-in, failures, lockouts, sign-out, denials, downloads,
configuration changes, passwords; with the real time and the source address."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from gandang.security import context
from gandang.security.models import SecurityEvent
from tests.conftest import PASSWORD
from tests.security.conftest import events

Kind = SecurityEvent.Kind


def _report_of_item_b(city):
    from gandang.dispatch import services
    from gandang.dispatch.models import Report

    period, _n = services.period_open(actor=None, year=2023, month=10)
    return Report.objects.get(period=period, item=city.items["b"])


def test_sign_in_is_recorded_with_user_role_and_address(client, city):
    client.post("/login/", {"username": "liaison_a", "password": PASSWORD})
    (event,) = events(Kind.LOGIN)
    assert event.user == city.users["liaison_a"]
    assert (event.username, event.role, event.address, event.outcome) == (
        "liaison_a",
        "liaison",
        "127.0.0.1",
        "success",
    )


def test_failed_sign_in_keeps_the_name_as_typed(client, city):
    client.post("/login/", {"username": "liaison_a", "password": "wrong"})
    client.post("/login/", {"username": "nobody-here", "password": "wrong"})
    known, unknown = events(Kind.LOGIN_FAILED)
    assert known.user == city.users["liaison_a"] and known.outcome == "failure"
    assert unknown.user is None and unknown.username == "nobody-here"
    assert "wrong" not in str(known.detail) + str(unknown.detail)  # never the password tried


def test_sign_out_is_recorded(client, city):
    client.post("/login/", {"username": "office", "password": PASSWORD})
    client.post("/logout/")
    (event,) = events(Kind.LOGOUT)
    assert event.user == city.users["office"]


def test_lockout_is_recorded(client, city, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "head_a", "password": "wrong"})
    (event,) = events(Kind.LOCKOUT)
    assert event.user == city.users["head_a"] and event.outcome == "denied"
    assert len(events(Kind.LOGIN_FAILED)) == settings.AXES_FAILURE_LIMIT


def test_forwarded_address_is_taken_only_from_a_trusted_proxy(client, city, settings):
    client.post("/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="10.9.8.7")
    settings.GANDANG_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post("/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="10.9.8.7, 127.0.0.1")
    first, second = events(Kind.LOGIN_FAILED)
    assert (first.address, second.address) == ("127.0.0.1", "10.9.8.7")


def test_liaison_asking_for_another_units_report_is_a_denial(login, city):
    report = _report_of_item_b(city)
    url = reverse("dispatch:report_detail", args=[report.pk])
    assert login(city.users["liaison_a"]).get(url).status_code == 404
    (event,) = events(Kind.ACCESS_DENIED)
    assert event.user == city.users["liaison_a"] and event.outcome == "denied"
    assert event.object == f"dispatch:report_detail pk={report.pk}"
    assert event.detail == {"method": "GET", "path": url, "status": 404}


def test_forbidden_page_is_a_denial(login, city):
    assert login(city.users["observer"]).get(reverse("ledger:item_create")).status_code == 403
    (event,) = events(Kind.ACCESS_DENIED)
    assert event.user == city.users["observer"] and event.detail["status"] == 403


def test_a_page_that_does_not_exist_is_not_a_denial(login, city):
    client = login(city.users["liaison_a"])
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(reverse("ledger:item_detail", args=[city.items["a"].pk])).status_code == 200
    assert not events(Kind.ACCESS_DENIED)


def test_excel_export_is_recorded(login, city):
    response = login(city.users["leader"]).get(reverse("ledger:export_xlsx"), {"area": city.area.pk})
    assert response.status_code == 200
    (event,) = events(Kind.EXPORT)
    assert event.user == city.users["leader"]
    assert event.object.startswith("ledger:export_xlsx 改革台账-") and event.object.endswith(".xlsx")
    assert event.detail["query"] == f"area={city.area.pk}"


def test_attachment_download_is_recorded_once(login, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.dispatch import services

    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n")
    att = services.attachment_add(actor=city.users["liaison_b"], report=_report_of_item_b(city), upload=pdf)
    response = login(city.users["office"]).get(reverse("dispatch:attachment_download", args=[att.pk]))
    assert response.status_code == 200
    (event,) = events(Kind.EXPORT)
    assert event.detail["file"] == "方案.pdf"


def test_admin_change_is_a_configuration_event(login, city):
    response = login(city.users["office"]).post(
        "/manage/ledger/area/add/", {"name": "数字政府改革", "sort_order": 5}
    )
    assert response.status_code == 302
    (event,) = events(Kind.CONFIG_CHANGE)
    assert event.user == city.users["office"] and event.address == "127.0.0.1"
    assert event.object.startswith("ledger.area#") and event.object.endswith("数字政府改革")
    assert event.detail["action"] == "addition"


def test_password_set_by_its_owner_or_by_someone_else(rf, city):
    liaison = city.users["liaison_a"]
    request = rf.post("/account/password/")
    request.user = liaison
    token = context.serving(request)
    try:
        liaison.set_password("Another-pass-2024")
        liaison.save()
    finally:
        context.done(token)
    liaison.set_password("Console-set-2024")  # e.g. `gandang changepassword`
    liaison.save()
    (changed,) = events(Kind.PASSWORD_CHANGE)
    (reset,) = events(Kind.PASSWORD_RESET)
    assert changed.user == liaison and changed.object.startswith("org.user#")
    assert reset.user is None and reset.detail == {"account": "liaison_a"}


def test_times_are_real_even_on_a_pinned_demo_calendar(client, city, settings):
    from gandang.core import clock

    settings.GANDANG_TODAY = "2023-12-05"
    client.post("/login/", {"username": "office", "password": PASSWORD})
    (event,) = events(Kind.LOGIN)
    assert clock.today() == date(2023, 12, 5)
    assert abs((timezone.now() - event.at).total_seconds()) < 60
