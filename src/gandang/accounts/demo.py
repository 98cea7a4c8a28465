"""The demo city's second factor: the accounts whose role requires one get an authenticator already
set up, so a newcomer signs in within seconds — with the key printed beside the login, or the current
code from `gandang demo-code USERNAME` (which works only in a demo's data directory)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandang.accounts import two_factor
from gandang.org.models import User

MARKER = "demo"  # a file in the data directory: this database is a demo city's


def marker_path() -> Path:
    return Path(settings.DATA_DIR) / MARKER


def enrol(usernames: list[str] | None = None) -> dict[str, str]:
    """Give each account whose role requires a second factor a confirmed authenticator; returns
    {username: key as typed into an authenticator app}."""
    users = User.objects.filter(role__in=settings.GANDANG_2FA_REQUIRED_ROLES, is_active=True)
    if usernames is not None:
        users = users.filter(username__in=usernames)
    keys = {}
    for user in users.order_by("username"):
        device = two_factor.authenticator(user) or TOTPDevice.objects.create(
            user=user, name="身份验证器（演示）", confirmed=True
        )
        keys[user.username] = two_factor.secret(device)
    marker_path().write_text("这是演示数据目录：gandang demo-code 只在这里可用。\n", encoding="utf-8")
    return keys


def current_code(username: str) -> str:
    """The code an authenticator shows now for a demo account."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
