"""Insert thousands of rows without building a model instance for each: the ledger import's writes.

`bulk_create` builds a model instance per row and compiles every value through the SQL compiler;
for a 10,000-row ledger (items, their links, milestones, audit entries: some 60,000 rows) that is
most of the commit's time. `insert` writes the same values with one prepared statement per table
(`executemany`), each value prepared by its field exactly as `bulk_create` prepares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from django.db import connections, models, router

from gandang.core import clock


def insert(model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, batch_size: int = 2000) -> int:
    """Insert `rows` (attname -> value, e.g. "item_id") into `model`'s table; returns how many.

    A column a row leaves out takes its field's default, as a model instance would; auto_now and
    auto_now_add fields always take the product's clock, the same moment for every row. Like
    `bulk_create`: no save(), no signals, no validation; unlike it, no ids are returned (read back
    what you need).
    """
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    # What a row leaves out, and the stamps, are the same for every row: prepared once.
    now = clock.now()
    stamps = {
        f.attname: f.get_db_prep_save(now, connection)
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}

    def prepared(row: Mapping[str, Any]) -> list[Any]:
        return [
            stamps[f.attname]
            if f.attname in stamps
            else f.get_db_prep_save(row[f.attname], connection)
            if f.attname in row
            else defaults[f.attname]
            for f in fields
        ]

    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    with connection.cursor() as cursor:
        for chunk in _batches(rows, batch_size):
            params = [prepared(row) for row in chunk]
            cursor.executemany(sql, params)
            count += len(params)
    return count


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk
