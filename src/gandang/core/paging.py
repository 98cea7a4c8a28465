"""A page of a long ordered list, read in two steps so that only the page's rows are joined; the query
its pager's links keep.

Paginating a queryset that joins and annotates makes the database carry every matching row's
columns through the sort before LIMIT. `deferred_page` sorts the ids alone (what indexes serve), then
reads the page's rows with everything they show — the cost of a page stays the cost of its ordering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def deferred_page(
    qs: QuerySet,
    number: int | str | None,
    *,
    rows: Callable[[QuerySet], QuerySet] | None = None,
    read: Callable[[list], Iterable] | None = None,
    per_page: int | None = None,
    count: int | None = None,
) -> Page:
    """Page `number` of the ordered `qs` (a malformed or out-of-range number gives the nearest page):
    its object_list is the page's objects in order, read by `rows(queryset of those ids)` (models, or
    dicts with "pk" when `rows` reads values()), or by `read(those ids)` (e.g. a core.keyed.KeyedRows
    reading dicts with "pk"). `count`:
    how many `qs` has, when the caller counted it already (with other figures, in one query)."""
    paginator = Paginator(qs.values_list("pk", flat=True), per_page or settings.GANDANG_PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    page = paginator.get_page(number)
    ids = list(page.object_list)
    if read is not None:
        return _with_rows(page, read(ids))
    base = qs.model._default_manager.filter(pk__in=ids)
    return _with_rows(page, rows(base) if rows else base)


def keyed_page(
    keys: Sequence[int],
    number: int | str | None,
    *,
    rows: Callable[[list[int]], Iterable],
    per_page: int | None = None,
) -> Page:
    """Page `number` of a list whose keys (its rows' ids, in its order) were read whole, with what
    else that one read told (a unit's month: some hundred reports' ids and states, the page's counts):
    its object_list is the page's rows in order, as `rows(the page's ids)` reads them (models, or
    dicts with "pk")."""
    page = Paginator(keys, per_page or settings.GANDANG_PAGE_SIZE).get_page(number)
    return _with_rows(page, rows(list(page.object_list)))


def _with_rows(page: Page, rows: Iterable) -> Page:
    """`page` with its ids replaced by `rows` (models, or dicts carrying "pk"), in the ids' order."""
    ids = list(page.object_list)
    by_id = {(obj["pk"] if isinstance(obj, dict) else obj.pk): obj for obj in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def query_without_page(request: HttpRequest, *, drop: Iterable[str] = ()) -> str:
    """The request's query string without `page` (nor the `drop` parameters): what the links of its
    pager (core/_pager.html) keep, so that turning the page keeps the list's filters."""
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()
