"""三权分立 (等保 8.1.4.2, 8.1.5): the system, security and audit administrators each do their part only,
none of them touches the reform work, and what each does is recorded."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandang.core.models import AuditEntry
from gandang.org.models import Unit, User
from gandang.security.models import SecurityEvent
from tests.conftest import PASSWORD

Kind = SecurityEvent.Kind


def _unit_form(unit: Unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "aliases": unit.aliases,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "sort_order": unit.sort_order,
        "is_active": "on",
    }
    return data | changes


def _user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": "",
        "email": "",
        "notify_webhook": "",
        "role": user.role,
        "unit": user.unit_id or "",
        "leader": user.leader_id or "",
        "is_active": "on",
    }
    return data | changes


# --- the audit administrator reads, and changes nothing ----------------------------------------------------


def test_the_audit_administrator_cannot_change_a_unit(login, city):
    unit = city.users["liaison_a"].unit
    client = login(city.users["auditadmin"])
    url = f"/manage/org/unit/{unit.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, _unit_form(unit, name="审计员改的名字")).status_code == 403
    unit.refresh_from_db()
    assert unit.name != "审计员改的名字"
    assert not AuditEntry.objects.filter(object_repr="审计员改的名字").exists()


def test_the_audit_administrator_reads_both_logs_and_changes_no_entry(login, city):
    client = login(city.users["auditadmin"])
    assert client.get("/manage/core/auditentry/").status_code == 200
    assert client.get("/security/events/").status_code == 200
    entry = AuditEntry.objects.first()
    if entry is not None:
        change = f"/manage/core/auditentry/{entry.pk}/change/"
        assert client.post(change, {"reason": "改过"}).status_code == 403
        entry.refresh_from_db()
        assert entry.reason != "改过"
    home = client.get("/").content.decode()
    assert "安全审计日志" in home and "改革台账" not in home


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin"])
def test_no_administrator_reaches_the_reform_work(login, city, who):
    client = login(city.users[who])
    for url in ("/ledger/", "/dispatch/", "/supervision/", "/assessment/", "/achievements/"):
        assert client.get(url).status_code == 403, url
    response = client.get("/api/ledger/items")
    assert response.status_code == 403 and "三权分立" in response.json()["error"]
    assert client.get("/").status_code == 200  # their own workbench
    # Each refusal is a denial in the security log.
    denied = SecurityEvent.objects.filter(kind=Kind.ACCESS_DENIED, user=city.users[who])
    assert denied.count() == 6 and denied.filter(object__startswith="ledger:item_list").exists()


# --- the system administrator: units, people and roles; no audit, no passwords ----------------------------


def test_the_system_administrator_changes_a_unit_and_it_is_recorded(login, city):
    unit = city.users["liaison_a"].unit
    client = login(city.users["sysadmin"])
    response = client.post(f"/manage/org/unit/{unit.pk}/change/", _unit_form(unit, aliases="甲单位"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.aliases == "甲单位"
    assert AuditEntry.objects.filter(object_id=unit.pk, actor=city.users["sysadmin"]).exists()
    event = SecurityEvent.objects.filter(kind=Kind.CONFIG_CHANGE).latest("seq")
    assert event.user == city.users["sysadmin"] and "org.unit" in event.object


def test_the_system_administrator_reads_no_log(login, city):
    client = login(city.users["sysadmin"])
    assert client.get("/manage/core/auditentry/").status_code == 403
    assert client.get("/security/events/").status_code == 403


def test_the_system_administrator_grants_no_administrator_role(login, city):
    client = login(city.users["sysadmin"])
    response = client.post(
        "/manage/org/user/add/",
        {
            "username": "new_auditor",
            "role": "auditadmin",
            "password1": "Qiang-mima-1!",
            "password2": "Qiang-mima-1!",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(username="new_auditor").exists()
    liaison = city.users["liaison_b"]
    response = client.post(f"/manage/org/user/{liaison.pk}/change/", _user_form(liaison, role="secadmin"))
    assert response.status_code == 200
    liaison.refresh_from_db()
    assert liaison.role == "liaison"
    # …and does not edit an administrator's account.
    secadmin = city.users["secadmin"]
    response = client.post(
        f"/manage/org/user/{secadmin.pk}/change/", _user_form(secadmin, full_name="改名", is_active="")
    )
    assert response.status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.is_active and secadmin.full_name != "改名"


def test_the_system_administrator_sets_nobody_s_password(login, city):
    client = login(city.users["sysadmin"])
    liaison = city.users["liaison_a"]
    response = client.post(
        f"/manage/org/user/{liaison.pk}/password/", {"password1": "Xin-Mima-77!", "password2": "Xin-Mima-77!"}
    )
    assert response.status_code == 403
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD)


def test_the_system_administrator_adds_a_liaison(login, city):
    client = login(city.users["sysadmin"])
    unit = city.users["liaison_a"].unit
    response = client.post(
        "/manage/org/user/add/",
        {
            "username": "new_liaison",
            "full_name": "新联络员",
            "role": "liaison",
            "unit": unit.pk,
            "password1": "Qiang-mima-1!",
            "password2": "Qiang-mima-1!",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="new_liaison").unit == unit


# --- the security administrator: locks, passwords, second factors; nothing else ------------------------


def test_the_security_administrator_resets_a_password_and_it_is_recorded(login, city):
    client = login(city.users["secadmin"])
    liaison = city.users["liaison_a"]
    response = client.post(
        f"/manage/org/user/{liaison.pk}/password/", {"password1": "Xin-Mima-77!", "password2": "Xin-Mima-77!"}
    )
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.check_password("Xin-Mima-77!")
    event = SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET).latest("seq")
    assert event.user == city.users["secadmin"] and event.detail["account"] == "liaison_a"


def test_the_security_administrator_does_not_reset_their_own_password_here(login, city):
    me = city.users["secadmin"]
    client = login(me)
    response = client.post(
        f"/manage/org/user/{me.pk}/password/", {"password1": "Xin-Mima-77!", "password2": "Xin-Mima-77!"}
    )
    assert response.status_code == 403


def test_the_security_administrator_resets_a_second_factor(login, city):
    office = city.users["office"]
    TOTPDevice.objects.create(user=office, name="身份验证器", confirmed=True)
    client = login(city.users["secadmin"])
    response = client.post(
        "/manage/org/user/", {"action": "reset_second_factor", "_selected_action": [office.pk]}, follow=True
    )
    assert "已重置所选账号的双因素认证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=office).exists()
    event = SecurityEvent.objects.filter(kind=Kind.MFA_CHANGE).latest("seq")
    assert event.user == city.users["secadmin"] and event.detail["action"] == "reset"


def test_the_security_administrator_changes_no_person_and_no_unit(login, city):
    client = login(city.users["secadmin"])
    liaison = city.users["liaison_b"]
    response = client.post(f"/manage/org/user/{liaison.pk}/change/", _user_form(liaison, role="office"))
    assert response.status_code == 403
    liaison.refresh_from_db()
    assert liaison.role == "liaison"
    unit = liaison.unit
    assert client.post(f"/manage/org/unit/{unit.pk}/change/", _unit_form(unit, name="改")).status_code == 403


def test_only_the_security_administrator_has_the_account_actions(login, city):
    liaison = city.users["liaison_a"]
    client = login(city.users["sysadmin"])
    client.post("/manage/org/user/", {"action": "unlock", "_selected_action": [liaison.pk]})
    assert not SecurityEvent.objects.filter(kind=Kind.UNLOCK).exists()
    assert "解除登录锁定" not in client.get("/manage/org/user/").content.decode()


# --- the administrators' accounts are made at the console --------------------------------------------------


def _create_admin(monkeypatch, *args, password="Shenji-Guanli-9!"):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": password)
    out = io.StringIO()
    call_command("create-admin", *args, stdout=out)
    return out.getvalue()


def test_create_admin_makes_an_administrator_and_records_it(db, monkeypatch):
    out = _create_admin(monkeypatch, "auditor2", "--role", "auditadmin", "--full-name", "审计员二")
    user = User.objects.get(username="auditor2")
    assert user.role == "auditadmin" and user.check_password("Shenji-Guanli-9!")
    assert "审计管理员" in out
    event = SecurityEvent.objects.filter(kind=Kind.CONFIG_CHANGE).latest("seq")
    assert event.detail == {"action": "create_admin", "account": "auditor2", "role": "auditadmin"}


def test_create_admin_refuses_a_taken_name_and_a_weak_password(city, monkeypatch):
    with pytest.raises(CommandError, match="不区分大小写"):
        _create_admin(monkeypatch, "SecAdmin", "--role", "secadmin")
    with pytest.raises(CommandError):
        _create_admin(monkeypatch, "sec2", "--role", "secadmin", password="short")
    assert not User.objects.filter(username="sec2").exists()


def test_an_account_action_reads_only_the_valid_ids_ticked(login, city):
    """A forged selection (a NUL, 5,000 digits, text) beside a real one: the real one is acted on, the
    rest ignored, and no server error."""
    liaison = city.users["liaison_a"]
    client = login(city.users["secadmin"])
    selected = ["1\x00", "9" * 5000, "abc", str(liaison.pk)]
    response = client.post(
        "/manage/org/user/", {"action": "unlock", "_selected_action": selected}, follow=True
    )
    assert response.status_code == 200 and "已解除所选账号的登录锁定" in response.content.decode()
    (event,) = SecurityEvent.objects.filter(kind=Kind.UNLOCK)
    assert event.detail == {"account": "liaison_a"}
