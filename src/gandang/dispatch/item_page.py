"""The monthly dispatch's parts of the ledger's item page (gandang.ledger.extensions): the status box
with the office's 成效不明显, and the month-by-month table of snapshots and reports."""

from __future__ import annotations

from typing import Any

from gandang.dispatch.selectors import item_months
from gandang.ledger import extensions
from gandang.ledger.templatetags.lights import light


def _status(request, item, can_edit: bool) -> dict:
    return {"status": getattr(item, "current_status", None)}  # read with the item (related below)


def _months(request, item, can_edit: bool) -> dict:
    return {"months": [_month_row(m) for m in item_months(item)]}


def _month_row(month: dict[str, Any]) -> dict[str, Any]:
    """What a row of the table shows, in one pass: the template then reads a few keys per row (not a
    snapshot's and a report's attributes, properties and a tag per cell)."""
    snapshot, report = month["snapshot"], month["report"]
    row: dict[str, Any] = {
        "period": str(month["period"]),
        "light": light(snapshot) if snapshot else "—",
        "reason": snapshot.reason if snapshot else "",
        "lead_units": (snapshot.lead_units_display if snapshot else "") or "—",
        "report": None,
        "percent": "",
    }
    if report is not None:
        row["report"] = {
            "url": report.get_absolute_url(),
            "state": report.get_state_display(),
            "is_late": report.is_late,
            "is_copy": report.is_copy,
        }
        row["percent"] = "—" if report.percent is None else f"{report.percent}%"
    return row


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel(
            "dispatch.status", 10, "top", "dispatch/_item_status.html", _status, related=("current_status",)
        )
    )
    extensions.item_panel(
        extensions.ItemPanel("dispatch.months", 10, "bottom", "dispatch/_item_months.html", _months)
    )
