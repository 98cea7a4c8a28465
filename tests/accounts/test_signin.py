"""Accounts and sign-in (等保 8.1.4.1): the account lock, password rules, forced changes, session limits."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from gandang.accounts.models import AccountState, PasswordHistory
from gandang.accounts.signals import SESSION_SEEN, SESSION_STARTED
from tests.conftest import PASSWORD

GOOD_NEW = "Xin-mima-2024!"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_from_five_addresses_lock_the_account(client, city, settings):
    settings.AXES_ENABLED = True
    for n in range(5):
        r = _login(client, "liaison_a", "wrong-password", ip=f"10.0.1.{n}")
        assert r.status_code in (200, 429)
    r = _login(client, "liaison_a", PASSWORD, ip="10.0.1.99")  # right password, a sixth address
    assert r.status_code == 429
    body = r.content.decode()
    assert "账号已暂时锁定" in body and "之后再试" in body and "无论从哪台电脑登录" in body
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert _login(client, "liaison_b", PASSWORD, ip="10.0.1.99").status_code == 302


def test_the_lock_applies_whatever_the_letter_case(client, city):
    for n in range(5):
        _login(client, "LIAISON_A" if n % 2 else "liaison_a", "wrong", ip=f"10.0.2.{n}")
    assert _login(client, "Liaison_A", PASSWORD, ip="10.0.2.50").status_code == 429


def test_the_security_administrator_unlocks_an_account(client, city):
    for n in range(5):
        _login(client, "liaison_a", "wrong", ip=f"10.0.3.{n}")
    assert _login(client, "liaison_a", PASSWORD).status_code == 429
    client.force_login(city.users["secadmin"])
    r = client.post(
        "/manage/org/user/",
        {"action": "unlock", "_selected_action": [city.users["liaison_a"].pk]},
        follow=True,
    )
    assert "已解除所选账号的登录锁定" in r.content.decode()
    client.logout()
    assert _login(client, "liaison_a", PASSWORD).status_code == 302


def test_many_failures_from_one_address_pause_that_address(client, city, settings):
    settings.GANDANG_LOGIN_ADDRESS_LIMIT = 6
    for n in range(6):  # spread over accounts, so no account reaches its own limit
        _login(client, ["liaison_a", "liaison_b", "head_a"][n % 3], "wrong", ip="10.0.4.4")
    r = _login(client, "observer", PASSWORD, ip="10.0.4.4")
    assert r.status_code == 200 and "该地址登录失败次数过多" in r.content.decode()
    assert _login(client, "observer", PASSWORD, ip="10.0.4.5").status_code == 302


def test_usernames_sign_in_regardless_of_letter_case(client, city):
    assert _login(client, "LIAISON_A", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(city.users["liaison_a"].pk)


def test_a_name_differing_only_in_case_cannot_be_added(client, city):
    client.force_login(city.users["sysadmin"])
    r = client.post(
        "/manage/org/user/add/",
        {
            "username": "Office",
            "role": "observer",
            "password1": "Qiang-mima-1!",
            "password2": "Qiang-mima-1!",
        },
    )
    assert "已有同名账号" in r.content.decode()


# --- password rules -----------------------------------------------------------------------------------------


def _change(client, old, new):
    return client.post(
        "/account/password/", {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!", "至少 8 个字符"),
        ("abcdefghij", "四类中的至少3类"),
        ("Abcdefghij", "四类中的至少3类"),
        ("12345678901", "四类中的至少3类"),
        ("liaison_a2023", "相似"),
    ],
)
def test_weak_passwords_are_refused(login, city, password, why):
    r = _change(login(city.users["liaison_a"]), PASSWORD, password)
    assert why in r.content.decode()
    city.users["liaison_a"].refresh_from_db()
    assert city.users["liaison_a"].check_password(PASSWORD)


def test_none_of_the_last_five_passwords_is_used_again(login, city):
    client = login(city.users["liaison_a"])
    old = PASSWORD
    for n in range(5):
        new = f"Mima-{n}-Quan!"
        assert "密码已修改" in _change(client, old, new).content.decode()
        old = new
    for reused in (PASSWORD if False else "Mima-0-Quan!", "Mima-3-Quan!", old):
        assert "不能使用最近5次用过的密码" in _change(client, old, reused).content.decode()
    assert PasswordHistory.objects.filter(user=city.users["liaison_a"]).count() == 5


def test_every_role_changes_its_own_password_from_the_menu(login, city):
    for who in ("liaison_a", "head_a", "observer", "leader", "office", "sysadmin", "secadmin", "auditadmin"):
        client = login(city.users[who])
        assert 'href="/account/password/"' in client.get("/").content.decode()
        assert "密码已修改" in _change(client, PASSWORD, GOOD_NEW).content.decode()


def test_an_expired_password_must_be_changed_first(login, city, settings):
    settings.GANDANG_PASSWORD_MAX_AGE_DAYS = 90
    user = city.users["liaison_a"]
    client = login(user)
    AccountState.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now() - timedelta(days=91)}
    )
    r = client.get("/ledger/")
    assert r.status_code == 302 and r["Location"].startswith("/account/password/")
    assert "超过90天" in client.get(r["Location"]).content.decode()
    api = client.get("/api/ledger/items")
    assert api.status_code == 403
    _change(client, PASSWORD, GOOD_NEW)
    assert client.get("/ledger/").status_code == 200


def test_a_password_set_by_an_administrator_is_changed_at_the_next_sign_in(client, city):
    client.force_login(city.users["secadmin"])
    user = city.users["liaison_a"]
    r = client.post(
        f"/manage/org/user/{user.pk}/password/",
        {"password1": "Guanli-She-1!", "password2": "Guanli-She-1!"},
    )
    assert r.status_code == 302
    client.logout()
    assert _login(client, "liaison_a", "Guanli-She-1!").status_code == 302
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/account/password/")
    _change(client, "Guanli-She-1!", GOOD_NEW)
    assert client.get("/").status_code == 200


def test_a_new_account_changes_its_password_at_the_first_sign_in(client, city):
    client.force_login(city.users["sysadmin"])
    r = client.post(
        "/manage/org/user/add/",
        {
            "username": "new_observer",
            "full_name": "新观察员",
            "role": "observer",
            "password1": "Chushi-Mima-9!",
            "password2": "Chushi-Mima-9!",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.logout()
    _login(client, "new_observer", "Chushi-Mima-9!")
    assert client.get("/").status_code == 302


# --- session limits ----------------------------------------------------------------------------------------


def _age_session(client, *, idle=0, since_login=0):
    session = client.session
    now = time.time()
    session[SESSION_SEEN] = now - idle
    session[SESSION_STARTED] = now - since_login
    session.save()


def test_an_idle_session_ends_and_says_why(login, city, settings):
    settings.GANDANG_SESSION_IDLE_MINUTES = 60
    client = login(city.users["liaison_a"])
    client.get("/")
    _age_session(client, idle=61 * 60)
    r = client.get("/ledger/", follow=True)
    assert "长时间未操作，已自动退出登录" in r.content.decode()
    assert "/login/" in r.redirect_chain[-1][0]


def test_administrator_roles_have_the_short_idle_limit(city, settings, monkeypatch):
    from gandang.accounts import policy

    settings.GANDANG_SESSION_IDLE_MINUTES = 480
    settings.GANDANG_SESSION_IDLE_MINUTES_ADMIN = 30
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert policy.idle_seconds(city.users[admin]) == 30 * 60
    assert policy.idle_seconds(city.users["office"]) == 480 * 60
    assert policy.idle_seconds(city.users["liaison_a"]) == 480 * 60


def test_a_session_ends_after_its_absolute_limit_however_busy(login, city, settings):
    settings.GANDANG_SESSION_ABSOLUTE_HOURS = 12
    client = login(city.users["liaison_a"])
    client.get("/")
    _age_session(client, idle=10, since_login=13 * 3600)
    r = client.get("/ledger/", follow=True)
    assert "超过最长使用时间" in r.content.decode()


def test_a_post_sent_after_an_idle_timeout_is_kept(login, city, settings):
    from gandang.dispatch import services

    period, _n = services.period_open(actor=None, year=2023, month=10)
    settings.GANDANG_SESSION_IDLE_MINUTES = 60
    client = login(city.users["liaison_a"])
    client.get("/")
    _age_session(client, idle=2 * 3600)
    r = client.post(f"/dispatch/periods/{period.pk}/fill/", {"r1-progress": "超时后提交的内容"})
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert client.session.get("gandang_unsent", {}).get("fields")


def test_pages_read_in_a_busy_session_write_no_session(login, city):
    """Sliding expiry without a write per page view: reading pages leaves the session row alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(city.users["liaison_a"])
    client.get("/")  # the session's first page notes when it was seen
    with CaptureQueriesContext(connection) as ctx:
        for url in ("/", "/ledger/", "/dispatch/", "/notifications/"):
            assert client.get(url).status_code == 200
    writes = [
        q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []


def test_a_busy_session_slides_its_expiry_now_and_then(login, city, settings):
    from django.contrib.sessions.models import Session

    settings.GANDANG_SESSION_IDLE_MINUTES = 60
    client = login(city.users["liaison_a"])
    client.get("/")
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    _age_session(client, idle=7 * 60)  # more than a tenth of the idle limit ago
    Session.objects.filter(session_key=key).update(expire_date=before - timedelta(hours=1))
    client.get("/ledger/")
    assert Session.objects.get(session_key=key).expire_date > before - timedelta(minutes=1)
