"""{% light st %}: a status light (an item's, a snapshot's, an ItemStatus); `reason=True` also says why
beside a red or yellow light (and 成效不明显), not only on hover.

A tag rather than an included template: the ledger list shows one per row, and an include costs a
template render each (a page of 50 rows spent more on its lights than on the rest of the row).
"""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from gandang.core.links import choice_label
from gandang.ledger.models import Status

register = template.Library()


class Light(NamedTuple):
    """A status as `light` reads it, from values (a row read as a dict, not a model)."""

    status: str
    reason: str
    no_effect: bool = False
    no_effect_reason: str = ""


@register.simple_tag
def light(st, reason: bool = False) -> SafeString:
    if not st:
        return format_html('<span class="light light-none">{}</span>', gettext("未评估"))
    status = st.status
    no_effect, why = getattr(st, "no_effect", False), getattr(st, "no_effect_reason", "")
    # Every light's status field has the ledger's Status choices: their label, without the dictionary
    # get_status_display() builds on each call.
    parts = [
        format_html(
            '<span class="light light-{}" title="{}">{}</span>',
            status,
            st.reason,
            choice_label(Status, status),
        )
    ]
    if no_effect:
        parts.append(
            format_html('<span class="light light-noeffect" title="{}">{}</span>', why, gettext("成效不明显"))
        )
    if reason:
        if status in ("red", "yellow"):
            parts.append(format_html('<small class="reason-inline">{}</small>', st.reason))
        if no_effect and why:
            parts.append(
                format_html('<small class="reason-inline">{}{}</small>', gettext("成效不明显："), why)
            )
    return mark_safe("".join(parts))
