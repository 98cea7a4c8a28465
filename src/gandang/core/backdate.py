"""The demo's one dating helper: what a block of service calls writes is dated on the demo's day.

The services stamp their rows (audit entries, steps, notices) with the real clock; a demo city lives
in 2023, so each demo builder runs its calls inside `dated(when, …)`, which then gives every row
those calls created the demo's time. Audit entries are always dated; an app names its own stamped
rows as (model, field) pairs, so this module knows no domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.db.models import Max, Model
from django.utils import timezone

from gandang.core.models import AuditEntry


def aware(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """That day at that time, in the install's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Stamper:
    """Dates the rows written since it was made, or since its last `date()`: audit entries, and each
    (model, field) given. `extra` values go to the rows of the given models that have such a field
    (e.g. read_at on notices: read long ago)."""

    def __init__(self, *stamps: tuple[type[Model], str]) -> None:
        self.pairs: list[tuple[type[Model], str]] = [(AuditEntry, "at"), *stamps]
        self.marks = [self._top(model) for model, _field in self.pairs]

    @staticmethod
    def _top(model: type[Model]) -> int:
        return model._default_manager.aggregate(n=Max("pk"))["n"] or 0

    def date(self, when: datetime, **extra: object) -> None:
        for n, (model, field) in enumerate(self.pairs):
            values: dict[str, object] = {field: when}
            if model is not AuditEntry:
                values |= {k: v for k, v in extra.items() if any(f.name == k for f in model._meta.fields)}
            model._default_manager.filter(pk__gt=self.marks[n]).update(**values)
            self.marks[n] = self._top(model)


@contextmanager
def dated(when: datetime, *stamps: tuple[type[Model], str], **extra: object) -> Iterator[None]:
    """Date the rows created inside the block: audit entries at `when`, and each (model, field) given."""
    stamper = Stamper(*stamps)
    yield
    stamper.date(when, **extra)
