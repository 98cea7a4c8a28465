"""A bulletin section edited in place (htmx) under the strict CSP: re-rendering it applies no inline style.

htmx "settles" attributes of the elements a swap replaces; a textarea the user has resized carries a
style attribute, which htmx used to copy onto the new one — an inline style the CSP refuses.

The browser runs in a child process: tests/browser holds the session's Playwright, and a second one
cannot run in the same process.
"""

import json
import os
import subprocess
import sys

import pytest

from gandang.bulletins import services
from gandang.bulletins.quarter import Quarter
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = r"""
import json, sys
from playwright.sync_api import sync_playwright

chromium, args, base, path, password = sys.argv[1], json.loads(sys.argv[2]), *sys.argv[3:]
console = []
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=chromium, args=args, headless=True)
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(base + "/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + path)
    section = page.locator("#part-highlights")
    section.locator("a", has_text="编辑文字").click()
    textarea = section.locator("textarea")
    textarea.wait_for()
    # The user drags the textarea bigger (the browser writes style="height: ..."), then saves an empty
    # text: the form comes back with its error, in place of the old one.
    textarea.evaluate("el => { el.style.height = '320px'; el.removeAttribute('required'); }")
    textarea.fill(" ")
    section.locator("button", has_text="保存").click()
    page.locator("#part-highlights .err").wait_for()
    browser.close()
print(json.dumps(console))
"""


def test_a_section_form_swapped_back_with_an_error_applies_no_inline_style(live_server, q3, settings):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("GANDANG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}; install it: apt-get install chromium")
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium to run browser tests)")
    settings.ALLOWED_HOSTS = ["*"]
    bulletin, _created = services.bulletin_draft(actor=q3.users["office"], quarter=Quarter(2023, 3))
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            CHROMIUM,
            json.dumps(ARGS),
            live_server.url,
            bulletin.get_absolute_url(),
            PASSWORD,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    console = json.loads(run.stdout.strip().splitlines()[-1])
    assert not [m for m in console if "Content Security Policy" in m], console
