"""The ledger's columns as offices name them, and the small readers for their cells."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

# field -> (the heading the export writes, other headings offices use for the same column).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "seq": ("序号", ()),
    "code": ("编号", ("事项编号", "任务编号")),
    "title": (
        "改革事项",
        (
            "改革任务",
            "任务名称",
            "事项名称",
            "重点改革任务",
            "工作任务",
            "改革事项名称",
            "重点任务",
            "主要任务",
            "重点工作任务",
        ),
    ),
    "goal": ("改革目标", ("工作目标", "目标任务")),
    "deliverable": ("成果形式", ()),
    "area": ("改革领域", ("领域", "专项小组")),
    "leaders": ("领衔市级领导", ("牵头市级领导", "责任领导", "市级领导", "领衔领导")),
    "lead_unit": ("牵头单位", ("责任单位",)),
    "co_units": ("配合单位", ("参与单位",)),
    "start_date": ("开始时间", ()),
    "due": ("完成时限", ("完成时间", "时间节点", "截止时间")),
    "is_key": ("重点", ("是否重点",)),
    "parent": ("上级编号", ("上级事项",)),
    "notes": ("备注", ()),
    # Last, so that office ledgers (which lack it) keep their familiar column order: written by
    # every export, it lets a whole-ledger file go back into each item's own plan.
    "plan": ("所属方案", ()),
}
EXPORT_HEADINGS = [label for label, _ in COLUMNS.values()]

_HEADING_NOISE = re.compile(r"[\s*＊:：]+")
# "完成时限（年月日）", "牵头单位(必填)": a remark in brackets after the heading.
_HEADING_REMARK = re.compile(r"[（(][^（()）]*[)）]$")


def _heading_key(text: str) -> str:
    return _HEADING_REMARK.sub("", _HEADING_NOISE.sub("", text)).lower()


_SYNONYMS = {
    _heading_key(name): field for field, (label, others) in COLUMNS.items() for name in (label, *others)
}


def field_for_heading(value: Any) -> str | None:
    """The field a header cell names, case- and space-insensitively; None if not a ledger column."""
    if not isinstance(value, str):
        return None
    return _SYNONYMS.get(_heading_key(value))


ERROR_VALUES = {
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#GETTING_DATA",
    "#SPILL!",
}


class Formula(str):
    """A formula cell's text ("=TODAY()"), told apart from literal text that starts with "=".

    Exports write text such as '=HYPERLINK(…)' as a string cell, so it must come back as that
    text; only a cell that really holds a formula is refused.
    """


def cell_problem(value: Any) -> str | None:
    """Why a cell cannot be imported as it is (a formula or an Excel error), or None."""
    if not isinstance(value, str):
        return None
    if isinstance(value, Formula):
        return "该单元格是公式，请复制后“选择性粘贴→数值”再导入"
    if "#" in value and value.strip().upper() in ERROR_VALUES:  # every error value has a "#"
        return f"单元格显示错误值“{value.strip()}”，请改正后再导入"
    return None


def filled(value: Any) -> bool:
    """Whether `text(value)` would be non-empty, without building the text (asked of every cell)."""
    if value is None:
        return False
    return not isinstance(value, str) or bool(value.strip())


def text(value: Any) -> str:
    """A cell as trimmed text; whole numbers without ".0", dates as 2023-12-31."""
    if not isinstance(value, str):  # most cells are text: they skip these checks
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\u3000", " ").replace("\xa0", " ").strip()


def one_line(value: Any) -> str:
    """Text without the line breaks Alt+Enter leaves inside a title."""
    lines = text(value).splitlines()
    if len(lines) == 1:
        return lines[0]  # already trimmed: the usual one-line cell
    return "".join(part.strip() for part in lines)


_SEPARATORS = set("、，,；;/／ \t\n")
_OPEN, _CLOSE = set("（(【["), set("）)】]")


def split_names(value: Any) -> list[str]:
    """Names in one cell, split at 、，,；; and spaces but not inside brackets ("各县（市、区）")."""
    return list(_split_names(text(value)))


@lru_cache(maxsize=4096)
def _split_names(cell: str) -> tuple[str, ...]:
    # The same few unit cells recur on thousands of rows: split each once.
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in cell:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    # "市财政局等": the trailing "etc." is not part of the name.
    cleaned = [
        n.strip().removesuffix("等").strip() if i == len(names) - 1 else n.strip()
        for i, n in enumerate(names)
    ]
    return tuple(dict.fromkeys(n for n in cleaned if n))


_LEADER = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<title>[^（()）]*)[)）]$")
_TITLE_WORD = re.compile(r"(市长|书记|常委|主任|部长|秘书长|主席|委员|检察长|院长|司令员|政委)$")


def split_leaders(value: Any) -> list[tuple[str, str]]:
    """(name, title) pairs from "张三（副市长）、李四(市委常委、秘书长)" or "张三 副市长"."""
    return list(_split_leaders(text(value)))


@lru_cache(maxsize=4096)
def _split_leaders(cell: str) -> tuple[tuple[str, str], ...]:
    # Like the unit cells, the same leaders' cells recur on thousands of rows.
    pairs: list[tuple[str, str]] = []
    for token in _split_names(cell):
        m = _LEADER.match(token)
        if m:
            pairs.append((m["name"].strip(), m["title"].strip()))
        elif pairs and not pairs[-1][1] and _TITLE_WORD.search(token):
            pairs[-1] = (pairs[-1][0], token)  # "张三 副市长": the title written after a space
        else:
            pairs.append((token, ""))
    return tuple({name: (name, title) for name, title in pairs}.values())


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "重点", "★", "●"}
_FALSE = {"", "否", "×", "✗", "n", "no", "false", "0", "-", "—", "/"}


def yes_no(value: Any) -> bool | None:
    """True/False for a flag cell ("是", "√", "否", empty); None if it is neither."""
    word = text(value).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    word = text(value).rstrip(".、")
    return int(word) if word.isdecimal() else None
