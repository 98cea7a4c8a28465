"""The press-conference fact sheet (发布会材料): its figures, each counted by the query of the list it links
to, and its wording, paragraphs in the seed's own shape that the office may rewrite.

Every figure is counted with the selector its list page uses (achievements' `experiences_filtered`,
`pilots_filtered`, `honors_filtered`, the ledger's `items_filtered`, the instructions' date range), so a
click on a figure shows exactly the rows it counts. The text writes a figure exact (33项) or in the
seed's convention (30余项), as the office chooses per figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from gandang.achievements import selectors as achievements
from gandang.achievements.models import Honor, Pilot
from gandang.bulletins.drafting import text_blocks
from gandang.bulletins.models import FactSheet
from gandang.documents import conf
from gandang.documents import structure as s
from gandang.ledger.selectors import items_filtered
from gandang.matters.access import instructions_visible_to
from gandang.matters.models import Instruction
from gandang.org.models import User

EXACT, ROUNDED = "exact", "rounded"
DRAFT_MARK = "（讨论稿）"
_NAMED = 8  # records named one by one in a paragraph; more are counted ("等N项")


def approx(n: int, unit: str) -> str | None:
    """The seed's rounding: 33 → 30余项, 85 → 80余项, 12 → 10余项, 123 → 120余项. None where it does not
    apply: below 10 (written exact) and a round ten (20余 would claim more than 20)."""
    if n < 10 or n % 10 == 0:
        return None
    return f"{n // 10 * 10}余{unit}"


@dataclass
class Figure:
    """One number of the fact sheet: what it counts, the list that shows those rows, how the text writes it."""

    key: str
    label: str
    n: int
    unit: str
    url: str
    choice: str = EXACT
    names: list[str] = field(default_factory=list)  # the records it counts, for the paragraph to name

    @property
    def exact(self) -> str:
        return f"{self.n}{self.unit}"

    @property
    def rounded(self) -> str | None:
        return approx(self.n, self.unit)

    @property
    def text(self) -> str:
        """The figure as the text writes it: the office's choice, exact where rounding does not apply."""
        return self.rounded if self.choice == ROUNDED and self.rounded else self.exact


# (key, label, unit, rounded by default): the order of the figures table. The label is the page's (shown
# translated); the paragraphs and the audit keep the Chinese.
FIGURES: list[tuple[str, str, str, bool]] = [
    ("province_total", gettext_noop("累计被省委改革办刊发推广的经验做法"), "项", True),
    ("national_total", gettext_noop("累计被国家部委刊发或在国家级会议上交流的经验做法"), "项", True),
    ("central", gettext_noop("期间上报中央改革办的经验做法"), "项", True),
    ("province", gettext_noop("期间被省委改革办刊发推广的经验做法"), "项", True),
    ("pilots_undertaken", gettext_noop("期间新承接的国家级试点"), "个", False),
    ("pilots_passed", gettext_noop("期间通过评估验收的国家级改革试点"), "个", False),
    ("province_incentive", gettext_noop("期间入选省级督查激励的事项"), "个", False),
    ("state_council", gettext_noop("期间获国务院督查激励"), "项", False),
    ("leader_led", gettext_noop("由市级领导牵头的改革事项"), "项", False),
    ("praise", gettext_noop("期间省级领导肯定性批示"), "件", False),
]
FIGURE_KEYS = [k for k, *_ in FIGURES]


def _url(name: str, **params: Any) -> str:
    query = {
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items() if v not in (None, "")
    }
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _experience_figure(user: User, level: str, start: date, end: date) -> tuple[int, str, list[str]]:
    """Experiences promoted at `level` between `start` and `end` (counted once however often), the first named."""
    qs = achievements.experiences_filtered(user, {"level": level, "start": start, "end": end})
    titles = list(qs.order_by("created_at", "id").values_list("title", flat=True)[:_NAMED])
    url = _url("achievements:experience_list", level=level, start=start, end=end)
    return qs.count(), url, titles


