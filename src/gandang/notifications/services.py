"""Every write of notifications: create a notice once per person, send the outbox, read, preferences.

In-app notices are always created; e-mail and webhook deliveries are queued in the outbox
(`Delivery`) in the same transaction and sent later by `deliver_pending`, so a mail server that
is down delays a notice but never loses it.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gandang.core import audit, clock
from gandang.core.masks import mask_email
from gandang.core.models import AuditEntry
from gandang.notifications.models import Delivery, Notification
from gandang.org.models import User

log = logging.getLogger(__name__)

# A claimed delivery is not picked up by another sender for this long (a sender that died mid-send).
CLAIM_LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(days=1)
# After this many failures in a row on one channel, a run stops trying it (each try may wait for a timeout).
GIVE_UP_RUN_AFTER = 5


def email_enabled() -> bool:
    return bool(getattr(settings, "GANDANG_EMAIL_ENABLED", False))


def webhook_enabled() -> bool:
    return bool(getattr(settings, "GANDANG_WEBHOOK_URL", ""))


def channels_for(user: User) -> list[str]:
    """The outbox channels a notice to `user` goes to, by their preferences and this install's setup."""
    out: list[str] = []
    if user.notify_email and user.email and email_enabled():
        out.append(Delivery.Channel.EMAIL)
    if user.notify_webhook and webhook_enabled():
        out.append(Delivery.Channel.WEBHOOK)
    return out


@transaction.atomic
def notify(
    *, users: Iterable[User], kind: str, title: str, body: str = "", url: str = "", key: str
) -> list[Notification]:
    """Give each active user in `users` the notice `key` unless they have it already.

    Returns the notices created by this call. Safe to repeat and to run from two processes at
    once: the unique (user, key) lets exactly one insert win, and the outbox is unique per
    notice and channel.
    """
    people = {u.pk: u for u in users if u.is_active}
    had = set(Notification.objects.filter(key=key, user_id__in=people).values_list("user_id", flat=True))
    fresh = [pk for pk in people if pk not in had]
    if not fresh:
        return []
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, title=title[:200], body=body, url=url, key=key) for pk in fresh],
        ignore_conflicts=True,
    )
    created = list(Notification.objects.filter(key=key, user_id__in=fresh))
    Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=ch) for n in created for ch in channels_for(people[n.user_id])],
        ignore_conflicts=True,
    )
    return created


@dataclass
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    postponed: int = 0  # not tried this run: their channel kept failing


def deliver_pending(*, now: datetime | None = None, limit: int = 1000) -> Delivered:
    """Send the outbox rows that are due. A failure keeps the row for a later try (backing off
    exponentially) until GANDANG_DELIVERY_MAX_ATTEMPTS, then marks it failed.

    Runs outside any transaction: each row is claimed with a conditional UPDATE first, so two
    senders never send the same row, and a slow mail server holds no database lock.
    """
    now = now or timezone.now()
    result = Delivered()
    due = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    failures_in_a_row: dict[str, int] = {}
    for pk, channel, attempts in list(due.values_list("pk", "channel", "attempts")[:limit]):
        if failures_in_a_row.get(channel, 0) >= GIVE_UP_RUN_AFTER:
            result.postponed += 1  # that server looks down: left due for the next run, attempts untouched
            continue
        claimed = Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING, attempts=attempts).update(
            attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE
        )
        if not claimed:
            continue  # another sender took it
        d = Delivery.objects.select_related("notification__user__unit").get(pk=pk)
        try:
            _send(d)
        except Exception as exc:  # any failure of a backend or the network: keep the notice, retry later
            error = _error_text(d, exc)
            log.warning("delivery %s (%s) failed: %s", d.pk, d.channel, error)
            _failed(d, error, now, result)
            failures_in_a_row[channel] = failures_in_a_row.get(channel, 0) + 1
        else:
            failures_in_a_row[channel] = 0
            Delivery.objects.filter(pk=pk).update(
                state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
            )
            result.sent += 1
    return result


def _error_text(d: Delivery, exc: Exception) -> str:
    """What went wrong, for the outbox and the log; a mail server names the address it refused, which is
    personal information: kept masked, like everywhere outside the person's own record."""
    error = f"{type(exc).__name__}: {exc}"
    address = d.notification.user.email
    if address:
        error = error.replace(address, mask_email(address))
    return error[:500]


def _failed(d: Delivery, error: str, now: datetime, result: Delivered) -> None:
    if d.attempts >= settings.GANDANG_DELIVERY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=d.pk).update(state=Delivery.State.FAILED, last_error=error)
        result.failed += 1
        return
    wait = timedelta(minutes=settings.GANDANG_DELIVERY_RETRY_MINUTES) * 2 ** (d.attempts - 1)
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=now + min(wait, MAX_BACKOFF), last_error=error)
    result.retrying += 1


def absolute_url(path: str) -> str:
    return settings.GANDANG_BASE_URL + path if path.startswith("/") else path


def _send(d: Delivery) -> None:
    n = d.notification
    if d.channel == Delivery.Channel.EMAIL:
        if not n.user.email:
            raise ValueError("用户没有电子邮箱地址")
        text = "\n\n".join(p for p in [n.body, absolute_url(n.url) if n.url else ""] if p)
        send_mail(n.title, text or n.title, None, [n.user.email], fail_silently=False)
    else:
        request = urllib.request.Request(
            settings.GANDANG_WEBHOOK_URL,
            data=json.dumps(webhook_payload(n), ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=settings.GANDANG_WEBHOOK_TIMEOUT) as response:
            response.read()  # urlopen raises HTTPError for a non-2xx answer


def webhook_payload(n: Notification) -> dict:
    """The JSON body posted to the webhook: the notice with its person and unit, and a ready-made
    plain-text message (`msgtype`/`text`) in the shape enterprise chat robots accept."""
    user = n.user
    url = absolute_url(n.url) if n.url else ""
    name = str(user)
    unit = user.unit.name if user.unit else ""
    lines = [f"【{n.title}】", n.body, f"{name}{'（' + unit + '）' if unit else ''}", url]
    return {
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "url": url,
        "user": name,
        "username": user.username,
        "unit": unit,
        "created_at": timezone.localtime(n.created_at).isoformat(),
        "msgtype": "text",
        "text": {"content": "\n".join(line for line in lines if line)},
    }


def notification_read(*, user: User, notification: Notification) -> None:
    """Mark one of the user's own notices read (the first reading time is kept)."""
    Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(
        read_at=clock.now()
    )


def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def preferences_set(*, user: User, email: str, notify_email: bool, notify_webhook: bool) -> User:
    """A person chooses how notices reach them, and sets their e-mail address (audited)."""
    before = audit.snapshot(user)
    user.email, user.notify_email, user.notify_webhook = email.strip(), notify_email, notify_webhook
    user.save(update_fields=["email", "notify_email", "notify_webhook"])
    audit.record(user, actor=user, action=AuditEntry.Action.UPDATE, before=before, reason="通知设置")
    return user
