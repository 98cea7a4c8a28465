"""The numbers Word draws itself: "1." or "（一）" from a list's numbering, which a paragraph's text lacks.

An office that typed its plan with Word's automatic numbering has paragraphs whose text is only
"全面实施行政许可事项清单管理。…": the "1." lives in numbering.xml. `Numbering.label` gives each
paragraph the label Word shows, so the parser sees the same "1." or "（一）" a reader does.
Counters run per list (numId) and level; a level restarts when a level above it moves on.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "japaneseCounting",
    "chineseLegalSimplified",
}
_LEVEL_REF = re.compile(r"%([1-9])")


def chinese_number(n: int) -> str:
    """1…99 as 一…九十九 (十一, 二十)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "") if n < 100 else str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return chinese_number(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    return str(n)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class Numbering:
    """The lists of one document and their running counters."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: nothing is numbered by Word
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(qn("w:abstractNum")):
            lvls = {}
            for lvl in node.findall(qn("w:lvl")):
                start = _val(lvl, "w:start")
                lvls[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                    int(start) if start and start.isdigit() else 1,
                )
            abstract[node.get(qn("w:abstractNumId"), "")] = lvls
        for num in root.findall(qn("w:num")):
            ref = _val(num, "w:abstractNumId")
            self.levels[num.get(qn("w:numId"), "")] = abstract.get(ref or "", {})

    def label(self, paragraph: Any) -> str:
        """The number Word shows before the paragraph ("1.", "（一）"), or ""."""
        num_id, ilvl = self._num_pr(paragraph)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        fmt, text, start = levels.get(ilvl, ("decimal", "", 1))
        if fmt in ("bullet", "none") or not text:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]

        def level_text(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(lvl, ("decimal", "", 1))
            return _format(counters.get(lvl, lvl_start), lvl_fmt)

        return _LEVEL_REF.sub(level_text, text)

    @staticmethod
    def _num_pr(paragraph: Any) -> tuple[str | None, int]:
        """The list and level of the paragraph, its own or its style's (and the styles it is based on)."""
        candidates = [paragraph._p.pPr]
        style = paragraph.style
        for _ in range(10):  # a style chain is short; a loop in it must not hang the import
            if style is None:
                break
            candidates.append(style.element.pPr)
            style = style.base_style
        for ppr in candidates:
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is not None:
                num_id = _val(num_pr, "w:numId")
                ilvl = _val(num_pr, "w:ilvl")
                return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0
        return None, 0
