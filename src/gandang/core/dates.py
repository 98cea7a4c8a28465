"""Dates as people type them in China: 2023-12-05, 2023-12-5, 2023/12/5, 2023.12.5, 2023年12月5日, 20231205.

Browsers show <input type=date> in their own locale's order (mm/dd/yyyy in an English browser), so
date fields are text inputs showing 年-月-日 (`core.forms.DateInput`), and this module reads what was
typed. Full-width digits and separators from a Chinese input method read like ASCII ones.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Year, month, day with one separator kind throughout (-, /, . or 年月日), or eight digits.
_SEPARATED = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
YEARS = (1900, 2199)  # a reform record's dates; anything outside is a typing slip


class DateFormatError(ValueError):
    """What was typed is not a date; the message says why, in the user's language."""


def _parts(text: str) -> tuple[int, int, int] | None:
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        m = pattern.fullmatch(text)
        if m:
            groups = [g for g in m.groups() if g.isdigit()]
            return int(groups[0]), int(groups[1]), int(groups[2])
    return None


def parse_date(text: str) -> date:
    """The date `text` names, in any accepted way of writing it; DateFormatError with a Chinese message if none.

    Raises for empty text too: whether a date is required is the form's business.
    """
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    parts = _parts(cleaned)
    if parts is None:
        raise DateFormatError(_("日期格式不对，请按“年-月-日”填写，如 2023-12-05"))
    year, month, day = parts
    if not YEARS[0] <= year <= YEARS[1]:
        raise DateFormatError(_("年份应在%(low)s年到%(high)s年之间") % {"low": YEARS[0], "high": YEARS[1]})
    try:
        return date(year, month, day)
    except ValueError:
        raise DateFormatError(
            _("没有%(year)s年%(month)s月%(day)s日这一天") % {"year": year, "month": month, "day": day}
        ) from None


def normalize(text: str) -> str:
    """`text` as 2023-12-05 when it names a date, else unchanged (so a form shows it back with its error)."""
    try:
        return parse_date(text).isoformat()
    except DateFormatError:
        return text


@lru_cache(maxsize=4096)
def _formatted(day: date, fmt: str, language: str | None) -> str:
    return date_format(day, fmt)


def formatted(day: date, fmt: str) -> str:
    """date_format(day, fmt) in the active language, formatted once per day, format and language: a
    list's rows show the same few due dates and months many times over."""
    return _formatted(day, fmt, get_language())
