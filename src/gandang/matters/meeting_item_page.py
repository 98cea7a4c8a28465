"""Meetings' part of the ledger's item page: the meeting decision an item was made from (立项), linked back."""

from __future__ import annotations

from gandang.ledger import extensions
from gandang.matters.meeting_access import meetings_visible_to
from gandang.matters.meeting_models import Decision


def _panel(request, item, can_edit: bool) -> dict | None:
    # Read with the item (the panel's `related`): most items were not made at a meeting, and ask no more.
    decision: Decision | None = getattr(item, "source_decision", None)
    if decision is None:
        return None
    meeting = meetings_visible_to(request.user).filter(pk=decision.meeting_id).first()
    if meeting is None:
        return None
    decision.meeting = meeting
    return {"decision": decision}


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel(
            "matters.meeting_source",
            61,
            "top",
            "matters/_meeting_item_panel.html",
            _panel,
            related=("source_decision",),
        )
    )
