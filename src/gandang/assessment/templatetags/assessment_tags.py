from decimal import Decimal

from django import template

from gandang.assessment.rules import D, fmt

register = template.Library()


@register.filter
def pts(value) -> str:
    """Points as people write them: 12.5, 3, −0.5; a dash for a missing value."""
    if value is None or value == "":
        return "—"
    return fmt(value if isinstance(value, Decimal) else D(value))


@register.filter
def signed(value) -> str:
    """Points with their sign: +2, -0.5, 0."""
    if value is None or value == "":
        return "—"
    d = value if isinstance(value, Decimal) else D(value)
    return ("+" if d > 0 else "") + fmt(d)


@register.filter
def grade_css(grade: str, run) -> str:
    """grade-0 for the best grade of the run's scheme, grade-1 for the next, …"""
    names = [g.get("name") for g in (run.config or {}).get("grades", [])]
    return f"grade-{min(names.index(grade), 3)}" if grade in names else ""
