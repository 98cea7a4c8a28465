"""Meetings' part of the ledger's item page: the meeting decision an item was made from (立项), linked back."""

from __future__ import annotations

from gandang.ledger import extensions
from gandang.matters.meeting_access import meetings_visible_to
from gandang.matters.meeting_models import Decision


def _panel(request, item, can_edit: bool) -> dict | None:
    decision = (
        Decision.objects.filter(created_item=item, meeting__in=meetings_visible_to(request.user))
        .select_related("meeting")
        .first()
    )
    return {"decision": decision} if decision else None


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel("matters.meeting_source", 61, "top", "matters/_meeting_item_panel.html", _panel)
    )
