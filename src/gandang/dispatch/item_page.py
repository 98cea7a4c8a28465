"""The monthly dispatch's parts of the ledger's item page (gandang.ledger.extensions): the status box
with the office's 成效不明显, and the month-by-month table of snapshots and reports."""

from __future__ import annotations

from typing import Any

from gandang.core.links import choice_label, pk_url
from gandang.dispatch.models import Report
from gandang.dispatch.selectors import item_months
from gandang.ledger import extensions
from gandang.ledger.templatetags.lights import light_html


def _status(request, item, can_edit: bool) -> dict:
    return {"status": getattr(item, "current_status", None)}  # read with the item (related below)


def _months(request, item, can_edit: bool) -> dict:
    lights: dict[tuple, str] = {}  # an item's light is often the same month after month: written once
    return {"months": [_month_row(m, lights) for m in item_months(item)]}


def _month_row(month: dict[str, Any], lights: dict[tuple, str]) -> dict[str, Any]:
    """What a row of the table shows, in one pass: the template then reads a few keys per row (not a
    snapshot's and a report's attributes, properties and a tag per cell)."""
    snapshot, report = month["snapshot"], month["report"]
    row: dict[str, Any] = {
        "period": month["period"],
        "light": "—",
        "reason": "",
        "lead_units": "—",
        "url": "",
    }
    if snapshot is not None:
        st = (snapshot["status"], snapshot["reason"], snapshot["no_effect"])
        if st not in lights:
            lights[st] = light_html(*st)
        row["light"] = lights[st]
        row["reason"] = snapshot["reason"]
        row["lead_units"] = "、".join(snapshot["lead_units"]) or "—"
    row["percent"] = ""
    if report is not None:
        row["url"] = pk_url("dispatch:report_detail", report["id"])
        row["state"] = choice_label(Report.State, report["state"])
        row["is_late"], row["is_copy"] = report["is_late"], report["is_copy"]
        row["percent"] = "—" if report["percent"] is None else f"{report['percent']}%"
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
