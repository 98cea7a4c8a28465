"""The product's idea of today.

Normally the local date (Asia/Shanghai). A demo or a rehearsal can pin the calendar with
GANDANG_TODAY=YYYY-MM-DD (or a `today` file in the data directory, which `gandang demo` writes),
so that statuses, deadlines and workbench counts read as they would on that day.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone


def pinned_today() -> date | None:
    value = getattr(settings, "GANDANG_TODAY", "")
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_today() or timezone.localdate()


def now() -> datetime:
    """The current moment: on a pinned calendar, the pinned day at the current local time of day.

    Everything the product stamps (report steps, sign-off times, audit entries, notices) uses this,
    so a demo pinned to 2023-12-05 records its live actions on that day, and lateness, windows and
    histories agree with the calendar the users see.
    """
    real = timezone.now()
    pinned = pinned_today()
    if pinned is None:
        return real
    at: time | None = getattr(settings, "GANDANG_TODAY_TIME", None)
    if at is not None:  # a builder pinned the time of day too: the same on whatever machine, at any hour
        return timezone.make_aware(datetime.combine(pinned, at))
    local = timezone.localtime(real)
    return local.replace(year=pinned.year, month=pinned.month, day=pinned.day)


@contextmanager
def pinned_time(at: time) -> Iterator[None]:
    """Inside a pinned calendar, pin the time of day as well: what a builder stamps with the product's
    clock (and does not date itself) reads as `at` on the pinned day, not as the machine's hour."""
    before = getattr(settings, "GANDANG_TODAY_TIME", None)
    settings.GANDANG_TODAY_TIME = at
    try:
        yield
    finally:
        settings.GANDANG_TODAY_TIME = before


@contextmanager
def pinned(day: date) -> Iterator[None]:
    """Pin the calendar to `day` for the duration of a block, e.g. while the demo city is built, so that
    whatever it stamps with the product's clock reads as that day and never as the machine's."""
    before = getattr(settings, "GANDANG_TODAY", "")
    settings.GANDANG_TODAY = day.isoformat()
    try:
        yield
    finally:
        settings.GANDANG_TODAY = before
