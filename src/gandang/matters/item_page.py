"""Matters' part of the ledger's item page (gandang.ledger.extensions): the instructions and matters about
the item (and the matter it was created from), and a city leader's small 批示 form."""

from __future__ import annotations

from django.db.models import Q

from gandang.core import clock
from gandang.ledger import extensions
from gandang.matters.access import can_instruct, matters_visible_to
from gandang.matters.forms import ItemInstructionForm


def _panel(request, item, can_edit: bool) -> dict | None:
    user = request.user
    matters = list(
        matters_visible_to(user)
        .filter(Q(items=item) | Q(created_item=item))
        .distinct()
        .select_related("unit", "instruction")
        .order_by("-created_at", "-id")
    )
    form = None
    if can_instruct(user) and not item.is_archived:
        form = ItemInstructionForm(initial={"unit": item.lead_unit_id}, prefix="instruct")
    if not matters and form is None:
        return None
    return {"matters": matters, "form": form, "item": item, "today": clock.today()}


def register() -> None:
    extensions.item_panel(
        extensions.ItemPanel("matters.instructions", 60, "top", "matters/_item_panel.html", _panel)
    )
