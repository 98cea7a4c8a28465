"""Matters' part of the ledger's item page (gandang.ledger.extensions): the leaders' instructions on the
item (praise and directives, with how each directive's matter is handled), other matters about it, the
matter it was made from (立项), and a city leader's small 批示 form."""

from __future__ import annotations

from django.db.models import Prefetch

from gandang.core import clock
from gandang.ledger import extensions
from gandang.matters.access import can_instruct, instructions_visible_to, matters_visible_to
from gandang.matters.forms import ItemInstructionForm


def _panel(request, item, can_edit: bool) -> dict | None:
    user = request.user
    # Which instructions and matters name the item, and the one it was made from (the panel's `linked`):
    # most items have none, and ask no more.
    instructions, others = [], []
    if instruction_ids := item.linked["instructions"]:
        matters = matters_visible_to(user).select_related("unit").order_by("id")
        instructions = list(
            instructions_visible_to(user)
            .filter(pk__in=instruction_ids)
            .prefetch_related(Prefetch("matters", queryset=matters))
            .order_by("-on", "-id")
        )
    if matter_ids := item.linked["matters"]:
        # Matters about the item from other sources (meetings, consultations).
        others = list(
            matters_visible_to(user)
            .filter(pk__in=matter_ids, instruction__isnull=True)
            .select_related("unit")
            .order_by("-created_at", "-id")
        )
    # The matter it was made from (立项), if this user may see it: most items have none.
    source = None
    if made_from := item.linked["source_matter"]:
        source = matters_visible_to(user).filter(pk__in=made_from).only("title").first()
    form = None
    if can_instruct(user) and not item.is_archived:
        form = ItemInstructionForm(initial={"unit": item.lead_unit_id}, prefix="instruct")
    if not instructions and not others and source is None and form is None:
        return None
    return {
        "instructions": instructions,
        "matters": others,
        "source": source,
        "form": form,
        "item": item,
        "today": clock.today(),
    }


def _action(request, item, can_edit: bool) -> dict | None:
    return {"item": item} if can_edit else None  # the office records an instruction received on paper


def register() -> None:
    add = extensions.item_panel
    add(
        extensions.ItemPanel(
            "matters.instructions",
            60,
            "top",
            "matters/_item_panel.html",
            _panel,
            linked=("instructions", "matters", "source_matter"),
        )
    )
    add(extensions.ItemPanel("matters.record", 60, "actions", "matters/_item_action.html", _action))
