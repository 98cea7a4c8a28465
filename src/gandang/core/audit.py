"""The audit history of official records.

Services call `snapshot()` before a change and `record()` after it, inside the
same transaction, so every change has exactly one entry with who, when and what
each field was before. Values are stored as display strings (a unit's name, not
its id) so that an old entry still reads correctly after the unit is renamed. They are
written in the product's language (settings.LANGUAGE_CODE), whatever language the actor's
screens are in, so the history reads the same for everyone. Encrypted personal information (a phone
number, an e-mail address) is kept masked, never in plain text (EncryptedTextField.audit_value).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from gandang.core import clock
from gandang.core.fields import EncryptedTextField
from gandang.core.models import AuditEntry


def _display(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext_noop("是") if value else gettext_noop("否")  # stored as is, shown translated
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str]:
    """The audited fields of `obj` as display strings (m2m fields as joined names: sorted, or in their
    link model's order where that order is part of the value, see `keeps_order`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot(obj)


def _snapshot(obj: models.Model) -> dict[str, str]:
    data: dict[str, str] = {}
    for name in obj.AUDIT_FIELDS:  # type: ignore[attr-defined]
        field: Any = obj._meta.get_field(name)
        if field.many_to_many:
            if obj.pk is None:
                data[name] = ""
            elif keeps_order(field):
                data[name] = "、".join(str(o) for o in _in_order(obj, field))
            else:
                data[name] = "、".join(sorted(str(o) for o in getattr(obj, name).all()))
        elif isinstance(field, EncryptedTextField):
            data[name] = field.audit_value(getattr(obj, name))  # personal information: never in plain text
        elif field.choices:
            data[name] = _display(getattr(obj, f"get_{name}_display")())
        else:
            data[name] = _display(getattr(obj, name))
    return data


def keeps_order(field: Any) -> bool:
    """Whether a many-to-many field's order is part of its value: its own link model has an ordering
    (e.g. an item's joint lead units, in the plan's order). The history then says a reordering."""
    through = field.remote_field.through
    return not through._meta.auto_created and bool(through._meta.ordering)


def _in_order(obj: models.Model, field: Any) -> list[models.Model]:
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = through._default_manager.filter(**{source: obj.pk}).select_related(target)
    return [getattr(row, target) for row in rows]


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    keys = list(before) + [k for k in after if k not in before]
    return {k: [before.get(k, ""), after.get(k, "")] for k in keys if before.get(k, "") != after.get(k, "")}


def entry(
    obj: models.Model,
    *,
    actor,
    action: str,
    before: dict[str, str] | None = None,
    after: dict[str, str] | None = None,
    reason: str = "",
    scope: models.Model | None = None,
) -> AuditEntry | None:
    """Build (unsaved) the audit entry for a change; None when nothing changed."""
    after = snapshot(obj) if after is None else after
    changes = diff(before or {}, after)
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        shown = str(obj)[:300]
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=shown,
        action=action,
        changes=changes,
        reason=reason[:300],
        scope=scope_key(scope) if scope is not None else "",
        actor=actor if getattr(actor, "pk", None) else None,
    )


def record(
    obj: models.Model, *, merge_within: datetime.timedelta | None = None, **kwargs
) -> AuditEntry | None:
    """Write the audit entry for a change to `obj` (see `entry`).

    With `merge_within`, an update by the same person to the same record within that time of their
    last entry for it extends that entry (its "before" stays, its "after" moves on) instead of adding
    one: a draft saved as it is typed leaves one entry per sitting, not one per pause in typing.
    """
    e = entry(obj, **kwargs)
    if e is None:
        return None
    if merge_within is not None and e.action == AuditEntry.Action.UPDATE:
        merged = _merge_into_last(e, merge_within)
        if merged is not None:
            return merged
    e.save()
    return e


def _merge_into_last(e: AuditEntry, window: datetime.timedelta) -> AuditEntry | None:
    last = (
        AuditEntry.objects.filter(content_type=e.content_type, object_id=e.object_id)
        .order_by("-at", "-id")
        .first()
    )
    if (
        last is None
        or last.action != AuditEntry.Action.UPDATE
        or last.actor_id != e.actor_id
        or last.reason != e.reason
        or clock.now() - last.at > window
    ):
        return None
    changes = {k: list(v) for k, v in last.changes.items()}
    for k, (old, new) in e.changes.items():
        changes[k] = [changes[k][0] if k in changes else old, new]
    last.changes = {k: v for k, v in changes.items() if v[0] != v[1]}
    last.at = clock.now()
    last.save(update_fields=["changes", "at"])
    return last


def scope_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def history_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries of `obj` and of the records shown on its page (its scope), newest first."""
    ct = ContentType.objects.get_for_model(obj)
    q = models.Q(content_type=ct, object_id=obj.pk) | models.Q(scope=scope_key(obj))
    # The entries' record types come from ContentType's cache (`labelled`), not a join.
    return AuditEntry.objects.filter(q).select_related("actor")


_YES_NO = ("是", "否")


def labelled(entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Entries with field names replaced by their verbose names, for display."""
    rows = []
    for e in entries:
        model = ContentType.objects.get_for_id(e.content_type_id).model_class()
        changes = []
        for name, (old, new) in e.changes.items():
            try:
                field: Any = model._meta.get_field(name) if model else None
                label = str(field.verbose_name) if field else name
            except Exception:
                field, label = None, name
            if isinstance(field, models.BooleanField):
                old, new = (gettext(v) if v in _YES_NO else v for v in (old, new))
            changes.append({"field": label, "before": old, "after": new})
        rows.append(
            {
                "entry": e,
                "kind": str(model._meta.verbose_name) if model else "",
                "changes": changes,
            }
        )
    return rows
