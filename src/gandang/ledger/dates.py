"""Read the due-date phrases offices write in their ledgers ("2023年6月底前", "三季度", "长期坚持").

Pure functions, no database: `parse_due` turns a phrase (or an Excel date cell) into a due
date, a "no fixed date" flag and the milestones of a two-stage phrase
("2023年9月底前完成方案，12月底前形成经验"); `parse_start` reads a start date.
Anything else raises `DatePhraseError` with a message for the user.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

__all__ = [
    "DatePhraseError",
    "DueDate",
    "date_spans",
    "format_date",
    "format_due",
    "parse_due",
    "parse_start",
]

NO_FIXED_LABEL = "长期坚持"
# Words that mean the item has no deadline: it is dispatched monthly until done.
NO_FIXED_WORDS = ("长期", "持续", "常态化", "久久为功")
MIN_YEAR, MAX_YEAR = 1950, 2100

# Full-width digits and the punctuation that appears inside numeric dates, as ASCII.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．／－～　", "0123456789./-~ ")
_SEGMENT_SPLIT = re.compile(r"[，,；;。\n\r]+")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_RANGE_JOINERS = {"至", "到", "~", "-", "—", "－", "～"}
_TITLE_STRIP = " \t，,；;：:。.、（）()【】[]"

_YEAR = r"(?:(?<!\d)(?P<y>\d{4})\s*年\s*|(?P<rel>次年|明年|翌年)\s*)?"
_MONTH = r"(?P<m>(?<!\d)(?:1[0-2]|0?[1-9])|十[一二]?|[一二三四五六七八九])"
# A month written "2023.3" / "2023-3", but not the start of "2023-3-15".
_NUM_MONTH_END = r"(?!\d)(?![./-]\d{1,2}(?!\d))"
# Words left around a date that still look like a date ("2023年13月") mean a misread phrase.
_DATE_LEFTOVER = re.compile(r"\d\s*[年月日号]")
_SUFFIX = r"\s*(?:以前|之前|前|为止|止|起|开始|以后)?"


class DatePhraseError(ValueError):
    """A due-date phrase that cannot be read; str(exc) is a Chinese message for the user."""


@dataclass
class DueDate:
    """What a due-date phrase means."""

    due_date: date | None = None
    no_fixed_date: bool = False
    milestones: list[tuple[str, date]] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    """A period named by one date expression, e.g. 2023年第三季度 = 2023-07-01…2023-09-30."""

    first: date
    last: date
    explicit_year: bool


def _cn_int(text: str) -> int:
    """1-12 from digits or Chinese numerals (十二 = 12)."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    return _CN_DIGITS[text]


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _make_date(year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DatePhraseError(f"年份“{year}”超出范围")
    if not 1 <= month <= 12:
        raise DatePhraseError(f"月份“{month}”不存在")
    if not 1 <= day <= _month_end(year, month):
        raise DatePhraseError(f"日期“{year}年{month}月{day}日”不存在")
    return date(year, month, day)


def _exact(year: int, m: re.Match[str]) -> tuple[date, date]:
    d = _make_date(year, _cn_int(m["m"]), int(m["d"]))
    return d, d


_MONTH_PARTS = {"上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, 31)}


def _month(year: int, m: re.Match[str]) -> tuple[date, date]:
    month = _cn_int(m["m"])
    end = _month_end(year, month) if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else 31
    first, last = _MONTH_PARTS.get(m.groupdict().get("part") or "", (1, 31))
    return _make_date(year, month, first), _make_date(year, month, min(last, end))


def _quarter(year: int, m: re.Match[str]) -> tuple[date, date]:
    q = _cn_int(m["q"])
    first = _make_date(year, 3 * q - 2, 1)
    return first, _make_date(year, 3 * q, _month_end(year, 3 * q))


def _half(year: int, m: re.Match[str]) -> tuple[date, date]:
    if m["h"] == "上":
        return _make_date(year, 1, 1), _make_date(year, 6, 30)
    return _make_date(year, 7, 1), _make_date(year, 12, 31)


def _year_end(year: int, m: re.Match[str]) -> tuple[date, date]:
    return _make_date(year, 12, 1), _make_date(year, 12, 31)


def _whole_year(year: int, m: re.Match[str]) -> tuple[date, date]:
    return _make_date(year, 1, 1), _make_date(year, 12, 31)


_Resolver = Callable[[int, re.Match[str]], tuple[date, date]]
# Each pattern names a period; `parse_due` takes its last day, `parse_start` its first.
_PATTERNS: list[tuple[re.Pattern[str], _Resolver]] = [
    (
        re.compile(
            rf"(?<!\d)(?P<y>\d{{4}})\s*[./-]\s*(?P<m>\d{{1,2}})\s*[./-]\s*(?P<d>\d{{1,2}})(?!\d){_SUFFIX}"
        ),
        _exact,
    ),
    (re.compile(rf"(?<!\d)(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}})(?!\d){_SUFFIX}"), _exact),
    (re.compile(rf"(?<!\d)(?P<y>\d{{4}})\s*[./-]\s*(?P<m>\d{{1,2}}){_NUM_MONTH_END}{_SUFFIX}"), _month),
    (re.compile(rf"{_YEAR}{_MONTH}\s*月\s*(?P<d>\d{{1,2}})\s*[日号]{_SUFFIX}"), _exact),
    (re.compile(rf"{_YEAR}{_MONTH}\s*月\s*份?\s*(?P<part>上旬|中旬|下旬|初|中|底|末)?{_SUFFIX}"), _month),
    (re.compile(rf"{_YEAR}第?\s*(?P<q>[一二三四1-4])\s*季度\s*(?:末|底)?{_SUFFIX}"), _quarter),
    (re.compile(rf"{_YEAR}(?P<h>上|下)半年\s*(?:末|底)?{_SUFFIX}"), _half),
    (re.compile(rf"{_YEAR}(?:年底|年末){_SUFFIX}"), _year_end),
    (re.compile(rf"(?<!\d)(?P<y>\d{{4}})\s*年\s*(?:底|末){_SUFFIX}"), _year_end),
    (re.compile(rf"{_YEAR}(?:年内|全年){_SUFFIX}"), _whole_year),
    (re.compile(rf"(?<!\d)(?P<y>\d{{4}})\s*年度?{_SUFFIX}"), _whole_year),
]


@dataclass
class _Found:
    start: int
    end: int
    match: re.Match[str]
    resolve: _Resolver


def _find_dates(text: str) -> list[_Found]:
    """Non-overlapping date expressions, left to right; at one position the longest wins."""
    candidates = [
        _Found(m.start(), m.end(), m, resolve)
        for pattern, resolve in _PATTERNS
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[_Found] = []
    for f in candidates:
        if not chosen or f.start >= chosen[-1].end:
            chosen.append(f)
    return chosen


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where the date expressions of running text are ("…2022年10月底前编制…"): (start, end) pairs.

    The same expressions `parse_due` reads, so a document's dates are found by the ledger's own grammar.
    Full-width digits are read as ASCII; the positions are those of `text` (the mapping keeps lengths).
    """
    return [(f.start, f.end) for f in _find_dates(text.translate(_HALF_WIDTH))]


def _resolve(found: _Found, carried_year: int | None, plan_year: int | None) -> _Span:
    groups = found.match.groupdict()
    if groups.get("y"):
        return _Span(*found.resolve(int(groups["y"]), found.match), explicit_year=True)
    base = carried_year if carried_year is not None else plan_year
    if base is None:
        raise DatePhraseError(f"“{found.match.group(0).strip()}”没有写明年份")
    year = base + 1 if groups.get("rel") else base
    return _Span(*found.resolve(year, found.match), explicit_year=bool(groups.get("rel")))


def _normalize(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_HALF_WIDTH).strip()


def _clean_title(text: str) -> str:
    return text.strip(_TITLE_STRIP)


def _is_no_fixed(text: str) -> bool:
    return any(word in text for word in NO_FIXED_WORDS)


@dataclass
class _Segment:
    span: _Span
    title: str
    phrase: str


def _read_segment(text: str, carried: int | None, plan_year: int | None) -> _Segment | None:
    """The date of one comma-separated part and the words around it (its milestone title)."""
    found = _find_dates(text)
    if not found:
        return None
    first, used_end = found[0], found[0].end
    span = _resolve(first, carried, plan_year)
    # "2023年3月至12月": a range; the deadline is the end of the second part.
    if len(found) > 1 and text[first.end : found[1].start].strip() in _RANGE_JOINERS:
        end_span = _resolve(found[1], span.first.year, plan_year)
        span, used_end = _Span(span.first, end_span.last, span.explicit_year), found[1].end
    title = _clean_title(text[: first.start] + text[used_end:])
    return _Segment(span=span, title=title, phrase=text[first.start : used_end].strip())


def _append(seg: _Segment, words: list[str]) -> None:
    seg.title = _clean_title("，".join([seg.title, *words]) if seg.title else "，".join(words))


def _read_segments(text: str, plan_year: int | None) -> tuple[list[_Segment], bool]:
    """The dated parts of a phrase, and whether any part said "long-term".

    Undated words belong to a neighbouring milestone: to the next one when it has no words of
    its own ("完成方案，2023年6月底前"), otherwise to the previous one.
    """
    segments: list[_Segment] = []
    pending: list[str] = []
    no_fixed = False
    carried: int | None = None
    for part in _SEGMENT_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        seg = _read_segment(part, carried, plan_year)
        if seg is None:
            if _is_no_fixed(part):
                no_fixed = True
            else:
                pending.append(part)
            continue
        if segments and not seg.span.explicit_year and seg.span.last < segments[-1].span.last:
            # "2023年11月底前…，3月底前…": a carried-over year that goes backwards means the next year.
            seg = _read_segment(part, segments[-1].span.last.year + 1, plan_year) or seg
        if pending and not seg.title:
            seg.title, pending = _clean_title("，".join(pending)), []
        elif pending and segments:
            _append(segments[-1], pending)
            pending = []
        carried = seg.span.last.year
        segments.append(seg)
    if pending and segments:
        _append(segments[-1], pending)
    for seg in segments:
        if _DATE_LEFTOVER.search(seg.title):
            raise DatePhraseError(f"无法识别的完成时限“{text}”")
    return segments, no_fixed


def parse_due(value: Any, *, plan_year: int | None = None) -> DueDate:
    """Read a due-date cell: a date, a phrase, or "长期坚持". Empty means no due date at all.

    Raises DatePhraseError (with a Chinese message) for anything it cannot read.
    """
    if value is None:
        return DueDate()
    if isinstance(value, datetime):
        return DueDate(due_date=value.date())
    if isinstance(value, date):
        return DueDate(due_date=value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DatePhraseError(f"无法识别的完成时限“{value}”")
    due, no_fixed, milestones = _parse_text(_normalize(value), plan_year)
    return DueDate(due_date=due, no_fixed_date=no_fixed, milestones=list(milestones))


@lru_cache(maxsize=4096)
def _parse_text(text: str, plan_year: int | None) -> tuple[date | None, bool, tuple[tuple[str, date], ...]]:
    # A ledger repeats a few dozen phrases over thousands of rows: read each phrase once.
    if not text:
        return None, False, ()
    segments, no_fixed = _read_segments(text, plan_year)
    milestones = tuple((seg.title or seg.phrase, seg.span.last) for seg in segments)
    if no_fixed:
        # "2023年6月底前出台方案，长期坚持": the dated parts are milestones of a long-term item.
        return None, True, milestones
    if not segments:
        raise DatePhraseError(
            f"无法识别的完成时限“{text}”，请写成如“2023年6月底前”“2023年12月31日”或“长期坚持”"
        )
    if len(segments) == 1:
        return segments[0].span.last, False, ()
    return max(seg.span.last for seg in segments), False, milestones


def parse_start(value: Any, *, plan_year: int | None = None) -> date | None:
    """Read a start-date cell: the first day of the period it names ("2023年3月" = 2023-03-01)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DatePhraseError(f"无法识别的开始时间“{value}”")
    text = _normalize(value)
    if not text:
        return None
    found = _find_dates(text)
    if len(found) != 1 or _clean_title(text[: found[0].start] + text[found[0].end :]):
        raise DatePhraseError(f"无法识别的开始时间“{text}”，请写成如“2023年3月1日”")
    return _resolve(found[0], None, plan_year).first


def format_date(value: date) -> str:
    """A date the Chinese way: 2023年12月31日."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_due(due_date: date | None, no_fixed_date: bool, due_text: str = "") -> str:
    """The phrase a ledger shows for a due date: the office's own words when kept."""
    if due_text:
        return due_text
    if no_fixed_date:
        return NO_FIXED_LABEL
    return format_date(due_date) if due_date else ""
