"""The notice pages: one's own notices only, opening marks read, preferences, the bell."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from gandang.notifications.context_processors import unread
from gandang.notifications.models import Notification
from gandang.notifications.services import notify


def _notice(user, key, url="/ledger/", title="通知"):
    return notify(users=[user], kind="other", title=title, url=url, key=key)[0]


def test_list_shows_only_my_notices(city, login):
    _notice(city.users["liaison_a"], "k1", title="联络员甲的通知")
    _notice(city.users["liaison_b"], "k2", title="联络员乙的通知")
    body = login(city.users["liaison_a"]).get("/notifications/").content.decode()
    assert "联络员甲的通知" in body and "联络员乙的通知" not in body


def test_list_is_newest_first_and_paginated(city, login, settings):
    settings.GANDANG_PAGE_SIZE = 2
    for i in range(3):
        _notice(city.users["liaison_a"], f"k{i}", title=f"第{i}条通知")
    client = login(city.users["liaison_a"])
    page1 = client.get("/notifications/").content.decode()
    assert page1.index("第2条通知") < page1.index("第1条通知") and "第0条通知" not in page1
    assert "第0条通知" in client.get("/notifications/?page=2").content.decode()


def test_unread_notices_are_highlighted(city, login):
    n = _notice(city.users["liaison_a"], "k1")
    client = login(city.users["liaison_a"])
    assert 'class="notice unread"' in client.get("/notifications/").content.decode()
    Notification.objects.filter(pk=n.pk).update(read_at=n.created_at)
    assert 'class="notice unread"' not in client.get("/notifications/").content.decode()


def test_opening_marks_read_and_goes_to_the_target(city, login):
    n = _notice(city.users["liaison_a"], "k1", url="/dispatch/")
    response = login(city.users["liaison_a"]).post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response.url == "/dispatch/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_someone_elses_notice_is_404_and_leaves_it_unread(city, login):
    n = _notice(city.users["liaison_b"], "k1")
    assert login(city.users["liaison_a"]).post(f"/notifications/{n.pk}/open/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_opening_needs_post(city, login):
    n = _notice(city.users["liaison_a"], "k1")
    assert login(city.users["liaison_a"]).get(f"/notifications/{n.pk}/open/").status_code == 405


def test_a_notice_never_leads_off_site(city, login):
    n = _notice(city.users["liaison_a"], "k1", url="https://evil.example.com/")
    response = login(city.users["liaison_a"]).post(f"/notifications/{n.pk}/open/")
    assert response.url == "/notifications/"


def test_mark_all_read_touches_only_my_notices(city, login):
    mine = [_notice(city.users["liaison_a"], f"k{i}") for i in range(2)]
    theirs = _notice(city.users["liaison_b"], "k0")
    response = login(city.users["liaison_a"]).post("/notifications/read-all/")
    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_bell_shows_my_unread_count(city, login):
    for i in range(3):
        _notice(city.users["liaison_a"], f"k{i}")
    _notice(city.users["liaison_b"], "k9")
    Notification.objects.filter(key="k0").update(read_at=Notification.objects.get(key="k0").created_at)
    body = login(city.users["liaison_a"]).get("/notifications/settings/").content.decode()
    assert '<span class="badge" aria-label="2条未读">2</span>' in body


def test_bell_without_unread_shows_no_badge(city, login):
    body = login(city.users["office"]).get("/notifications/settings/").content.decode()
    assert 'class="bell"' in body and 'class="badge"' not in body


def test_bell_count_is_one_query_and_only_when_shown(city):
    request = RequestFactory().get("/")
    request.user = city.users["liaison_a"]
    _notice(city.users["liaison_a"], "k1")
    with CaptureQueriesContext(connection) as queries:
        count = unread(request)["unread_count"]
        assert len(queries) == 0  # nothing counted until a template asks
        assert count() == 1 and count() == 1
    assert len(queries) == 1


def test_preferences_are_saved(city, login):
    client = login(city.users["liaison_a"])
    response = client.post(
        "/notifications/settings/",
        {"email": "a@example.gov.cn", "notify_email": "on", "notify_webhook": "on"},
    )
    assert response.status_code == 302
    u = city.users["liaison_a"]
    u.refresh_from_db()
    assert (u.email, u.notify_email, u.notify_webhook) == ("a@example.gov.cn", True, True)
    client.post("/notifications/settings/", {"email": "a@example.gov.cn"})
    u.refresh_from_db()
    assert (u.notify_email, u.notify_webhook) == (False, False)


def test_email_notices_need_an_address(city, login):
    response = login(city.users["liaison_a"]).post("/notifications/settings/", {"notify_email": "on"})
    assert response.status_code == 200 and "选择邮件通知时请填写电子邮箱" in response.content.decode()


def test_preferences_page_says_when_email_is_not_set_up(city, login, settings):
    settings.GANDANG_EMAIL_ENABLED = False
    body = login(city.users["leader"]).get("/notifications/settings/").content.decode()
    assert "本系统尚未配置邮件发送" in body


def test_office_sees_failed_deliveries_and_can_retry(login, city):
    from gandang.notifications.models import Delivery, Notification

    n = Notification.objects.create(user=city.users["liaison_a"], title="提醒", key="k1")
    d = Delivery.objects.create(
        notification=n, channel="email", state="failed", attempts=8, last_error="连接被拒绝"
    )
    client = login(city.users["office"])
    page = client.get("/manage/notifications/delivery/?state=failed").content.decode()
    assert "连接被拒绝" in page
    client.post("/manage/notifications/delivery/", {"action": "retry", "_selected_action": [d.pk]})
    d.refresh_from_db()
    assert d.state == "pending" and d.attempts == 0
    assert login(city.users["liaison_a"]).get("/manage/notifications/delivery/").status_code == 403
