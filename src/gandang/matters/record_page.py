"""Matters' panel on the pages of records it cannot import (gandang.core.records): a monthly report, a
listing, a bulletin, an experience. It shows the leaders' 批示 written on the record, with how each
directive's matter is handled, and gives a city leader the 批示 form (the item page's, posted to
`matters:record_instruct`); and, on the achievements' figures of a year, the leaders' praise (肯定性批示)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from gandang.core import clock, records
from gandang.matters import selectors
from gandang.matters.access import can_instruct, instructions_visible_to, matters_visible_to
from gandang.matters.forms import ItemInstructionForm


def _panel(request, key: str, obj) -> dict | None:
    user = request.user
    visible = matters_visible_to(user).select_related("unit")
    instructions = list(
        instructions_visible_to(user)
        .filter(on_record=key, on_record_id=obj.pk)
        .prefetch_related(Prefetch("matters", queryset=visible.order_by("id")))
        .order_by("-on", "-id")
    )
    form = None
    if can_instruct(user):
        r = records.get(key)
        unit = r.unit(obj) if r is not None else None
        form = ItemInstructionForm(initial={"unit": unit.pk if unit else None}, prefix="instruct")
    if not instructions and form is None:
        return None
    return {
        "instructions": instructions,
        "form": form,
        "action": reverse("matters:record_instruct", args=[key, obj.pk]),
        "today": clock.today(),
    }


def _praise(request, key: str, stats) -> dict | None:
    """The achievements' figures of a year: the leaders' praising instructions (肯定性批示) by level, counted
    beside experiences, pilots and honors (the achievements app cannot read matters)."""
    if not getattr(stats, "year", None):
        return None  # every year: the instructions' list is by year
    unit = getattr(stats, "unit", None)
    levels = selectors.praise_by_level(year=stats.year, unit_id=unit.pk if unit else None)
    return {"year": stats.year, "levels": levels}


def register() -> None:
    records.record_panel(
        records.RecordPanel("matters.instructions", 60, "matters/_record_panel.html", _panel)
    )
    records.record_panel(
        records.RecordPanel(
            "matters.praise",
            60,
            "matters/_praise_panel.html",
            _praise,
            keys=frozenset({"achievements.stats"}),
        )
    )
