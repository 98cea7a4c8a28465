"""Length limits of typed text, enforced by the services with a message the person can act on.

The limit of a field lives on the model (`max_length`, also on TextFields, where Django passes it to
the form and the page's counter but not to the database). Forms check it too, but a service is the
one path every write takes (pages, API, imports, commands), so it checks again: 20,000 characters
pasted into 本月进展 are refused with “本月进展不能超过2000字（现为20000字）”, never accepted silently
and never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from gandang.core.errors import ServiceError


def too_long(model: type[models.Model] | models.Model, values: Mapping[str, Any]) -> list[str]:
    """A message for each text value longer than its field allows, or holding a NUL character
    (PostgreSQL refuses it; only a forged post can send one); empty when all can be stored."""
    out = []
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if "\x00" in value:
            out.append(
                _("“%(field)s”含有无效字符，请删除后再保存") % {"field": getattr(field, "verbose_name", name)}
            )
            continue
        limit = getattr(field, "max_length", None)
        if limit and len(value) > limit:
            out.append(
                _("“%(field)s”不能超过%(limit)d字（现为%(n)d字），请精简后再保存")
                % {"field": getattr(field, "verbose_name", name), "limit": limit, "n": len(value)}
            )
    return out


def check_lengths(model: type[models.Model] | models.Model, values: Mapping[str, Any]) -> None:
    """Raise a ServiceError naming the first text value that is over its field's limit."""
    problems = too_long(model, values)
    if problems:
        raise ServiceError(problems[0])


def check_instance(obj: models.Model, fields: Iterable[str] | None = None) -> None:
    """Check the text fields of `obj` (all of them, or `fields`) before it is saved."""
    names = fields or [
        f.name for f in obj._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
    ]
    check_lengths(obj, {name: getattr(obj, name) for name in names})


def _check_before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not sender._meta.app_config or not sender._meta.app_config.name.startswith("gandang."):
        return
    check_instance(instance)


def connect() -> None:
    """Every record of the product is checked before it is written, whichever service writes it: a
    text over its limit is refused with a message, never stored (or, on PostgreSQL, a database error)."""
    pre_save.connect(_check_before_save, dispatch_uid="gandang-text-limits")