def figures(user: User, sheet: FactSheet) -> dict[str, Figure]:
    """The fact sheet's figures for its range, as `user` may see them, each with its list's link."""
    start, end, since = sheet.start, sheet.end, sheet.since
    meta = {k: (label, unit, rounds) for k, label, unit, rounds in FIGURES}
    out: dict[str, Figure] = {}

    def put(key: str, n: int, url: str, names: list[str] | None = None) -> None:
        label, unit, rounds = meta[key]
        choice = (sheet.wording or {}).get(key) or (ROUNDED if rounds else EXACT)
        out[key] = Figure(key, label, n, unit, url, choice, names or [])

    for key, level, frm in [
        ("province_total", "province", since),
        ("national_total", "ministry", since),
        ("central", "central", start),
        ("province", "province", start),
    ]:
        put(key, *_experience_figure(user, level, frm, end))

    national = Pilot.PilotLevel.NATIONAL
    undertaken = achievements.pilots_filtered(
        user, {"level": national, "undertaken": "any", "start": start, "end": end}
    )
    put(
        "pilots_undertaken",
        undertaken.count(),
        _url("achievements:pilot_list", level=national, undertaken="any", start=start, end=end),
        list(undertaken.order_by("undertaken_on", "id").values_list("name", flat=True)[:_NAMED]),
    )
    passed = achievements.pilots_filtered(
        user, {"level": national, "passed": "any", "start": start, "end": end}
    )
    put(
        "pilots_passed",
        passed.count(),
        _url("achievements:pilot_list", level=national, passed="any", start=start, end=end),
        list(passed.order_by("evaluated_on", "id").values_list("name", flat=True)[:_NAMED]),
    )
    for key, level in [
        ("province_incentive", Honor.HonorLevel.PROVINCE_INCENTIVE),
        ("state_council", Honor.HonorLevel.STATE_COUNCIL),
    ]:
        honors = achievements.honors_filtered(user, {"level": level, "start": start, "end": end})
        put(
            key,
            honors.count(),
            _url("achievements:honor_list", level=level, start=start, end=end),
            list(honors.order_by("date", "id").values_list("name", flat=True)[:_NAMED]),
        )
    led = items_filtered(user, {"flag": "leader_led"})
    put("leader_led", led.count(), _url("ledger:item_list", flag="leader_led"))
    praise = praises(user, start, end)
    put(
        "praise",
        praise.count(),
        _url(
            "matters:instruction_list", kind=Instruction.Kind.PRAISE, level=PRAISE_LEVEL, start=start, end=end
        ),
        [_praise_phrase(i) for i in praise.order_by("on", "id")[:_NAMED]],
    )
    return out


PRAISE_LEVEL = Instruction.Level.PROVINCE


def praises(user: User, start: date, end: date) -> QuerySet[Instruction]:
    """The provincial leaders' praising instructions in the range (省委林武书记…作出了肯定性批示)."""
    return instructions_visible_to(user).filter(
        kind=Instruction.Kind.PRAISE, level=PRAISE_LEVEL, on__gte=start, on__lte=end
    )


def _praise_phrase(ins: Instruction) -> str:
    """省委书记林武就…作出肯定性批示: the leader and what the instruction says, its bracketed note left out."""
    text = re.split(r"[（(]", ins.text, maxsplit=1)[0].strip().rstrip("。")
    return f"{ins.leader_title}{ins.leader_name}{text}"


# -- the wording ------------------------------------------------------------------------------------------

# (key, heading) in the order of the document; the intro has no heading.
SECTIONS: list[tuple[str, str]] = [
    ("intro", ""),
    ("experiences", "坚持示范带动，打造了一批改革亮点经验"),
    ("pilots", "坚持主动作为，争创了一批改革试点荣誉"),
    ("instructions", "坚持守正创新，改革成效获得上级肯定"),
    ("mechanisms", "坚持制度保障，建立了一批改革推进机制"),
]
SECTION_KEYS = [k for k, _ in SECTIONS]
HEADINGS = dict(SECTIONS)

# A figure in a generated paragraph: ⟦key⟧, replaced by its wording (or, in the browser, its link).
_TOKEN = re.compile(r"⟦([a-z_]+)⟧")


def _d(d: date) -> str:
    return s.chinese_date(d)


def _names(names: list[str], n: int) -> str:
    return "、".join(s.quoted(x) for x in names) + ("等" if n > len(names) else "")


