"""The product's idea of today.

Normally the local date (Asia/Shanghai). A demo or a rehearsal can pin the calendar with
GANDANG_TODAY=YYYY-MM-DD (or a `today` file in the data directory, which `gandang demo` writes),
so that statuses, deadlines and workbench counts read as they would on that day.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def pinned_today() -> date | None:
    value = getattr(settings, "GANDANG_TODAY", "")
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_today() or timezone.localdate()
