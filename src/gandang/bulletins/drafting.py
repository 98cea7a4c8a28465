"""The bulletin's wording: each section's generated text, tables and charts, and the whole document.

A section is text (one paragraph a line, "## " lines are level-2 headings) the office may rewrite,
followed by tables and charts that always come from the figures. A section the office has not
edited is regenerated from the records every time; an edited one keeps the office's text.
Everything here is the document's own language (Chinese), whatever the reader's screen language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation

from gandang.bulletins import plots
from gandang.bulletins.figures import QuarterFigures
from gandang.bulletins.highlights import _highlights, _names
from gandang.bulletins.selectors import STATUS_LABELS, Group
from gandang.core import numbers
from gandang.documents import conf
from gandang.documents import structure as s
from gandang.supervision.models import Listing

RECIPIENT = "各县（市、区）、功能区，市直各部门（单位），各市属企业："
COPY_TO = "市委、市人大常委会、市政府、市政协领导同志，市委全面深化改革委员会各专项小组。"
DRAFT_MARK = "（征求意见稿）"

# (key, heading) in the order of the document; the intro has no heading.
SECTIONS: list[tuple[str, str]] = [
    ("intro", ""),
    ("overall", "总体进展情况"),
    ("areas", "分领域推进情况"),
    ("leaders", "市级领导领衔事项推进情况"),
    ("completed", "本季度完成事项"),
    ("lagging", "滞后事项"),
    ("timeliness", "月度调度报送情况"),
    ("supervision", "挂牌督办情况"),
    ("highlights", "工作亮点"),
    ("next", "下步工作安排"),
]
SECTION_KEYS = [k for k, _ in SECTIONS]
HEADINGS = dict(SECTIONS)

NEXT_STEPS = "\n".join(
    [
        "## 压实改革责任",
        "各牵头单位要对照年度改革工作要点和时间节点，逐项明确责任人和完成时限，倒排工期、挂图作战，"
        "确保改革任务按期保质完成。配合单位要主动对接、密切协作，形成工作合力。",
        "## 加快滞后事项推进",
        "对本通报点名的滞后事项，有关单位要认真分析原因，制定针对性措施，"
        "于下月调度时报告整改进展；挂牌督办事项要按要求按期完成整改。",
        "## 提高调度质量",
        "各单位要严格按照月调度要求，按时报送进展情况，如实反映存在问题和需协调事项，"
        "避免照抄上月、内容空泛等形式主义问题。",
        "## 注重总结推广",
        "及时总结提炼改革经验做法，积极向上级推荐报送，扩大改革影响力。",
    ]
)


@dataclass
class Part:
    """One section as shown and printed: its text (the office's, or generated) and its data blocks."""

    key: str
    heading: str
    text: str
    generated: str
    edited: bool
    edit: dict[str, Any] = field(default_factory=dict)  # who/when of the office's edit
    blocks: list[s.Block] = field(default_factory=list)  # tables and charts, numbered captions
    # In the browser only: the ledger list of every item the section counts (查看全部N项), and how many.
    ledger_url: str = ""
    ledger_count: int = 0


def pct(n: int, total: int) -> str:
    """A share as the bulletin prints it: one decimal rounded half-up, e.g. 25.0%; 0.0% of nothing."""
    return numbers.fmt_percent(n, total)


def _month(period) -> str:
    return f"{period.year}年{period.month}月"


def _status_phrase(counts: dict[str, int], total: int) -> str:
    parts = [f"{STATUS_LABELS[st]}{counts.get(st, 0)}项，占{pct(counts.get(st, 0), total)}" for st in _ORDER]
    return "；".join(parts)


# Done first, as a bulletin reads: what was achieved, then what lags.
_ORDER = plots.PRINT_ORDER


def _group_row(g: Group) -> list[str]:
    avg = g.avg_percent
    return [
        g.label,
        str(g.total),
        *(str(g.counts.get(st, 0)) for st in _ORDER),
        f"{numbers.fmt(avg)}%" if avg is not None else "—",
    ]


_GROUP_HEADER = ["项数", *(str(STATUS_LABELS[st]) for st in _ORDER), "平均进度"]


# -- generated text of each section -----------------------------------------------------------------


def _months(periods) -> str:
    """7—9月, or 7、8月 when a month is not closed."""
    months = [p.month for p in periods]
    if len(months) == 3:
        return f"{months[0]}—{months[-1]}月"
    return "、".join(str(m) for m in months) + "月"


def _intro(f: QuarterFigures) -> str:
    basis = f"根据{_months(f.closed_periods)}调度情况，" if f.closed_periods else ""
    if f.plan_timeliness:
        plans = "和" + "、".join(dict.fromkeys(_plan_name(t.period) for t in f.plan_timeliness))
        basis = (
            f"根据{_months(f.closed_periods)}调度{plans}本期报送情况，"
            if f.closed_periods
            else f"根据{plans[1:]}本期报送情况，"
        )
    return (
        f"{f.quarter.label}，全市各级各部门认真落实市委全面深化改革委员会工作部署，"
        f"扎实推进年度改革任务。{basis}现将{f.quarter.label}全面深化改革工作进展情况通报如下。"
    )


def _overall(f: QuarterFigures) -> str:
    d = f.figures
    if d is None or f.end_period is None:
        return "本季度尚无已结束的调度期，暂无进展数据。"
    text = (
        f"截至{_month(f.end_period)}调度，全市纳入台账的改革事项共{d.total}项。其中，"
        f"{_status_phrase(d.status.counts, d.total)}。"
    )
    if d.status.avg_percent is not None:
        text += f"已报送进度的事项平均完成进度为{numbers.fmt(d.status.avg_percent)}%。"
    if d.no_effect:
        text += f"经改革办认定成效不明显的事项{d.no_effect}项。"
    return text


def _areas(f: QuarterFigures) -> str:
    d = f.figures
    if d is None:
        return "暂无数据。"
    parts = []
    for g in d.by_area:
        lag = g.counts.get("yellow", 0) + g.counts.get("red", 0)
        parts.append(f"{g.label}{g.total}项，已完成{g.counts.get('done', 0)}项，滞后{lag}项")
    return "从各改革领域看：" + "；".join(parts) + "。"


def _leaders(f: QuarterFigures) -> str:
    d = f.figures
    if d is None:
        return "暂无数据。"
    leaders = [g for g in d.by_leader if g.key is not None]
    if not leaders:
        return "本季度无市级领导领衔推进的改革事项。"
    led = f.leader_led
    total = sum(led.values())
    lag = led.get("yellow", 0) + led.get("red", 0)
    return (
        f"{len(leaders)}位市级领导领衔推进改革事项{total}项，其中已完成{led.get('done', 0)}项，"
        f"正常推进{led.get('green', 0)}项，进度滞后或严重滞后{lag}项，未启动{led.get('not_started', 0)}项。"
    )


def _completed(f: QuarterFigures) -> str:
    if f.end_period is None:
        return "暂无数据。"
    if not f.completed_total:
        return "本季度没有新完成的改革事项。"
    if not f.completed:  # the office names none (GANDANG_BULLETIN_COMPLETED_NAMED = 0)
        return f"本季度新完成改革事项{f.completed_total}项，详见台账。"
    n = f.completed_total
    share = pct(n, f.figures.total if f.figures else 0)
    shown = f"按台账顺序列出前{len(f.completed)}项，见下表" if f.completed_more else "具体见下表"
    return f"本季度新完成改革事项{n}项，占改革事项总数的{share}，{shown}。"


def _lagging(f: QuarterFigures) -> str:
    if f.end_period is None:
        return "暂无数据。"
    c = f.lagging_counts
    if not c.total:
        return f"截至{_month(f.end_period)}调度，没有进度滞后的改革事项。"
    lines = [
        f"截至{_month(f.end_period)}调度，进度滞后事项{c.yellow}项、严重滞后事项{c.red}项，"
        f"涉及{c.units}个牵头单位。"
    ]
    # The named ones are the worst, red first: the red among them, and how many red in all.
    red = [x for x in f.lagging if x.status == "red"]
    if red:
        lines.append(f"其中，严重滞后事项为：{_names(red)}{f'等{c.red}项' if c.red > len(red) else ''}。")
    if not f.lagging:  # the office names none (GANDANG_BULLETIN_LAGGING_NAMED = 0)
        shown = "滞后事项详见台账"
    elif f.lagging_more:
        shown = f"滞后最严重的{len(f.lagging)}项及原因见下表"
    else:
        shown = "滞后事项及原因见下表"
    lines.append(f"{shown}。请有关单位认真分析原因，采取有力措施加快推进，确保按期完成。")
    return "\n".join(lines)


def _timeliness(f: QuarterFigures) -> str:
    plans = f.plan_timeliness
    if not f.closed_periods and not plans:
        return "暂无数据。" + _plans_pending(f)
    t = f.timeliness_total
    if not plans:
        scope = f"本季度{_months(f.closed_periods)}"
    elif f.closed_periods:
        scope = f"本季度{_months(f.closed_periods)}月度调度和按各自周期报送的方案"
    else:
        scope = "本季度按各自周期报送的方案"
    lines = [
        f"{scope}共应报送进展报告{t.due}份，按时报送{t.on_time}份（占{pct(t.on_time, t.due)}），"
        f"逾期报送{t.late}份，未报送{t.missing}份；改革办审核退回修改{t.returned}份次。"
    ]
    if plans:
        lines.append("其中，" + "；".join(_plan_line(p) for p in plans) + "。" + _plans_pending(f))
    elif f.pending_plan_periods or f.plan_spans_missing:
        lines.append(_plans_pending(f))
    poor = [r for r in f.timeliness if r.late or r.missing]
    if poor:
        named = "、".join(
            f"{r.unit}（{'、'.join(x for x in (f'逾期{r.late}份' if r.late else '', f'未报送{r.missing}份' if r.missing else '') if x)}）"
            for r in poor[:8]
        )
        more = f"等{len(poor)}个单位" if len(poor) > 8 else ""
        lines.append(f"存在逾期或未报送情况的有：{named}{more}。")
    else:
        lines.append("各单位均按时报送。")
    return "\n".join(lines)


def _quoted(name: str) -> str:
    return name if name.startswith("《") else f"《{name}》"


def _plan_name(p) -> str:
    """《the plan's name》 of a plan's period."""
    return _quoted(p.plan.name if p.plan is not None else "")


# What a plan's period is called in the quarter's bulletin: 本季度 for a quarter, else its span.
_SPAN_WORDS = {("halfyearly", 6): "上半年", ("halfyearly", 12): "下半年", ("yearly", 12): "全年"}


def _plan_line(t) -> str:
    """ "《…工作要点》按季度报送，本季度应报5项，按时4项、逾期1项（9月25日截止）" """
    p = t.period
    span = _SPAN_WORDS.get((p.cycle, p.month), "本季度")
    counts = [f"按时{t.on_time}项"]
    if t.late:
        counts.append(f"逾期{t.late}项")
    if t.missing:
        counts.append(f"未报送{t.missing}项")
    return (
        f"{_plan_name(p)}{p.get_cycle_display()}报送，{span}应报{t.due}项，{'、'.join(counts)}"
        f"（{p.deadline.month}月{p.deadline.day}日截止）"
    )


def _plans_pending(f: QuarterFigures) -> str:
    """The plans' periods of the quarter not yet due (not counted) and the spans never opened."""
    parts = [
        f"{_plan_name(p)}{p.span_label}进展报告{p.deadline.month}月{p.deadline.day}日截止，尚未计入"
        for p in f.pending_plan_periods
    ]
    parts += [f"{x}调度期尚未开启" for x in f.plan_spans_missing]
    return "；".join(parts) + "。" if parts else ""


def _supervision(f: QuarterFigures) -> str:
    sup = f.supervision
    if sup is None or not (sup.listed or sup.delisted or sup.open_at_end):
        return "本季度没有挂牌督办事项。"
    lines = [
        f"本季度新增挂牌督办事项{len(sup.listed)}项，整改到位摘牌{len(sup.delisted)}项，"
        f"季末仍在督办{len(sup.open_at_end)}项；发出提醒函{sup.reminder_letters}件、督办函{sup.supervision_letters}件。"
    ]
    if sup.named:
        named = "、".join(f"{s.quoted(x.item.title)}（{x.unit.name}）" for x in sup.named)
        lines.append(f"经督办整改仍未达到要求，予以通报：{named}。")
    return "\n".join(lines)


def _next(_f: QuarterFigures) -> str:
    return NEXT_STEPS


TEXT: dict[str, Callable[[QuarterFigures], str]] = {
    "intro": _intro,
    "overall": _overall,
    "areas": _areas,
    "leaders": _leaders,
    "completed": _completed,
    "lagging": _lagging,
    "timeliness": _timeliness,
    "supervision": _supervision,
    "highlights": _highlights,
    "next": _next,
}


def generated_text(key: str, f: QuarterFigures) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return TEXT[key](f)


# -- tables and charts ------------------------------------------------------------------------------


class _Captions:
    """Numbers tables and figures in document order: 表1, 表2 …, 图1, 图2 …"""

    def __init__(self) -> None:
        self.tables = 0
        self.images = 0

    def table(self, text: str) -> str:
        self.tables += 1
        return f"表{self.tables} {text}"

    def image(self, text: str) -> str:
        self.images += 1
        return f"图{self.images} {text}"


def _blocks(key: str, f: QuarterFigures, cap: _Captions, *, charts: bool) -> list[s.Block]:
    d = f.figures
    out: list[s.Block] = []
    if key == "overall" and d is not None and f.end_period is not None:
        # The text states every count and share; the chart shows them (a table would repeat both).
        if charts:
            out.append(plots.status_chart(d, cap.image("改革事项状态分布")))
            if d.trend:
                out.append(plots.trend_chart(d.trend, cap.image(f"{f.quarter.year}年各月改革事项状态变化")))
    elif key == "areas" and d is not None and d.by_area:
        out.append(
            s.Table(
                header=["改革领域", *_GROUP_HEADER],
                rows=[_group_row(g) for g in d.by_area],
                caption=cap.table("分领域推进情况"),
            )
        )
        if charts:
            out.append(plots.area_chart(d.by_area, cap.image("分领域改革事项状态")))
    elif key == "leaders" and d is not None:
        leaders = [g for g in d.by_leader if g.key is not None]
        if leaders:
            out.append(
                s.Table(
                    header=["领衔市级领导", *_GROUP_HEADER],
                    rows=[_group_row(g) for g in leaders],
                    caption=cap.table("市级领导领衔事项推进情况"),
                )
            )
    elif key == "completed" and f.completed:
        # Codes are unique within a plan only: when the items come from several plans, the plan says
        # which item a code is.
        if len({x.plan_id for x in f.completed}) > 1:
            header = ["序号", "所属方案", "编号", "改革事项", "牵头单位"]
            rows = [[str(i), x.plan, x.code, x.title, x.unit] for i, x in enumerate(f.completed, 1)]
        else:
            header = ["序号", "编号", "改革事项", "牵头单位"]
            rows = [[str(i), x.code, x.title, x.unit] for i, x in enumerate(f.completed, 1)]
        caption = f"本季度完成事项（前{len(f.completed)}项）" if f.completed_more else "本季度完成事项"
        out.append(s.Table(header=header, rows=rows, caption=cap.table(caption)))
        if f.completed_more:
            out.append(s.Paragraph(f"另有{f.completed_more}项本季度完成事项，详见台账。"))
    elif key == "lagging" and f.lagging_counts.total:
        if f.lagging:
            out.append(
                s.Table(
                    header=["序号", "改革事项", "牵头单位", "状态", "原因"],
                    rows=[
                        [str(i), x.title, x.unit, str(STATUS_LABELS[x.status]), x.reason]
                        for i, x in enumerate(f.lagging, 1)
                    ],
                    caption=cap.table(f"滞后事项（前{len(f.lagging)}项）" if f.lagging_more else "滞后事项"),
                )
            )
        if f.lagging and f.lagging_more:
            # Named: the worst; the rest counted, as a 通报 does (a province lags in thousands).
            out.append(s.Paragraph(f"另有{f.lagging_more}项滞后事项，详见台账。"))
    elif key == "timeliness" and (f.closed_periods or f.plan_timeliness):
        poor = [r for r in f.timeliness if r.late or r.missing or r.returned]
        if poor:
            out.append(
                s.Table(
                    header=["单位", "应报", "按时", "逾期", "未报送", "退回"],
                    rows=[
                        [r.unit, str(r.due), str(r.on_time), str(r.late), str(r.missing), str(r.returned)]
                        for r in poor
                    ],
                    caption=cap.table("报送不及时或被退回的单位"),
                )
            )
    elif key == "supervision" and f.supervision is not None:
        shown = {
            x.pk: x for x in [*f.supervision.listed, *f.supervision.open_at_end, *f.supervision.delisted]
        }
        if shown:
            rows = []
            for x in sorted(shown.values(), key=lambda x: (x.listed_on, x.pk)):
                state = (
                    f"{x.closed_on.month}月{x.closed_on.day}日摘牌"
                    if x.state == Listing.State.DELISTED and x.closed_on and x.closed_on <= f.quarter.end
                    else "督办中"
                )
                rows.append(
                    [
                        x.item.title,
                        x.unit.name,
                        str(x.get_level_display()),
                        f"{x.listed_on.month}月{x.listed_on.day}日",
                        state,
                    ]
                )
            out.append(
                s.Table(
                    header=["改革事项", "责任单位", "督办级别", "挂牌日期", "进展"],
                    rows=rows,
                    caption=cap.table("挂牌督办事项"),
                )
            )
    return out


# -- the whole document -----------------------------------------------------------------------------


def parts(f: QuarterFigures, edited: dict[str, Any], *, charts: bool = True) -> list[Part]:
    """Every section of the bulletin of `f.quarter`, with the office's edits in `edited` (key → {text, by, at})."""
    cap = _Captions()
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        for key, heading in SECTIONS:
            generated = TEXT[key](f)
            mine = edited.get(key)
            out.append(
                Part(
                    key=key,
                    heading=heading,
                    text=mine["text"] if mine else generated,
                    generated=generated,
                    edited=bool(mine),
                    edit=mine or {},
                    blocks=_blocks(key, f, cap, charts=charts),
                    **_ledger_link(key, f),
                )
            )
    return out


def _ledger_link(key: str, f: QuarterFigures) -> dict[str, Any]:
    if key == "lagging" and f.lagging_counts.total:
        return {"ledger_url": f.lagging_counts.url, "ledger_count": f.lagging_counts.total}
    if key == "completed" and f.completed_total:
        return {"ledger_url": f.completed_url, "ledger_count": f.completed_total}
    return {}


def text_blocks(text: str) -> list[s.Block]:
    """The office's text as blocks: a paragraph a line, "## " lines level-2 headings."""
    blocks: list[s.Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            blocks.append(s.Heading(2, line.lstrip("#").strip()))
        else:
            blocks.append(s.Paragraph(line))
    return blocks


def title(f_quarter) -> str:
    return f"关于{f_quarter.label}全面深化改革工作进展情况的通报"


def document(
    quarter,
    sections: list[Part],
    *,
    draft: bool,
    on: date,
    doc_number: str = "",
    corrects: tuple[str, str] | None = None,
) -> s.Document:
    """The bulletin as an official document; a draft is marked 征求意见稿 and carries no number.

    `corrects` is (doc_number, title) of the issued bulletin this one corrects.
    """
    blocks: list[s.Block] = []
    for part in sections:
        if part.heading:
            blocks.append(s.Heading(1, part.heading))
        blocks += text_blocks(part.text)
        if part.key == "intro" and corrects:
            blocks.append(
                s.Paragraph(
                    f"本通报对《{corrects[1]}》（{corrects[0]}）的有关内容予以更正，原通报同时停止使用。"
                )
            )
        blocks += part.blocks
    issuer = conf.issuer()
    return s.Document(
        issuer=issuer,
        doc_number="" if draft else doc_number,
        title=title(quarter) + (DRAFT_MARK if draft else ""),
        recipient=RECIPIENT,
        blocks=blocks,
        signature=issuer,
        date=on,
        copy_to=COPY_TO,
        extra={"quarter": quarter.code, "state": "draft" if draft else "issued"},
    )
