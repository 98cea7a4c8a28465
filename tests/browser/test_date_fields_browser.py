"""Date fields in an English-locale browser: shown and typed as 年-月-日 (2023-12-05), not mm/dd/yyyy,
with a calendar button that fills the field from the browser's own picker; no CSP violation."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def en_page(browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(locale="en-US")
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


def test_a_date_field_reads_year_month_day_in_an_english_browser_and_the_picker_fills_it(
    en_page, live_server, city
):
    page = en_page
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/ledger/?due_from=2023/12/1")
    field = page.locator("#id_due_from")
    assert field.get_attribute("type") == "text"
    assert field.input_value() == "2023-12-01"  # what the server read, shown back in 年-月-日
    assert field.get_attribute("placeholder") == "年-月-日"
    # The calendar button beside it, and the hidden native input that anchors the browser's picker.
    button = page.locator("#id_due_from + button.date-pick")
    assert button.is_visible() and button.get_attribute("aria-label") == "选择日期"
    native = page.locator("#id_due_from ~ input.date-native")
    assert native.get_attribute("type") == "date" and native.bounding_box()["width"] <= 1  # out of sight
    # Choosing a day in the picker writes it back as 2023-12-05, as if typed; the list follows (htmx).
    page.evaluate(
        """() => { const n = document.querySelector('#id_due_from ~ input.date-native');
                   n.value = '2023-12-05'; n.dispatchEvent(new Event('change', {bubbles: true})); }"""
    )
    assert field.input_value() == "2023-12-05"
    page.wait_for_url("**due_from=2023-12-05**")
    page.locator("#results", has_text="共 1 项").wait_for()  # item a, due 2023-12-31
    # Typed the Chinese way, the server reads it: from 2023-09-30, items a and b.
    field.fill("2023年9月30日")
    field.press("Tab")
    page.locator("#results", has_text="共 2 项").wait_for()
    assert not [m for m in console if "Content Security Policy" in m], console
