"""Signing in and out, lockout, sessions, security headers."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD


def test_pages_require_login(client, db):
    response = client.get("/ledger/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_chinese_and_has_csrf(client, db):
    body = client.get("/login/").content.decode()
    assert "登录" in body and "csrfmiddlewaretoken" in body


def test_login_and_logout(client, city):
    response = client.post("/login/", {"username": "liaison_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_in_chinese(client, city):
    response = client.post("/login/", {"username": "liaison_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account(client, city, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "liaison_a", "password": "wrong"})
    response = client.post("/login/", {"username": "liaison_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_refused(city):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.users["office"])
    assert strict.post(f"/ledger/items/{city.items['a'].pk}/archive/").status_code == 403


def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_csp_forbids_inline_scripts(login, city):
    response = login(city.users["office"]).get("/ledger/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_outside(login, city):
    body = login(city.users["office"]).get("/ledger/").content.decode()
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "GANDANG_HTTPS": "1",
        "GANDANG_SECRET_KEY": "x" * 60 + "production-like-secret-key-for-the-check",
        "GANDANG_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gandang.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_english_is_available(login, city):
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/ledger/").content.decode()
    assert 'lang="en"' in body


def test_chinese_whatever_the_browser_says(login, city):
    client = login(city.users["office"])
    body = client.get("/manage/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "单位" in body and "Change password" not in body


def test_the_login_page_names_the_product_not_the_host(client, db, settings):
    page = client.get("/login/").content.decode()
    assert str(settings.SITE_NAME) in page and "testserver" not in page
