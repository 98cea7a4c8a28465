"""A plan's reporting cycle (报送周期): its spans of the year and the deadline of each.

A monthly plan reports in the city's monthly dispatch; a quarterly, half-yearly or yearly plan has
periods of its own, one per span, each due on the plan's deadline day for it (`Plan.deadlines`,
"04-25,06-25,09-25,11-25") or, when none is set, on the city's deadline day of the span's last month.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季度")
    HALFYEARLY = "halfyearly", _("按半年")
    YEARLY = "yearly", _("按年")


# The last month of each span of the year (a period keeps it as its `month`).
SPAN_ENDS: dict[str, tuple[int, ...]] = {
    Cycle.MONTHLY: tuple(range(1, 13)),
    Cycle.QUARTERLY: (3, 6, 9, 12),
    Cycle.HALFYEARLY: (6, 12),
    Cycle.YEARLY: (12,),
}
SPAN_MONTHS: dict[str, int] = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.HALFYEARLY: 6, Cycle.YEARLY: 12}

_DEADLINE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def span_label(cycle: str, year: int, month: int) -> str:
    """ "2023年第一季度", "2023年上半年", "2023年度" (Q1 2023, H1 2023, 2023 in English); "" for a month."""
    labels: dict[tuple[str, int], str] = {
        (Cycle.QUARTERLY, 3): gettext("%(year)s年第一季度"),
        (Cycle.QUARTERLY, 6): gettext("%(year)s年第二季度"),
        (Cycle.QUARTERLY, 9): gettext("%(year)s年第三季度"),
        (Cycle.QUARTERLY, 12): gettext("%(year)s年第四季度"),
        (Cycle.HALFYEARLY, 6): gettext("%(year)s年上半年"),
        (Cycle.HALFYEARLY, 12): gettext("%(year)s年下半年"),
        (Cycle.YEARLY, 12): gettext("%(year)s年度"),
    }
    label = labels.get((cycle, month))
    return label % {"year": year} if label else ""


def span_first_month(cycle: str, month: int) -> int:
    return month - SPAN_MONTHS.get(cycle, 1) + 1


def parse_deadlines(text: str) -> list[tuple[int, int]]:
    """(month, day) of each "MM-DD" in `text` (commas, 、 or blanks between); ValueError naming the bad one."""
    out = []
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        m = _DEADLINE.match(part)
        try:
            if not m:
                raise ValueError
            month, day = int(m.group(1)), int(m.group(2))
            date(2001, month, day)  # a year without 29 February: every deadline exists every year
        except ValueError:
            raise ValueError(gettext("“%(part)s”不是“月-日”形式的日期（如04-25）") % {"part": part}) from None
        out.append((month, day))
    return out


def deadlines_error(cycle: str, text: str) -> str | None:
    """Why `text` cannot be the deadlines of a plan of `cycle`, in words; None when it can."""
    if cycle == Cycle.MONTHLY:
        return gettext("按月报送的方案使用全市月调度的截止日，不另设报送截止日") if text.strip() else None
    try:
        days = parse_deadlines(text)
    except ValueError as exc:
        return str(exc)
    if not days:
        return None
    ends = SPAN_ENDS[cycle]
    if len(days) != len(ends):
        return gettext("%(cycle)s的方案每年有%(n)d个报送截止日，填写了%(m)d个") % {
            "cycle": Cycle(cycle).label,
            "n": len(ends),
            "m": len(days),
        }
    if days != sorted(set(days)):
        return gettext("报送截止日应按时间先后排列，且不能重复")
    for (month, _day), end in zip(days, ends, strict=True):
        if month < span_first_month(cycle, end):
            return gettext("报送截止日%(md)s早于其报送期开始的月份") % {"md": f"{month:02d}-{_day:02d}"}
    return None


def normalized(text: str) -> str:
    """The deadlines as stored: "04-25,06-25,09-25,11-25" ("" when blank)."""
    return ",".join(f"{m:02d}-{d:02d}" for m, d in parse_deadlines(text))


def deadline_of(cycle: str, deadlines: str, year: int, month: int) -> date:
    """The deadline of the span of `cycle` that ends in `month` of `year`."""
    days = parse_deadlines(deadlines) if cycle != Cycle.MONTHLY else []
    ends = SPAN_ENDS.get(cycle, ())
    if days and month in ends and len(days) == len(ends):
        m, d = days[ends.index(month)]
        return date(year, m, d)
    return date(year, month, min(getattr(settings, "GANDANG_REPORT_DEADLINE_DAY", 25), 28))


def reported_through(cycle: str, deadlines: str, on: date) -> date | None:
    """The last day of the latest span whose report was due before `on` (its deadline passed): what a
    plan's reports were due to say by then. None for a monthly plan (its months report on every month).

    A plan's item is judged on what its reports were due to say, not on the months between them: on
    2023-05-10 a quarterly plan (一季度 by 4月25日) has reported through 31 March, so a milestone due in
    April is not overdue until the second quarter's report was due (6月25日).
    """
    if cycle == Cycle.MONTHLY or cycle not in SPAN_ENDS:
        return None
    for year in (on.year, on.year - 1):
        for end in reversed(SPAN_ENDS[cycle]):
            if deadline_of(cycle, deadlines, year, end) < on:
                return date(year, end, calendar.monthrange(year, end)[1])
    return date(on.year - 2, 12, 31)


def next_deadline(cycle: str, deadlines: str, on: date) -> date | None:
    """The deadline of the first span whose report is due on or after `on`; None for a monthly plan."""
    if cycle == Cycle.MONTHLY or cycle not in SPAN_ENDS:
        return None
    for year in (on.year, on.year + 1):
        for end in SPAN_ENDS[cycle]:
            d = deadline_of(cycle, deadlines, year, end)
            if d >= on:
                return d
    return None


def describe(cycle: str, deadlines: str, year: int) -> str:
    """ "按季度报送：2023年第一季度4月25日前、…" for a page or the import's preview."""
    if cycle == Cycle.MONTHLY:
        return gettext("按月报送（全市月调度）")
    parts = []
    for end in SPAN_ENDS[cycle]:
        d = deadline_of(cycle, deadlines, year, end)
        parts.append(
            gettext("%(span)s%(m)d月%(d)d日前")
            % {"span": span_label(cycle, year, end), "m": d.month, "d": d.day}
        )
    return gettext("%(cycle)s报送：%(spans)s") % {"cycle": Cycle(cycle).label, "spans": "、".join(parts)}


