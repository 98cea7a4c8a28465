"""The second factor: TOTP with recovery codes, required for the office and the administrator roles."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandang.accounts import two_factor
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _required(settings):
    settings.GANDANG_2FA_REQUIRED_ROLES = ["office", "sysadmin", "secadmin", "auditadmin"]


def code(device: TOTPDevice, offset: int = 0) -> str:
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = time.time() + offset
    return f"{t.token():0{device.digits}d}"


def _unthrottle(device):
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()


def _sign_in(client, username):
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302
    return client


def test_the_office_sets_up_an_authenticator_at_its_first_sign_in(client, city):
    _sign_in(client, "office")
    r = client.get("/ledger/")
    assert r.status_code == 302 and r["Location"].startswith("/account/2fa/setup/")
    page = client.get(r["Location"]).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    device = TOTPDevice.objects.get(user=city.users["office"], confirmed=False)
    assert two_factor.secret(device).replace(" ", "") in page.replace(" ", "")
    wrong = client.post("/account/2fa/setup/", {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    _unthrottle(device)  # a failed code slows the next try down (django-otp's throttling)
    done = client.post("/account/2fa/setup/", {"token": code(device), "next": "/ledger/"})
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/ledger/").status_code == 200


@pytest.fixture
def enrolled(city):
    device = TOTPDevice.objects.create(user=city.users["office"], name="身份验证器", confirmed=True)
    codes = two_factor.new_recovery_codes(city.users["office"])
    return device, codes


def test_each_sign_in_asks_for_a_code_and_only_a_right_one_passes(client, city, enrolled):
    device, _codes = enrolled
    _sign_in(client, "office")
    r = client.get("/bulletins/")
    assert r.status_code == 302 and r["Location"].startswith("/account/2fa/verify/")
    assert client.post("/account/2fa/verify/", {"token": "12345"}).status_code == 400
    _unthrottle(device)
    r = client.post("/account/2fa/verify/", {"token": code(device), "next": "/bulletins/"})
    assert r.status_code == 302 and r["Location"] == "/bulletins/"
    assert client.get("/bulletins/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_code_is_checked_as_a_server_checks_it_outside_any_test_transaction(client, city, enrolled):
    """As under a real server (autocommit): the devices are locked while the code is checked, which
    PostgreSQL allows only inside a transaction the check opens itself."""
    device, codes = enrolled
    _sign_in(client, "office")
    assert client.post("/account/2fa/verify/", {"token": code(device)}).status_code == 302
    client.logout()
    _sign_in(client, "office")
    assert client.post("/account/2fa/verify/", {"token": codes[2]}).status_code == 302


def test_a_recovery_code_works_once(client, city, enrolled):
    _device, codes = enrolled
    _sign_in(client, "office")
    assert client.post("/account/2fa/verify/", {"token": codes[0]}).status_code == 302
    client.post("/logout/")
    _sign_in(client, "office")
    assert client.post("/account/2fa/verify/", {"token": codes[0]}).status_code == 400


def test_the_password_alone_cannot_change_the_password_or_reach_the_api(client, city, enrolled):
    _sign_in(client, "office")
    assert client.get("/account/password/").status_code == 302
    r = client.get("/api/ledger/items")
    assert r.status_code == 403 and "验证码" in r.json()["error"]


def test_a_remembered_browser_skips_the_code_for_its_person_only(client, city, enrolled):
    device, _codes = enrolled
    _sign_in(client, "office")
    client.post("/account/2fa/verify/", {"token": code(device), "remember": "1"})
    assert two_factor.TRUSTED_COOKIE in client.cookies
    client.post("/logout/")
    _sign_in(client, "office")
    assert client.get("/ledger/").status_code == 200  # no code asked
    # The cookie vouches for the office's device only: another person still enrols/verifies.
    other = TOTPDevice.objects.create(user=city.users["liaison_a"], name="x", confirmed=True)
    client.post("/logout/")
    _sign_in(client, "liaison_a")
    r = client.get("/ledger/")
    assert r.status_code == 302 and "/account/2fa/verify/" in r["Location"]
    assert other.pk


def test_others_may_switch_it_on_and_off_the_office_may_not_switch_it_off(client, city, enrolled):
    _sign_in(client, "liaison_a")
    assert client.get("/ledger/").status_code == 200  # offered, not required
    assert "启用双因素认证" in client.get("/account/2fa/").content.decode()
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=city.users["liaison_a"])
    client.post("/account/2fa/setup/", {"token": code(device)})
    assert TOTPDevice.objects.get(user=city.users["liaison_a"]).confirmed
    client.post("/account/2fa/", {"action": "off"})
    assert not TOTPDevice.objects.filter(user=city.users["liaison_a"]).exists()

    device, codes = enrolled
    client.post("/logout/")
    _sign_in(client, "office")
    client.post("/account/2fa/verify/", {"token": codes[1]})
    r = client.post("/account/2fa/", {"action": "off"}, follow=True)
    assert "不能关闭" in r.content.decode()
    assert TOTPDevice.objects.filter(user=city.users["office"], confirmed=True).exists()


def test_a_reset_makes_the_person_enrol_again(client, city, enrolled):
    assert two_factor.reset(city.users["office"]) == 2  # the authenticator and the recovery codes
    _sign_in(client, "office")
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/account/2fa/setup/")


def test_second_factor_changes_are_security_events(client, city, enrolled):
    from gandang.security.models import SecurityEvent

    _sign_in(client, "office")
    client.post("/account/2fa/verify/", {"token": "999999999"})
    assert SecurityEvent.objects.filter(kind="mfa_change", outcome="failure").exists()
