"""A leader's 批示 written on a listing's page; past its deadline unanswered, the office urges it from the
overdue list with a numbered 催办函, which the unit then finds on its matter."""

import re

import pytest

from tests.browser.test_matters_browser import _login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_instructs_on_a_listing_and_the_office_urges_it_when_late(page, live_server, city, settings):
    from gandang.matters.models import Matter, MatterLetter
    from tests.test_permissions import _listing

    settings.GANDANG_TODAY = "2023-11-06"
    listing = _listing(city)
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The leader, on the listing's page: 作出批示 (the listing's unit is proposed).
    _login(page, live_server, "leader", f"/supervision/{listing}/")
    page.click("#instructions summary:has-text('作出批示')")
    assert page.input_value("#id_instruct-unit") == str(city.units["a"].pk)
    page.fill("#id_instruct-text", "请市发改委抓紧整改，11月20日前报送整改进展")
    page.fill("#id_instruct-deadline", "2023-11-20")
    page.click("#instructions button:has-text('发出批示')")
    page.wait_for_url(re.compile(rf".*/supervision/{listing}/#instruction-\d+$"))
    assert "办理中" in page.inner_text("#instructions")
    matter = Matter.objects.get()

    # Five days past the deadline: the office's overdue list offers the 催办函.
    settings.GANDANG_TODAY = "2023-11-25"
    _login(page, live_server, "office", "/matters/?overdue=1")
    page.click("button:has-text('发催办函')")
    page.wait_for_load_state()
    assert "/matters/?overdue=1" in page.url
    assert "已发催办函" in page.inner_text(".messages")
    letter = MatterLetter.objects.get(matter=matter)
    assert letter.deadline.isoformat() == "2023-12-02"

    # The unit's liaison finds it on the matter, and downloads it.
    _login(page, live_server, "liaison_a", matter.get_absolute_url())
    assert letter.doc_number in page.inner_text("#letters")
    with page.expect_download() as download:
        page.click("#letters a:has-text('PDF')")
    assert download.value.suggested_filename.endswith("催办函.pdf")
    assert not errors, errors
