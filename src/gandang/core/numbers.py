"""Numbers as a reform office prints them: rounded half-up (四舍五入), never half to even.

Python's round() and f"{x:.1f}" round half to even on the float's binary value, so an average
progress of 46.25% prints as 46.2% where anyone recounting by hand writes 46.3%. Every percent,
average and score the product shows or prints (bulletins, dashboard, assessment) goes through
this module; templates use the `half_up` / `percent` filters of the `numbers` template library.

Floats are taken as the decimal number they print as (`str(x)`, the shortest repr): 0.285 is
stored in binary as 0.28499999999999998…, but a person reads and rounds 0.285, so it gives 0.29.
Shares and averages are computed from their integer parts in Decimal (`share`, `mean`), so
14.5% is exactly 14.5 and not the float 14.499999999999998 of 29 / 200 * 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int | float | str


def to_decimal(value: Number) -> Decimal:
    """`value` as a Decimal; a float as the decimal it prints as (0.285 → Decimal('0.285'))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def half_up(value: Number, places: int = 0) -> Decimal:
    """`value` rounded half away from zero to `places` decimals: 46.25 → 46.3, -2.5 → -3.

    A result of zero is never negative (-0.04 → 0.0, not -0.0).
    """
    d = to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return d.copy_abs() if d.is_zero() else d


def share(part: Number, whole: Number) -> Decimal | None:
    """part / whole × 100, exact to 28 digits; None when there is no whole to share."""
    w = to_decimal(whole)
    return None if w.is_zero() else to_decimal(part) * 100 / w


def mean(values: Iterable[Number]) -> Decimal | None:
    """The average of `values`, exact to 28 digits; None for no values."""
    items = [to_decimal(v) for v in values]
    return sum(items, Decimal(0)) / len(items) if items else None


def fmt(value: Number, places: int = 1) -> str:
    """`value` rounded half-up and written with exactly `places` decimals: 46.25 → "46.3", 50 → "50.0"."""
    return f"{half_up(value, places):f}"


def fmt_trimmed(value: Number, places: int = 2) -> str:
    """Rounded half-up to `places`, trailing zeros dropped, as points are written: 12.50 → "12.5", 3.00 → "3"."""
    s = fmt(value, places)
    return s.rstrip("0").rstrip(".") if "." in s else s


def fmt_percent(part: Number, whole: Number, places: int = 1) -> str:
    """A share as printed: 1 of 8 → "12.5%", 0 of 0 → "0.0%"."""
    value = share(part, whole)
    return fmt(value if value is not None else 0, places) + "%"
