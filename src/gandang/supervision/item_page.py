"""Listed supervision's parts of the ledger (gandang.ledger.extensions): the 挂牌 badge and the
listings on the item page, the office's 挂牌督办 button, and the list's 挂牌督办中 filter."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from gandang.ledger import extensions
from gandang.supervision.models import Listing


def _listings(item) -> list[Listing]:
    if not hasattr(item, "_supervision_listings"):  # the badge and the table share one read
        # Most items were never listed: only those listed are read (the panels' `linked`).
        listed = item.linked["listings"]
        rows = Listing.objects.filter(pk__in=listed).only(*_SHOWN).order_by("-listed_on", "-id")
        item._supervision_listings = list(rows) if listed else []
    return item._supervision_listings


# What the badge and the table show of a listing (its unit only to link it for that unit's members).
_SHOWN = ("unit_id", "reason", "level", "deadline", "state", "escalation", "listed_on", "closed_on")


def _badge(request, item, can_edit: bool) -> dict | None:
    listings = _listings(item)
    return {"listings": listings} if listings else None  # nothing to show for an item never listed


def _table(request, item, can_edit: bool) -> dict | None:
    listings = _listings(item)
    return {"listings": listings} if listings else None


def _action(request, item, can_edit: bool) -> dict | None:
    return {} if can_edit and not item.is_archived and item.lead_unit_id else None


def _listed():
    return Exists(Listing.objects.filter(item=OuterRef("pk"), state=Listing.State.LISTED))


def register() -> None:
    add = extensions.item_panel
    linked = ("listings",)
    add(
        extensions.ItemPanel(
            "supervision.badge", 20, "head", "supervision/_item_badge.html", _badge, linked=linked
        )
    )
    add(extensions.ItemPanel("supervision.action", 20, "actions", "supervision/_item_action.html", _action))
    add(
        extensions.ItemPanel(
            "supervision.listings", 20, "top", "supervision/_item_listings.html", _table, linked=linked
        )
    )
    extensions.list_flag(extensions.ListFlag("listed", _("挂牌督办中"), _("挂牌"), _listed))
