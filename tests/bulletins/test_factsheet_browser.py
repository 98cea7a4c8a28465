"""A fact sheet in the browser: the office edits a section in place (htmx under the strict CSP), a refused
save comes back with its reason and the typed text, a saved one shows as edited; each figure is a link.

The browser runs in a child process: tests/browser holds the session's Playwright, and a second one
cannot run in the same process.
"""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from gandang.bulletins import factsheet_services
from gandang.bulletins.models import FactSheet
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = r"""
import json, sys
from playwright.sync_api import sync_playwright

chromium, args, base, path, password = sys.argv[1], json.loads(sys.argv[2]), *sys.argv[3:]
console, out = [], {}
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
    out["figure_links"] = page.locator("#part-mechanisms a.figure").count()
    section = page.locator("#part-mechanisms")
    section.locator("a", has_text="编辑文字").click()
    textarea = section.locator("textarea")
    textarea.wait_for()
    textarea.evaluate("el => el.removeAttribute('required')")
    textarea.fill(" ")
    section.locator("button", has_text="保存").click()
    error = page.locator("#part-mechanisms .err")
    error.wait_for()
    out["error"] = error.inner_text()
    page.locator("#part-mechanisms textarea").fill("建立“两办两研”协同联动机制。")
    page.locator("#part-mechanisms button", has_text="保存").click()
    page.locator("#part-mechanisms .tag-edited").wait_for()
    out["text"] = page.locator("#part-mechanisms").inner_text()
    browser.close()
print(json.dumps({"console": console, **out}))
"""


def test_the_office_edits_a_section_in_place(live_server, city, settings):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("GANDANG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}; install it: apt-get install chromium")
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium to run browser tests)")
    settings.ALLOWED_HOSTS = ["*"]
    sheet = factsheet_services.factsheet_create(
        actor=city.users["office"], start=date(2023, 1, 1), end=date(2023, 11, 30), since=date(2021, 1, 1)
    )
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            CHROMIUM,
            json.dumps(ARGS),
            live_server.url,
            sheet.get_absolute_url(),
            PASSWORD,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert (
        result["figure_links"] == 1
    )  # 确定N项改革事项由市级领导牵头: the leader-led figure links to its list
    assert "必填" in result["error"]
    assert "建立“两办两研”协同联动机制。" in result["text"]
    assert not [m for m in result["console"] if "Content Security Policy" in m or "Error" in m]
    sheet = FactSheet.objects.get()
    assert sheet.sections["mechanisms"]["text"] == "建立“两办两研”协同联动机制。"
