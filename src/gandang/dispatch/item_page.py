"""The monthly dispatch's parts of the ledger's item page (gandang.ledger.extensions): the status box
with the office's 成效不明显, and the month-by-month table of snapshots and reports."""

from __future__ import annotations

from gandang.dispatch.selectors import item_months
from gandang.ledger import extensions


def _status(request, item, can_edit: bool) -> dict:
    return {"status": getattr(item, "current_status", None)}


def _months(request, item, can_edit: bool) -> dict:
    return {"months": item_months(item)}


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel("dispatch.status", 10, "top", "dispatch/_item_status.html", _status)
    )
    extensions.item_panel(
        extensions.ItemPanel("dispatch.months", 10, "bottom", "dispatch/_item_months.html", _months)
    )
