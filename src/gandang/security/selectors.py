from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from gandang.security.models import ChainHead, SecurityEvent


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events(
    *,
    kind: str = "",
    user: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SecurityEvent]:
    """Security events, newest first, filtered; `since`/`until` are local dates, both included."""
    qs = SecurityEvent.objects.select_related("user").order_by("-seq")
    if kind:
        qs = qs.filter(kind=kind)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if user:
        qs = qs.filter(Q(username__icontains=user) | Q(user__full_name__icontains=user))
    if since:
        qs = qs.filter(at__gte=day_start(since))
    if until:
        qs = qs.filter(at__lt=day_start(until + timedelta(days=1)))
    return qs


def head() -> ChainHead | None:
    return ChainHead.objects.filter(pk=1).first()
