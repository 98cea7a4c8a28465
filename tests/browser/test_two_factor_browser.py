"""The office signs in with its authenticator in a real browser: set up by QR code, then a code at each
sign-in, until it trusts the browser. No CSP violation on the way (the QR code is inline SVG)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_two_factor import code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_enrols_and_then_signs_in_with_a_code(page, live_server, city, settings):
    settings.GANDANG_2FA_REQUIRED_ROLES = ["office"]
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def sign_in():
        page.goto(f"{live_server.url}/bulletins/")
        page.fill("#id_username", "office")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    sign_in()
    assert "/account/2fa/setup/" in page.url
    assert page.locator(".qr svg").is_visible()
    device = TOTPDevice.objects.get(user=city.users["office"])
    page.fill("input[name=token]", code(device))
    page.click("button:has-text('完成设置')")
    assert page.locator("ol.codes li").count() == 10
    page.click("text=我已保存，继续")
    page.wait_for_url(re.compile(r".*/bulletins/$"))

    page.context.clear_cookies()
    sign_in()
    assert "/account/2fa/verify/" in page.url
    page.fill("#id_token", code(device, offset=30))  # the next time step: a code is used only once
    page.check("input[name=remember]")
    page.click("button:has-text('验证')")
    page.wait_for_url(re.compile(r".*/bulletins/$"))

    cookies = [c for c in page.context.cookies() if c["name"] == "gandang_trusted"]
    page.context.clear_cookies()
    page.context.add_cookies(cookies)
    sign_in()
    assert page.url.endswith("/bulletins/")  # the trusted browser is not asked again
    assert not [e for e in errors if "Content Security Policy" in e], errors
