"""A partner of 两办两研 in a browser: its reader signs in and lands on the periodical, opens an issued issue,
follows 采用登记 on a piece, records where the unit used it (a blank publication is refused in Chinese and
the typed note survives), sees the use in the piece's 两办两研采用 table, and withdraws it."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.information.conftest import issued

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_reader_records_a_use_of_a_piece_and_withdraws_it(page, live_server, city, settings):
    from gandang.information.models import PartnerUse

    settings.GANDANG_TODAY = "2023-11-06"
    issue = issued(city, n=2)
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # Signing in from the front door lands on the periodical's list.
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "partner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/information/issues/")
    page.click(f"main a:has-text('{issue.number_label}')")
    page.wait_for_url(re.compile(rf".*/information/issues/{issue.pk}/$"))

    # 采用登记 beside a piece opens the piece at its uses.
    page.locator("#pieces li", has_text="信息1").locator("a:has-text('采用登记')").first.click()
    page.wait_for_url(re.compile(r".*/information/\d+/#uses$"))
    assert "信息1" in page.inner_text("h1")
    uses = page.locator("#uses")
    assert "暂无采用登记" in uses.inner_text()

    # Left empty, the browser itself holds the form back and says why; typed only as blanks, the server
    # refuses it in Chinese and the note comes back as typed.
    uses.locator("#id_note").fill("第12期，市委主要领导批示")
    uses.locator("button:has-text('登记采用')").click()
    assert uses.locator("#id_publication").evaluate("e => !e.validity.valid")
    uses.locator("#id_publication").fill("\u3000 ")
    uses.locator("button:has-text('登记采用')").click()
    page.wait_for_load_state()
    uses = page.locator("#uses")
    assert "这个字段是必填项" in uses.locator(".fld-publication .err").inner_text()
    assert uses.locator("#id_note").input_value() == "第12期，市委主要领导批示"
    assert not PartnerUse.objects.exists()

    # Filled in, the use is recorded and stands in the table.
    uses.locator("#id_publication").fill("市委信息")
    uses.locator("#id_used_on").fill("2023-11-06")
    uses.locator("button:has-text('登记采用')").click()
    page.wait_for_load_state()
    assert "已登记：该信息被《市委信息》采用" in page.inner_text("body")
    row = page.locator("#uses tbody tr", has_text="《市委信息》")
    assert "市委办公室" in row.inner_text() and "2023-11-06" in row.inner_text()
    assert "第12期，市委主要领导批示" in row.inner_text()
    use = PartnerUse.objects.get()
    assert (use.publication, use.note, use.piece.title) == ("市委信息", "第12期，市委主要领导批示", "信息1")

    # Withdrawn (after the confirmation), it is marked so and no longer counts.
    row.locator("button:has-text('撤回')").click()
    page.wait_for_load_state()
    assert "采用记录已撤回，不再计入统计" in page.inner_text("body")
    assert "已撤回" in page.locator("#uses tbody tr", has_text="《市委信息》").inner_text()
    use.refresh_from_db()
    assert use.is_withdrawn and use.withdrawn_by == city.users["partner"]
    # The refused entry's page came back as 400 on purpose; nothing else went wrong in the page.
    assert [e for e in errors if "status of 400" not in e] == [], errors
