"""The second factor (等保 8.1.4.1 两种或两种以上组合的鉴别技术): TOTP from any authenticator app,
with one-time recovery codes, through django-otp.

Required for the roles in GANDANG_2FA_REQUIRED_ROLES (the administrator roles and the reform office,
whose accounts accept reports, list items and issue official documents), offered to everyone else.
Other kinds of second factor (an SMS code, a certificate) plug in as django-otp devices: the sign-in
step accepts a token from any confirmed device of the person (`verify`), so a new kind needs its device
model and an enrolment page, nothing here. The QR code is drawn by the app itself (segno; no internet).
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django_otp import device_classes, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TRUSTED_COOKIE = "gandang_trusted"
RECOVERY_CODES = 10


def required(user) -> bool:
    """Whether this person's role must sign in with a second factor."""
    return getattr(user, "role", "") in settings.GANDANG_2FA_REQUIRED_ROLES


def has_second_factor(user) -> bool:
    """Whether the person has a confirmed device of any kind: one query, asked on every request of a
    signed-in person not yet verified this session (most liaisons have none)."""
    kinds = [m.objects.devices_for_user(user, confirmed=True).values("pk") for m in device_classes()]
    return kinds[0].union(*kinds[1:]).exists()


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_enrolment(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed until the person types a code it shows)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (base32, in groups of four)."""
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The QR code as inline SVG (no script, no inline style: it shows under the strict CSP)."""
    # config_url names the product (OTP_TOTP_ISSUER) and the account, as authenticator apps show them.
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#1f2933")


@transaction.atomic
def confirm(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns fresh recovery codes, or None."""
    if device.user_id != user.pk or not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten one-time codes for when the phone is not at hand; earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="恢复码", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(request, token: str):
    """Check a code from any of the person's confirmed devices (authenticator or recovery code) and
    mark the session as verified; returns the device, or None."""
    token = token.strip().replace(" ", "")
    if not token:
        return None
    # for_verify locks the devices (SELECT … FOR UPDATE), so that one code is not accepted twice by
    # two requests at once: that needs a transaction around the whole check (PostgreSQL insists).
    with transaction.atomic():
        for device in devices_for_user(request.user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                otp_login(request, device)
                return device
    return None


@transaction.atomic
def reset(user) -> int:
    """Remove every second-factor device of the person (the security administrator's reset): they
    enrol again at their next sign-in. Returns how many devices were removed."""
    n = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        n += 1
    return n


# --- a browser the person chose to trust ("记住此设备") --------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TRUSTED_COOKIE)


def trusted_cookie_value(user, device) -> str:
    return _signer().sign(f"{user.pk}:{device.persistent_id}")


def trusted_device(request):
    """The device a remembered browser vouches for, if the cookie is the person's and still fresh."""
    days = settings.GANDANG_2FA_REMEMBER_DAYS
    raw = request.COOKIES.get(TRUSTED_COOKIE)
    if not days or not raw:
        return None
    try:
        value = _signer().unsign(raw, max_age=days * 86400)
    except signing.BadSignature:
        return None
    user_pk, _sep, persistent_id = value.partition(":")
    if user_pk != str(request.user.pk):
        return None
    for device in devices_for_user(request.user, confirmed=True):
        if device.persistent_id == persistent_id:
            return device
    return None
