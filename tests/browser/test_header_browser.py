"""The top bar on a phone (390×844): folded to a small share of the screen, every nav link still reachable;
on a desktop (1300 px) one line as before."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")


@pytest.mark.parametrize("username", ["office", "liaison_a"])
def test_on_a_phone_the_header_takes_at_most_15_percent_and_every_nav_link_is_reachable(
    page, live_server, city, username
):
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, username)
    assert _header_height(page) <= 0.15 * PHONE["height"], _header_height(page)
    # The bell, who is signed in, 退出 and the language switch stay on screen.
    for selector in ("a.bell", ".usermenu .who", ".usermenu button", ".langswitch button"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, selector
    links = page.locator("nav.mainnav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 7
    for i, href in enumerate(hrefs):
        link = page.locator("nav.mainnav a").nth(i)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        # Brought into view, the link lies wholly on screen, inside the header: a tap reaches it.
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, href
        assert box["y"] + box["height"] <= _header_height(page) + 1, href
        link.click()
        page.wait_for_load_state()
        assert page.url.split("?")[0].endswith(href.split("?")[0]), (href, page.url)
        if href.startswith("/manage/"):  # 配置管理 is Django's admin, with a header of its own
            page.go_back()
            page.wait_for_load_state()
        assert _header_height(page) <= 0.15 * PHONE["height"], page.url


def test_on_a_desktop_the_header_is_one_line_with_the_site_name(page, live_server, city):
    """Eleven sections, the demo office's name and a three-figure bell: one line at 1300 px (the seal alone
    leads home there), the site's name beside the seal on a wide screen."""
    from gandang.notifications.models import Notification

    office = city.users["office"]
    office.full_name = "许文博"
    office.save(update_fields=["full_name"])
    Notification.objects.bulk_create(
        Notification(user=office, kind="other", title=f"通知{i}", key=f"header:{i}") for i in range(120)
    )
    page.set_viewport_size({"width": 1300, "height": 900})
    _sign_in(page, live_server, "office")
    assert _header_height(page) < 60
    assert page.locator(".brand .seal").is_visible()
    assert page.locator(".bell .bell-label").is_visible()
    page.set_viewport_size({"width": 1600, "height": 900})
    assert _header_height(page) < 60
    assert page.locator(".brand .brand-name").is_visible()
