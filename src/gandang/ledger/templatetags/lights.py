"""{% light st %}: a status light (an item's, a snapshot's, an ItemStatus); `reason=True` also says why
beside a red or yellow light (and 成效不明显), not only on hover.

A tag rather than an included template: the ledger list shows one per row, and an include costs a
template render each (a page of 50 rows spent more on its lights than on the rest of the row). What
every light says (the statuses' labels, 未评估, 成效不明显) is translated once per language, not per light.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.encoding import force_str
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from gandang.ledger.models import Status

register = template.Library()


class _Words:
    """What the lights say in one language."""

    def __init__(self) -> None:
        # Every light's status field has the ledger's Status choices: their labels.
        self.labels = {value: str(label) for value, label in Status.choices}
        self.none = mark_safe(f'<span class="light light-none">{escape(gettext("未评估"))}</span>')
        self.no_effect = escape(gettext("成效不明显"))
        self.no_effect_why = escape(gettext("成效不明显："))


_words: dict[str | None, _Words] = {}


def _words_now() -> _Words:
    language = get_language()
    words = _words.get(language)
    if words is None:
        words = _words[language] = _Words()
    return words


def light_html(
    status: str, why: str, no_effect: bool = False, no_effect_why: str = "", *, reason: bool = False
) -> SafeString:
    """The light of a `status` (with its reason `why`, and 成效不明显 and its reason), as {% light %}
    writes it: for rows read as values (the ledger list's dicts)."""
    words = _words_now()
    label = words.labels.get(status) or force_str(status)
    why = escape(str(why))
    parts = [f'<span class="light light-{escape(str(status))}" title="{why}">{escape(label)}</span>']
    if no_effect:
        no_effect_why = escape(str(no_effect_why))
        parts.append(f'<span class="light light-noeffect" title="{no_effect_why}">{words.no_effect}</span>')
    if reason:
        if status in ("red", "yellow"):
            parts.append(f'<small class="reason-inline">{why}</small>')
        if no_effect and no_effect_why:
            parts.append(f'<small class="reason-inline">{words.no_effect_why}{no_effect_why}</small>')
    return mark_safe("".join(parts))


def no_light() -> SafeString:
    """The light of an item not yet assessed (未评估)."""
    return _words_now().none


@register.simple_tag
def light(st, reason: bool = False) -> SafeString:
    if not st:
        return no_light()
    no_effect, why = getattr(st, "no_effect", False), getattr(st, "no_effect_reason", "")
    return light_html(st.status, st.reason, no_effect, why, reason=reason)
