"""Template filters that print numbers rounded half-up (四舍五入), through `gandang.core.numbers`.

Django's floatformat does round half-up on the value's decimal repr, but it also localises and
hides trailing zeros unless told otherwise; these filters print exactly what the documents print.
"""

from django import template

from gandang.core import numbers

register = template.Library()

DASH = "—"


@register.filter
def half_up(value, places=1) -> str:
    """{{ avg|half_up:1 }} → 46.3 for 46.25; a dash for a missing value."""
    if value is None or value == "":
        return DASH
    return numbers.fmt(value, int(places))


@register.filter
def percent_of(part, whole) -> str:
    """{{ n|percent_of:total }} → 12.5% for 1 of 8 (one decimal); 0.0% when there is no total."""
    if part is None or part == "":
        return DASH
    return numbers.fmt_percent(part, whole or 0)
