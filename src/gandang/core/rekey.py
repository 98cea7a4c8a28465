"""Re-encrypt every encrypted value (EncryptedTextField) under the key in use: the work behind
`gandang rotate-pii-key`. Knows no model by name: it finds the fields.

The values are read and written as stored (raw SQL), one table at a time. A value is written back only
if the row still holds what was read (a conditional UPDATE), so a person who changes their phone while
this runs keeps the new number; a value a server wrote meanwhile with an old key is left for the next run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction

from gandang.core import crypto
from gandang.core.fields import EncryptedTextField


@dataclass
class Report:
    """Values by the key they needed ("current", "old", "plain"), what was rewritten, what cannot be read."""

    states: Counter = field(default_factory=Counter)
    rewritten: int = 0
    raced: int = 0  # changed by someone else between the read and the write: left as they are
    unreadable: list[str] = field(default_factory=list)


def encrypted_columns() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    out = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        fields = [f for f in opts.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            out.append((model, fields))
    return out


def _rows(model: type[models.Model], fields: list[EncryptedTextField]) -> list[tuple]:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(model._meta.pk.column)}, {cols} FROM {qn(model._meta.db_table)}")
        return cursor.fetchall()


def survey() -> Report:
    """Count the stored values by the key they need; nothing is written."""
    report = Report()
    for model, fields in encrypted_columns():
        for pk, *values in _rows(model, fields):
            for f, raw in zip(fields, values, strict=True):
                if not raw:
                    continue
                where = f"{model._meta.label}.{f.name} (id {pk})"
                try:
                    state = crypto.key_state(raw)
                    if state != "plain":
                        crypto.decrypt(raw)
                except crypto.UnreadableValue as exc:
                    report.unreadable.append(f"{where}: {exc}")
                    continue
                if state == "unknown":
                    report.unreadable.append(f"{where}: written with a key that is not configured")
                else:
                    report.states[state] += 1
    return report


def rotate() -> Report:
    """Write every value that needs an old key (or is still plain text) again under the key in use.

    Refuses, writing nothing, while any value cannot be read (see `survey`): rotating around a value
    written with a lost key would hide the loss.
    """
    report = survey()
    if report.unreadable:
        return report
    qn = connection.ops.quote_name
    for model, fields in encrypted_columns():
        table, pk_col = qn(model._meta.db_table), qn(model._meta.pk.column)
        with transaction.atomic():
            for pk, *values in _rows(model, fields):
                for f, raw in zip(fields, values, strict=True):
                    if not raw or crypto.key_state(raw) == "current":
                        continue
                    col = qn(f.column)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {col} = %s WHERE {pk_col} = %s AND {col} = %s",
                            [crypto.encrypt(crypto.decrypt(raw)), pk, raw],
                        )
                        if cursor.rowcount == 1:
                            report.rewritten += 1
                        else:
                            report.raced += 1
    return report