# --- the cover letter's sentence ---------------------------------------------------------------

_SPAN_WORDS = [
    ("一季度", 3),
    ("第一季度", 3),
    ("上半年", 6),
    ("二季度", 6),
    ("前三季度", 9),
    ("三季度", 9),
    ("全年", 12),
    ("四季度", 12),
    ("下半年", 12),
    ("年底", 12),
]
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")


def from_cadence(sentence: str) -> tuple[str, str] | None:
    """The cycle and deadlines a cover letter's sentence names ("将一季度、上半年、前三季度和全年工作落实情况
    分别于4月25日、6月25日、9月25日和11月25日前报送" → quarterly, "04-25,06-25,09-25,11-25"); None when
    it names no set days of a non-monthly cycle (每月, or no dates)."""
    if not sentence or "每月" in sentence:
        return None
    dates = [(int(m), int(d)) for m, d in _MONTH_DAY.findall(sentence)]
    if not dates:
        return None
    head = sentence[: sentence.find(_MONTH_DAY.search(sentence).group(0))]  # type: ignore[union-attr]
    spans = sorted({end for word, end in _SPAN_WORDS if word in head})
    by_count = {4: Cycle.QUARTERLY, 2: Cycle.HALFYEARLY, 1: Cycle.YEARLY}
    cycle = by_count.get(len(dates))
    if cycle is None or len(spans) != len(dates):
        return None
    text = ",".join(f"{m:02d}-{d:02d}" for m, d in dates)
    try:
        if deadlines_error(cycle, text):
            return None
        return str(cycle), normalized(text)
    except ValueError:
        return None
