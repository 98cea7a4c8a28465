"""The bulletin's charts for print (matplotlib): SVG for the PDF, PNG for the .docx, from the same figure.

Uses matplotlib's object API (no pyplot state), so charts can be drawn from any thread of the server.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gandang.bulletins.charts import COLORS
from gandang.bulletins.selectors import STATUS_LABELS, STATUSES, Dashboard, Group
from gandang.core import numbers
from gandang.documents.structure import Image

log = logging.getLogger(__name__)

# The order the bulletin reads the lights in: what is achieved, then what lags.
PRINT_ORDER = ["done", "green", "yellow", "red", "not_started"]

matplotlib.use("Agg")

FONT = "Noto Sans CJK SC"
_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT, "Noto Sans CJK JP", "DejaVu Sans"],
    "axes.unicode_minus": False,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",  # glyphs as outlines: the PDF needs no font for the charts
    "svg.hashsalt": "gandang-bulletin",  # stable ids: the same figures give the same SVG
}
_font_lock = threading.Lock()
_font_ready = False


def _ensure_font() -> None:
    """Make the simplified-Chinese face of Noto Sans CJK known to matplotlib.

    Debian ships it inside a .ttc collection whose first face is the Japanese one, and matplotlib
    reads only the first face of a collection; so the SC face is copied out once into matplotlib's
    cache directory. Without fontTools or the font, charts fall back to the JP face (same glyphs
    for almost every character).
    """
    global _font_ready
    with _font_lock:
        if _font_ready:
            return
        _font_ready = True
        if any(f.name == FONT for f in font_manager.fontManager.ttflist):
            return
        target = Path(matplotlib.get_cachedir()) / "gandang-NotoSansCJKsc-Regular.otf"
        try:
            if not target.exists():
                _extract(target)
            if target.exists():
                font_manager.fontManager.addfont(str(target))
        except Exception:  # a chart in a fallback face is better than no bulletin
            log.warning("could not prepare %s for charts", FONT, exc_info=True)


def _extract(target: Path) -> None:
    from fontTools.ttLib import TTCollection

    for entry in font_manager.fontManager.ttflist:
        if not entry.fname.lower().endswith(".ttc") or "CJK" not in entry.name or "Mono" in entry.name:
            continue
        if "Sans" not in entry.name:
            continue
        collection = TTCollection(entry.fname, lazy=True)
        for face in collection.fonts:
            if face["name"].getDebugName(1) == FONT:
                tmp = target.with_suffix(".tmp")
                face.save(str(tmp))
                tmp.replace(target)
                return


def _render(fig: Figure, caption: str, width_mm: float) -> Image:
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None}, bbox_inches="tight")
    fig.savefig(png, format="png", dpi=200, bbox_inches="tight", metadata={"Software": None})
    return Image(data=svg.getvalue(), png=png.getvalue(), caption=caption, width_mm=width_mm)


def _figure(width_mm: float, height_mm: float) -> Figure:
    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4), layout="constrained")


def status_chart(d: Dashboard, caption: str) -> Image:
    """Items by status at quarter end: one horizontal bar per status, count and share at its end."""
    order = PRINT_ORDER[::-1]  # barh draws bottom-up: done on top
    return _status_image(tuple(d.status.counts.get(s, 0) for s in order), caption)


# Charts are drawn once per figures and caption in each process (drawing one costs matplotlib about
# a second): a bulletin opened again, or its Word and PDF, reuse them. Images are immutable.
@functools.lru_cache(maxsize=48)
def _status_image(values: tuple[int, ...], caption: str) -> Image:
    _ensure_font()
    with matplotlib.rc_context(_RC):
        fig = _figure(150, 62)
        ax = fig.subplots()
        order = PRINT_ORDER[::-1]
        labels = [str(STATUS_LABELS[s]) for s in order]
        colors = [COLORS[s] for s in order]
        bars = ax.barh(labels, values, color=colors, height=0.6)
        total = sum(values) or 1
        ax.bar_label(bars, labels=[f"{v}项（{numbers.fmt_percent(v, total)}）" for v in values], padding=3)
        ax.set_xlim(0, max([*values, 1]) * 1.3)
        ax.set_xlabel("事项数（项）")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _render(fig, caption, 150)


def _key(groups: list[Group]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return tuple((str(g.label), tuple(g.counts.get(s, 0) for s in STATUSES)) for g in groups)


def _groups(key: tuple[tuple[str, tuple[int, ...]], ...]) -> list[Group]:
    return [
        Group(key=i, label=label, counts=dict(zip(STATUSES, counts, strict=True)))
        for i, (label, counts) in enumerate(key)
    ]


def _stacked(ax, groups: list[Group], *, horizontal: bool) -> None:
    left = [0] * len(groups)
    names = [g.label for g in groups]
    for s in STATUSES:
        values = [g.counts.get(s, 0) for g in groups]
        if horizontal:
            ax.barh(names, values, left=left, color=COLORS[s], label=str(STATUS_LABELS[s]), height=0.6)
        else:
            ax.bar(names, values, bottom=left, color=COLORS[s], label=str(STATUS_LABELS[s]), width=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]


def area_chart(groups: list[Group], caption: str) -> Image:
    """Items by area, stacked by status (worst first), the area with most items on top."""
    return _area_image(_key(groups), caption)


@functools.lru_cache(maxsize=48)
def _area_image(key: tuple[tuple[str, tuple[int, ...]], ...], caption: str) -> Image:
    groups = _groups(key)
    _ensure_font()
    with matplotlib.rc_context(_RC):
        rows = list(reversed(groups))
        fig = _figure(150, 30 + 9 * max(len(rows), 1))
        ax = fig.subplots()
        _stacked(ax, rows, horizontal=True)
        ax.set_xlabel("事项数（项）")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=5, frameon=False, fontsize=9)
        return _render(fig, caption, 150)


def trend_chart(groups: list[Group], caption: str) -> Image:
    """Items by status in each closed month of the year so far, stacked."""
    return _trend_image(_key(groups), caption)


@functools.lru_cache(maxsize=48)
def _trend_image(key: tuple[tuple[str, tuple[int, ...]], ...], caption: str) -> Image:
    groups = _groups(key)
    _ensure_font()
    with matplotlib.rc_context(_RC):
        fig = _figure(150, 70)
        ax = fig.subplots()
        short = [g.label.split("年", 1)[-1] if "年" in g.label else g.label for g in groups]
        relabelled = [Group(key=g.key, label=s, counts=g.counts) for g, s in zip(groups, short, strict=True)]
        _stacked(ax, relabelled, horizontal=False)
        ax.set_ylabel("事项数（项）")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=5, frameon=False, fontsize=9)
        return _render(fig, caption, 150)
