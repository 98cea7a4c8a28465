"""The 工作亮点 (highlights) section of the bulletin: what the quarter achieved, item by item and in
experiences promoted, pilots and honors, each source adding its lines. Part of the bulletin's wording
(gandang.bulletins.drafting)."""

from __future__ import annotations

from collections.abc import Callable

from gandang.bulletins.figures import ItemLine, QuarterFigures
from gandang.documents import structure as s


def _names(lines: list[ItemLine], limit: int | None = None) -> str:
    shown = lines if limit is None else lines[:limit]
    return "、".join(f"{s.quoted(x.title)}（{x.unit or '未定牵头单位'}）" for x in shown)


def _highlights_done(f: QuarterFigures) -> list[str]:
    if not f.completed:
        return []
    return [
        "## 一批改革事项落地见效",
        f"本季度，{_names(f.completed, 5)}{'等' if f.completed_total > 5 else ''}"
        f"{f.completed_total}项改革事项完成既定目标任务，形成了一批制度成果。",
    ]


_LISTED = 8  # achievements named one by one; more are counted ("等N项")


def _more(n: int) -> str:
    return f"等{n}项" if n > _LISTED else ""


def _highlights_promoted(f: QuarterFigures) -> list[str]:
    """Experiences promoted at province level or above this quarter, each under the highest level it reached."""
    if not f.promoted:
        return []
    by_level: dict[str, list[str]] = {}
    for x in f.promoted:
        by_level.setdefault(x.levels[0], []).append(f"{'、'.join(x.units)}{s.quoted(x.title)}")
    parts = [
        f"获{level}刊发推广{len(names)}项：{'、'.join(names[:_LISTED])}{'等' if len(names) > _LISTED else ''}"
        for level, names in by_level.items()
    ]
    return [
        "## 改革经验获上级推广",
        f"本季度，全市{len(f.promoted)}项改革经验做法获省级以上刊发推广。其中，{'；'.join(parts)}。",
    ]


def _highlights_pilots(f: QuarterFigures) -> list[str]:
    """Pilots that passed their evaluation this quarter."""
    if not f.pilots_passed:
        return []
    n = len(f.pilots_passed)
    named = "、".join(f"{x.unit}牵头承担的{x.level}{s.quoted(x.name)}" for x in f.pilots_passed[:_LISTED])
    return [
        "## 改革试点取得新成效",
        f"本季度，{named}{f'等{n}项改革试点' if n > 1 else ''}通过评估验收，"
        "形成了一批可复制可推广的制度成果。",
    ]


def _highlights_honors(f: QuarterFigures) -> list[str]:
    """Honors the city's units received this quarter."""
    if not f.honors:
        return []
    named = "；".join(
        f"{x.unit}获{x.granted_by + '授予的' if x.granted_by else ''}{s.quoted(x.name)}（{x.level}）"
        for x in f.honors[:_LISTED]
    )
    return [
        "## 改革工作获得表彰激励",
        f"本季度，全市改革工作获得表彰激励{len(f.honors)}项：{named}{_more(len(f.honors))}。",
    ]


# Each source adds lines to 工作亮点 (a "## " heading and its paragraph), from the quarter's records.
HIGHLIGHT_SOURCES: list[Callable[[QuarterFigures], list[str]]] = [
    _highlights_done,
    _highlights_promoted,
    _highlights_pilots,
    _highlights_honors,
]


def _highlights(f: QuarterFigures) -> str:
    lines = [line for source in HIGHLIGHT_SOURCES for line in source(f)]
    return "\n".join(lines) or "本季度暂无需要通报的工作亮点。"
