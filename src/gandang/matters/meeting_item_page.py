"""Meetings' part of the ledger's item page: the meeting decision an item was made from (立项), linked back."""

from __future__ import annotations

from gandang.ledger import extensions
from gandang.matters.meeting_access import meetings_visible_to
from gandang.matters.meeting_models import Decision


def _panel(request, item, can_edit: bool) -> dict | None:
    # Most items were not made at a meeting (the panel's `linked`), and ask no more.
    if not (made_at := item.linked["source_decision"]):
        return None
    decision = (
        Decision.objects.filter(pk__in=made_at, meeting__in=meetings_visible_to(request.user))
        .select_related("meeting")
        .first()
    )
    return {"decision": decision} if decision else None


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel(
            "matters.meeting_source",
            61,
            "top",
            "matters/_meeting_item_panel.html",
            _panel,
            linked=("source_decision",),
        )
    )
