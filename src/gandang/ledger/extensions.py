"""What other apps add to the ledger's pages, without the ledger knowing them.

The ledger sits below the monthly dispatch, supervision and the mechanisms still to come; its item
page and list still show their parts (an item's monthly reports, its listings, a 挂牌 badge). Each
of those apps registers here, from its AppConfig.ready():

- an `ItemPanel`: a template with its context, shown on the item page at a place (`head`: beside the
  title; `actions`: with the office's buttons; `top`: under the status; `bottom`: before the history),
  the item's one-to-one relations it reads, fetched with the item (`related`), and the records naming
  the item it lists, which of them read for all panels at once (`linked`);
- a `ListFlag`: a filter of the ledger list (标记 = key) and the badge its rows carry;
- a `ListFilter`: a filter of the ledger list with a value of its own (its query parameter and form
  field), e.g. the bulletins' 调度期末滞后 = a closed period: the items lagging in its snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, Q, QuerySet

PLACES = ("head", "actions", "top", "bottom")


@dataclass(frozen=True)
class ItemPanel:
    name: str
    order: int
    place: str
    template: str
    # (request, item, can_edit) -> the template's context as `panel`, or None to show nothing.
    context: Callable[[Any, Any, bool], dict[str, Any] | None]
    # The item's relations the context reads (its app's one-to-ones to Item, e.g. "current_status"),
    # read with the item's own query (select_related): no query of their own, none when they are absent.
    related: tuple[str, ...] = ()
    # The records naming the item that the context lists, by their relation's name from Item (e.g.
    # "listings"): which there are is read for all panels in one query, as item.linked[name] (their ids),
    # so that a panel reads its records only when there are some (most items have none).
    linked: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListFlag:
    key: str
    label: Any  # a lazy translation: the filter's option
    badge: Any  # what a row with the flag shows
    # A boolean expression on Item (e.g. Exists(…)): the filter and the badge both use it.
    expression: Callable[[], Expression | Q]


@dataclass(frozen=True)
class ListFilter:
    key: str  # the query parameter, and the name of the list form's field
    # A new form field (required=False) that cleans the parameter's value; invalid values are dropped.
    field: Callable[[], Any]
    # The cleaned value -> a condition on Item that repeats no row (e.g. pk__in a subquery).
    condition: Callable[[Any], Q]


_panels: dict[str, ItemPanel] = {}
_panel_order: list[ItemPanel] = []  # the panels in their order, kept as they register
_flags: dict[str, ListFlag] = {}
_filters: dict[str, ListFilter] = {}


def item_panel(panel: ItemPanel) -> None:
    assert panel.place in PLACES, panel.place
    _panels[panel.name] = panel
    _panel_order[:] = sorted(_panels.values(), key=lambda p: (p.order, p.name))


def list_flag(flag: ListFlag) -> None:
    _flags[flag.key] = flag


def list_filter(f: ListFilter) -> None:
    _filters[f.key] = f


def filters() -> list[ListFilter]:
    return sorted(_filters.values(), key=lambda f: f.key)


def flags() -> list[ListFlag]:
    return sorted(_flags.values(), key=lambda f: f.key)


def flag(key: str) -> ListFlag | None:
    return _flags.get(key)


def item_related() -> tuple[str, ...]:
    """What the panels read of the item's relations, for the item page's select_related."""
    return tuple(dict.fromkeys(name for p in _panel_order for name in p.related))


def linked_ids(item) -> dict[str, set[int]]:
    """The ids of the records naming `item` that the panels list ({relation: ids}, ItemPanel.linked), in
    one query: a row per combination of them, which an item has few of."""
    names = tuple(dict.fromkeys(name for p in _panel_order for name in p.linked))
    out: dict[str, set[int]] = {name: set() for name in names}
    if names:
        for row in type(item).objects.filter(pk=item.pk).order_by().values_list(*names):
            for name, pk in zip(names, row, strict=True):
                if pk is not None:
                    out[name].add(pk)
    return out


def panels_for(request, item, *, can_edit: bool) -> dict[str, list[dict[str, Any]]]:
    """{place: [{"template": …, "panel": context}]} for the item page, in order."""
    out: dict[str, list[dict[str, Any]]] = {place: [] for place in PLACES}
    item.linked = linked_ids(item)
    for p in _panel_order:
        ctx = p.context(request, item, can_edit)
        if ctx is not None:
            out[p.place].append({"template": p.template, "panel": ctx})
    return out


def with_badges(qs: QuerySet) -> QuerySet:
    """Annotate each registered flag as `flag_<key>` (for the rows' badges)."""
    return qs.annotate(**{f"flag_{f.key}": f.expression() for f in flags()})


def badges(item) -> list[Any]:
    return [f.badge for f in flags() if getattr(item, f"flag_{f.key}", False)]
