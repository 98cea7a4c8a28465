"""Records that apps above or beside their owner may annotate, and the panels they add to the record's page.

A record's own app (the dispatch's monthly report, a supervision listing, an experience, a bulletin)
registers it here by a key it owns ("supervision.listing"), with its one access gate and what the record
says about itself (title, page, units and items it concerns). An app that cannot import the owner (the
same layer, or a layer below) then links its rows to the record by that key and the record's id, reads the
record through the owner's gate, and shows a panel on the owner's page: the page's template asks for
`{% record_panels "supervision.listing" listing %}` (core/templatetags/records.py), knowing no panel.

A page that is not one record (the achievements' yearly figures) may ask for panels by a key of its own
too (`{% record_panels "achievements.stats" stats %}`): only panels naming that key are shown there.

Both registrations run from each app's AppConfig.ready(), as `ledger.extensions` does for the item page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Record:
    key: str  # "<app>.<model>", owned by the record's app
    label: Any  # what the record is, in words (a lazy translation: 挂牌督办)
    # (user, pk) -> the record, through its app's gate: Http404 when missing or not the user's to read.
    gate: Callable[[Any, int], models.Model]
    title: Callable[
        [Any], str
    ]  # how the record is named in a list (“2023年10月 1 深化投资审批改革 月度报告”)
    url: Callable[[int], str]  # the record's page, from its id alone (a list links to it without reading it)
    # The unit the record is about, if one (its lead unit): a leader's 批示 on it defaults to it.
    unit: Callable[[Any], Any] = lambda obj: None
    # The ledger items the record is about, if any.
    items: Callable[[Any], Iterable[Any]] = lambda obj: ()


@dataclass(frozen=True)
class RecordPanel:
    name: str
    order: int
    template: str
    # (request, record key, record) -> the template's context as `panel`, or None to show nothing.
    context: Callable[[Any, str, Any], dict[str, Any] | None]
    keys: frozenset[str] | None = None  # the records it is shown on; None: every registered record


_records: dict[str, Record] = {}
_panels: dict[str, RecordPanel] = {}


def record(r: Record) -> None:
    _records[r.key] = r


def get(key: str) -> Record | None:
    return _records.get(key)


def keys() -> list[str]:
    return sorted(_records)


def record_panel(p: RecordPanel) -> None:
    _panels[p.name] = p


def panels_for(request: Any, key: str, obj: Any) -> list[dict[str, Any]]:
    """[{"template": …, "panel": context}] for the record's page, in order."""
    out = []
    for p in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        # A panel for every record is shown on records alone; a page's own figures (e.g. the achievements'
        # "achievements.stats") get only the panels that name its key.
        if (p.keys is None and key not in _records) or (p.keys is not None and key not in p.keys):
            continue
        ctx = p.context(request, key, obj)
        if ctx is not None:
            out.append({"template": p.template, "panel": ctx})
    return out