def _templates(sheet: FactSheet, f: dict[str, Figure]) -> dict[str, str]:
    """Each section's generated text with its figures as tokens."""
    period = f"{_d(sheet.start)}至{_d(sheet.end)}"
    lines: dict[str, str] = {}
    lines["intro"] = (
        f"{period}，全市认真贯彻落实中央改革决策部署和省委工作要求，推动各项改革任务纵深推进，"
        "为全市高质量发展注入了动力活力。现将有关情况介绍如下。"
    )
    exp = [
        f"自{_d(sheet.since)}以来，全市上下聚焦行业亮点、创新做法，不断加大挖掘力度，强化总结提炼，积极宣传推介。"
        "其中，⟦province_total⟧经验做法被省委改革办刊发推广，⟦national_total⟧经验做法被国家部委刊发或在国家级现场会上作典型发言。"
    ]
    if f["central"].n:
        exp.append(
            f"在中央层面，{_names(f['central'].names, f['central'].n)}⟦central⟧经验做法，上报中央改革办。"
        )
    if f["province"].n:
        exp.append(
            f"在省级层面，{_names(f['province'].names[:4], f['province'].n)}⟦province⟧经验做法被省委改革办刊发推广。"
        )
    lines["experiences"] = "\n".join(exp)
    pil = [f"{period}，新承接国家级试点⟦pilots_undertaken⟧"]
    if f["pilots_passed"].n:
        pil[0] += (
            f"，{_names(f['pilots_passed'].names[:3], f['pilots_passed'].n)}⟦pilots_passed⟧国家级改革试点通过评估验收"
        )
    pil[0] += "。"
    if f["province_incentive"].n:
        pil.append("因工作成效明显入选省级督查激励公示名单事项⟦province_incentive⟧。")
    if f["state_council"].n:
        pil.append(
            f"获国务院督查激励⟦state_council⟧：{_names(f['state_council'].names, f['state_council'].n)}。"
        )
    lines["pilots"] = "".join(pil)
    if f["praise"].n:
        lines["instructions"] = (
            f"{period}，全市改革工作获得省级领导肯定性批示⟦praise⟧。其中，"
            + "；".join(f["praise"].names)
            + ("等" if f["praise"].n > len(f["praise"].names) else "")
            + "。"
        )
    else:
        lines["instructions"] = (
            f"{period}，全市各级各部门主动作为、勇于担当，改革工作呈现出全面发力、多点突破良好态势。"
        )
    lines["mechanisms"] = "\n".join(
        [
            "坚持边探索、边推进、边总结，建立了一批实用管用的改革机制，为高质量推进重点改革任务提供了坚实制度保障。",
            "实行市级领导领衔推进改革制度，确定⟦leader_led⟧改革事项由市级领导牵头抓落实；"
            "制定“月调度、季通报、年考核”机制，对进展缓慢、成效不明显的挂牌督办，"
            "并以发放“提醒函”的方式督促整改落实；创新推出改革新闻发布会制度，全力营造改革浓厚氛围。",
        ]
    )
    return lines


def fill(template: str, f: dict[str, Figure]) -> str:
    """A generated text with each figure written as the office chose."""
    return _TOKEN.sub(lambda m: f[m.group(1)].text, template)


def segments(template: str, f: dict[str, Figure]) -> list[tuple[str, Figure | None]]:
    """A generated text cut at its figures, for the browser to link each figure to its list."""
    out: list[tuple[str, Figure | None]] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            out.append((template[pos : m.start()], None))
        fig = f[m.group(1)]
        out.append((fig.text, fig))
        pos = m.end()
    if pos < len(template):
        out.append((template[pos:], None))
    return out


@dataclass
class Part:
    """One section as shown and printed: the office's text, or the generated one (with its figures)."""

    key: str
    heading: str
    text: str
    generated: str
    template: str
    edited: bool
    edit: dict[str, Any] = field(default_factory=dict)
    # In the browser: the generated paragraphs, each cut at its figures so that each links to its list.
    lines_view: list[list[tuple[str, Figure | None]]] = field(default_factory=list)


@dataclass
class Sheet:
    figures: dict[str, Figure]
    parts: list[Part]


def build(user: User, sheet: FactSheet) -> Sheet:
    """The fact sheet as it stands: the office's edited sections, everything else from the records."""
    f = figures(user, sheet)
    templates = _templates(sheet, f)
    edits = sheet.sections or {}
    parts = []
    for key, heading in SECTIONS:
        generated = fill(templates[key], f)
        edit = edits.get(key) or {}
        parts.append(
            Part(
                key=key,
                heading=heading,
                text=edit.get("text") or generated,
                generated=generated,
                template=templates[key],
                edited=bool(edit),
                edit=edit,
                lines_view=[segments(line, f) for line in templates[key].splitlines() if line.strip()],
            )
        )
    return Sheet(figures=f, parts=parts)


def document(sheet: FactSheet, built: Sheet, *, on: date) -> s.Document:
    """The fact sheet as a document laid out to GB/T 9704 (without number or recipient: a speaking text)."""
    blocks: list[s.Block] = []
    for part in built.parts:
        if part.heading:
            blocks.append(s.Heading(1, part.heading))
        blocks += text_blocks(part.text)
    issuer = conf.issuer()
    return s.Document(
        issuer=issuer,
        title=sheet.title,
        recipient="",
        blocks=blocks,
        signature=issuer,
        date=on,
        extra={"kind": "factsheet"},
    )


def default_title(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start.year}年全面深化改革专题新闻发布会材料"
    return f"{start.year}—{end.year}年全面深化改革专题新闻发布会材料"
