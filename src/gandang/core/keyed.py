"""Queries that differ from one request to the next only in ids, by SQL Django compiles once.

Django compiles a query anew each time it runs, which often costs more than running it (some
0.3–1 ms, against 0.05 ms of SQL). Where only ids change, the SQL is compiled once with marks where
the ids go, as core.links.pk_url reverses a URL once and puts each id into it:

- `KeyedRows`: a page's rows read by the ids of its page (core.paging.deferred_page), and what other
  tables say of those rows (the ledger list: each item's leaders, co-units and joint lead units);
  compiled once for each number of ids (most pages of a list are full: one or two compilations).
- `KeyedSubquery`: a subquery by one id, for `pk__in=` (the items a unit leads, read by two indexes
  and united): compiled once per database, where each list, count or figure using it compiled the
  union again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, IntegerField, QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable

_MARK = 918273645546372819  # ids no table reaches (core.links' mark and those after it): the ids' places
_KEPT = 256  # compilations kept per query (one per number of ids: a page's sizes)


@dataclass(frozen=True)
class _Compiled:
    db: str
    sql: str
    params: tuple
    places: tuple[int, ...]  # where the ids go among the params, in the order given
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, its converters, its expression)
    names: tuple[str, ...] | None  # the columns' names for dicts (values()), None for tuples


class KeyedRows:
    """The rows of `queryset()` whose `key` is among some ids: `rows(ids)` reads what
    `queryset().filter(<key>__in=ids)` reads, as dicts (a values() queryset) or tuples (values_list()),
    each value converted as Django converts it, in the query's order.

    The query is compiled once per number of ids and kept: `queryset` must make the same query every
    time (no date of today, no user), as a module-level query does."""

    def __init__(self, queryset: Callable[[], QuerySet], key: str = "pk") -> None:
        self.queryset = queryset
        self.key = key
        self._compiled: dict[int, _Compiled] = {}

    def __call__(self, ids: Iterable[int]) -> list:
        keys = list(dict.fromkeys(ids))  # each once, as `in` reads them
        if not keys:
            return []
        compiled = self._compiled.get(len(keys)) or self._compile(len(keys))
        params = list(compiled.params)
        for place, key in zip(compiled.places, keys, strict=True):
            params[place] = key
        connection = connections[compiled.db]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for column, converters, expression in compiled.converters:
                    value = row[column]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[column] = value
        if compiled.names is not None:
            return [dict(zip(compiled.names, row, strict=True)) for row in rows]
        return [tuple(row) for row in rows]

    def _compile(self, n: int) -> _Compiled:
        marks = [_MARK + i for i in range(n)]
        qs = self.queryset().filter(**{f"{self.key}__in": marks})
        query = qs.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if qs._iterable_class is ValuesIterable:
            dict_names: tuple[str, ...] | None = tuple(names)
        elif (
            qs._iterable_class is ValuesListIterable and list(getattr(qs, "_fields", None) or names) == names
        ):
            dict_names = None
        else:
            raise TypeError("KeyedRows reads values() or values_list() in the order of their columns")
        compiler = query.get_compiler(qs.db)
        sql, params = compiler.as_sql()
        places = tuple(i for i, p in enumerate(params) if isinstance(p, int) and p >= _MARK)
        if [params[i] for i in places] != marks:
            raise ValueError("the ids' places in the compiled query are not where KeyedRows looks")
        select = [col for col, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(convs), expression)
            for column, (convs, expression) in compiler.get_converters(select).items()
        )
        compiled = _Compiled(qs.db, sql, tuple(params), places, converters, dict_names)
        if len(self._compiled) < _KEPT:
            self._compiled[n] = compiled
        return compiled


class KeyedSubquery:
    """A subquery that differs from one use to the next only in one id: `subquery(key)` is an
    expression for `<field>__in=`, the SQL `queryset(key)` compiles to as such a subquery, compiled
    once per database with a mark where the id goes (every parameter equal to the key is the key).

    `queryset` must make the same query for every key but for the key itself."""

    def __init__(self, queryset: Callable[[int], QuerySet]) -> None:
        self.queryset = queryset
        self._compiled: dict[str, tuple[str, tuple, tuple[int, ...]]] = {}

    def __call__(self, key: int) -> Expression:
        return _KeyedSubqueryExpression(self, key)

    def compiled(self, connection) -> tuple[str, tuple, tuple[int, ...]]:
        found = self._compiled.get(connection.alias)
        if found is None:
            qs = self.queryset(_MARK)
            # As a subquery of a query on its own model (its tables' aliases those Django gives them there).
            outer = qs.model._default_manager.all().query
            inner = qs.query.resolve_expression(outer)
            sql, params = inner.as_sql(outer.get_compiler(connection=connection), connection)
            places = tuple(i for i, p in enumerate(params) if p == _MARK)
            if not places:
                raise ValueError("the key's place in the compiled subquery is not where KeyedSubquery looks")
            found = self._compiled[connection.alias] = (sql, tuple(params), places)
        return found


class _KeyedSubqueryExpression(Expression):
    def __init__(self, subquery: KeyedSubquery, key: int) -> None:
        super().__init__(output_field=IntegerField())
        self.subquery, self.key = subquery, key

    def as_sql(self, compiler, connection):
        if not isinstance(self.key, int) or not -(2**63) <= self.key < 2**63:
            raise EmptyResultSet  # no row holds such an id (as core.lookups has it for `exact` and `in`)
        sql, params, places = self.subquery.compiled(connection)
        values = list(params)
        for place in places:
            values[place] = self.key
        return sql, values
