"""The outbox: e-mail and webhook sends, retries with backoff when the other side is down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gandang.notifications.models import Delivery
from gandang.notifications.services import deliver_pending, notify
from gandang.org.models import User

BROKEN = "tests.notifications.backends.BrokenBackend"


@pytest.fixture
def liaison(city):
    u = city.users["liaison_a"]
    u.email, u.full_name = "a@example.gov.cn", "李联络"
    u.save()
    return u


def _notice(user, key="remind:2023-10:d3:unit1"):
    return notify(
        users=[user],
        kind="reminder",
        title="2023年10月进展报告将于10月25日截止",
        body="本单位尚有1项进展报告未报送。",
        url="/dispatch/periods/1/fill/",
        key=key,
    )[0]


def test_email_is_sent_once(liaison, mail_on, settings):
    settings.GANDANG_BASE_URL = "https://gandang.example.gov.cn"
    _notice(liaison)
    assert deliver_pending().sent == 1
    assert deliver_pending().sent == 0
    [msg] = mail.outbox
    assert msg.to == ["a@example.gov.cn"] and msg.subject == "2023年10月进展报告将于10月25日截止"
    assert "https://gandang.example.gov.cn/dispatch/periods/1/fill/" in msg.body
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.last_error) == ("sent", 1, "") and d.sent_at


def test_mail_server_down_keeps_the_notice_and_retries_later(liaison, mail_on, settings):
    settings.EMAIL_BACKEND = BROKEN
    _notice(liaison)
    now = timezone.now()
    result = deliver_pending(now=now)
    assert (result.sent, result.retrying, result.failed) == (0, 1, 0)
    d = Delivery.objects.get()
    assert d.state == "pending" and d.attempts == 1 and "mail server is down" in d.last_error
    assert d.next_attempt_at == now + timedelta(minutes=settings.GANDANG_DELIVERY_RETRY_MINUTES)
    assert deliver_pending(now=now + timedelta(minutes=1)).retrying == 0  # not due yet

    deliver_pending(now=d.next_attempt_at)  # still down: the wait doubles
    d.refresh_from_db()
    assert d.attempts == 2
    assert d.next_attempt_at - now > timedelta(minutes=2 * settings.GANDANG_DELIVERY_RETRY_MINUTES)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert deliver_pending(now=d.next_attempt_at).sent == 1
    d.refresh_from_db()
    assert d.state == "sent" and d.attempts == 3 and len(mail.outbox) == 1


def test_gives_up_after_the_last_attempt(liaison, mail_on, settings):
    settings.EMAIL_BACKEND = BROKEN
    settings.GANDANG_DELIVERY_MAX_ATTEMPTS = 3
    _notice(liaison)
    when = timezone.now()
    for _ in range(5):
        deliver_pending(now=when)
        when += timedelta(days=2)
    d = Delivery.objects.get()
    assert (d.state, d.attempts) == ("failed", 3)
    assert d.notification.read_at is None  # the notice itself stays under the bell


def test_one_failure_does_not_stop_the_others(city, liaison, mail_on, settings):
    other = city.users["head_a"]
    other.email = "h@example.gov.cn"
    other.save()
    _notice(liaison)
    _notice(other)
    liaison.email = ""  # removed after the notice was queued
    liaison.save()
    result = deliver_pending()
    assert (result.sent, result.retrying) == (1, 1)
    assert [m.to for m in mail.outbox] == [["h@example.gov.cn"]]


def test_a_delivery_claimed_by_another_sender_is_skipped(liaison, mail_on):
    _notice(liaison)
    Delivery.objects.update(attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=10))
    assert deliver_pending().sent == 0 and not mail.outbox


def test_webhook_posts_the_notice_as_json(liaison, webhook, settings):
    liaison.notify_webhook = True
    liaison.save()
    n = _notice(liaison)
    assert deliver_pending().sent == 1
    [body] = webhook.bodies
    assert webhook.headers[0]["Content-Type"] == "application/json; charset=utf-8"
    assert body["user"] == "李联络" and body["username"] == "liaison_a"
    assert body["unit"] == "市发展改革委"
    assert body["title"] == n.title and body["body"] == n.body and body["kind"] == "reminder"
    assert body["url"] == "https://gandang.example.gov.cn/dispatch/periods/1/fill/"
    assert body["msgtype"] == "text" and n.title in body["text"]["content"]
    assert Delivery.objects.get().state == "sent"


def test_webhook_error_answer_is_retried(liaison, webhook):
    liaison.notify_webhook = True
    liaison.save()
    webhook.status = 500
    _notice(liaison)
    assert deliver_pending().retrying == 1
    d = Delivery.objects.get()
    assert d.state == "pending" and "500" in d.last_error


def test_webhook_unreachable_is_retried(liaison, settings):
    settings.GANDANG_WEBHOOK_URL = "http://127.0.0.1:9/hook"  # nothing listens on the discard port
    liaison.notify_webhook = True
    liaison.save()
    _notice(liaison)
    assert deliver_pending().retrying == 1
    assert Delivery.objects.get().last_error


def test_a_run_stops_trying_a_channel_that_keeps_failing(city, mail_on, settings):
    settings.EMAIL_BACKEND = BROKEN
    for i in range(7):
        user = User.objects.create_user(f"p{i}", email=f"p{i}@example.gov.cn")
        _notice(user)
    result = deliver_pending()
    assert (result.retrying, result.postponed) == (5, 2)
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [0, 0, 1, 1, 1, 1, 1]
