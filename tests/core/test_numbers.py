"""Every percent, average and score is rounded half-up (四舍五入), never half to even."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from gandang.core import numbers


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (46.25, 1, "46.3"),  # round(46.25, 1) == 46.2: half to even on an exact binary value
        (76.25, 1, "76.3"),
        (2.5, 0, "3"),  # round(2.5) == 2
        (0.125, 2, "0.13"),  # round(0.125, 2) == 0.12
        (0.285, 2, "0.29"),  # stored as 0.28499999…: read as the 0.285 it prints as
        (1.005, 2, "1.01"),
        (Decimal("12.345"), 2, "12.35"),
        ("3.45", 1, "3.5"),
        (50, 1, "50.0"),
        (-2.5, 0, "-3"),  # half away from zero, as 四舍五入 is done on the absolute value
        (-46.25, 1, "-46.3"),
        (Decimal("-0.125"), 2, "-0.13"),
        (-0.04, 1, "0.0"),  # never a negative zero
        (46.24, 1, "46.2"),
        (46.249999, 1, "46.2"),
    ],
)
def test_fmt_rounds_half_up(value, places, expected):
    assert numbers.fmt(value, places) == expected


def test_half_up_gives_decimals():
    assert numbers.half_up(46.25, 1) == Decimal("46.3")
    assert numbers.half_up(2.5) == Decimal(3)


def test_shares_are_exact_before_rounding():
    # 29 / 200 * 100 is 14.499999999999998 in floats; the share is exactly 14.5.
    assert numbers.fmt_percent(29, 200, 0) == "15%"
    assert numbers.fmt_percent(1, 8) == "12.5%"
    assert numbers.fmt_percent(1, 3) == "33.3%"
    assert numbers.fmt_percent(2, 3) == "66.7%"
    assert numbers.fmt_percent(0, 0) == "0.0%"
    assert numbers.share(1, 0) is None


def test_mean_is_exact_before_rounding():
    assert numbers.mean([40, 45, 50, 50]) == Decimal("46.25")
    assert numbers.fmt(numbers.mean([40, 45, 50, 50]), 1) == "46.3"
    assert numbers.mean([]) is None


def test_points_are_trimmed_after_rounding():
    assert numbers.fmt_trimmed(Decimal("12.50")) == "12.5"
    assert numbers.fmt_trimmed(Decimal("3.00")) == "3"
    assert numbers.fmt_trimmed(Decimal("0.125")) == "0.13"
    assert numbers.fmt_trimmed(Decimal("-0.001")) == "0"


def test_template_filters_round_half_up():
    t = Template(
        "{% load numbers %}{{ a|half_up:1 }} {{ b|half_up:0 }} {{ n|percent_of:total }} {{ none|half_up }}"
    )
    out = t.render(Context({"a": 46.25, "b": 2.5, "n": 1, "total": 8, "none": None}))
    assert out == "46.3 3 12.5% —"
