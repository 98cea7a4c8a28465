"""Read an issued plan's text into its title, areas and numbered tasks. Pure functions, no database.

A plan document has a few regular shapes:

- numbered tasks ending with their units in parentheses: "1.全面实施行政许可事项清单管理。……2022年10月底前编制
  并公布……（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）";
- numbered tasks followed by lines of their own: "牵头单位：区发改局" / "责任单位：…" / "配合单位：…" /
  "责任领导：…" / "完成时限：…";
- headings 一、 and （一） above the tasks: the areas.

Every guess keeps where it came from (`Task.marks`: spans of `Task.source`), so the preview can show the
sentence each one was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gandang.ledger.dates import NO_FIXED_LABEL, DatePhraseError, date_spans, parse_due

_CN = "一二三四五六七八九十"
LEVEL1 = re.compile(rf"^\s*(?:[{_CN}]+\s*[、.．]|第[{_CN}]+部分)\s*")
LEVEL2 = re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[)）]\s*[、.．]?\s*")
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?!\d)")
SUB_NUMBERED = re.compile(r"^\s*[（(]\s*(\d{1,3})\s*[)）]\s*")
CIRCLED = re.compile(r"^\s*([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")
# "牵头单位：X" lines after a task, and the same labels inside its parentheses.
LABELS = {
    "牵头单位": "lead",
    "主办单位": "lead",
    "责任单位": "resp",  # the lead when alone; beside a 牵头单位, the units that share the work
    "牵头部门": "lead",
    "责任部门": "resp",
    "配合单位": "co",
    "参与单位": "co",
    "协办单位": "co",
    "配合部门": "co",
    "责任领导": "leaders",
    "领衔领导": "leaders",
    "牵头领导": "leaders",
    "领衔市级领导": "leaders",
    "牵头市级领导": "leaders",
    "完成时限": "due",
    "完成时间": "due",
    "时间节点": "due",
}
_LABEL_WORDS = "|".join(sorted(LABELS, key=len, reverse=True))
LABEL_LINE = re.compile(rf"^\s*(?P<label>{_LABEL_WORDS})\s*[:：]\s*(?P<value>.*?)\s*[。；;]?\s*$")
_LABEL_INSIDE = re.compile(rf"(?P<label>{_LABEL_WORDS})\s*[:：]")
# Sections of a plan that say why and how, not what: numbered paragraphs there are not tasks.
NOT_TASKS = re.compile(
    r"指导思想|总体要求|基本原则|工作原则|主要目标|总体目标|工作目标|保障措施|组织保障|工作要求|"
    r"组织实施|实施步骤|工作步骤|有关要求|工作机制|工作安排|进度安排"
)
# A top-level heading that only announces the tasks: the areas are the headings below it.
GENERIC_SECTION = re.compile(
    r"^(?:主要|重点|工作|改革)?(?:任务|工作任务|重点任务|工作内容|主要内容|改革任务)"
)
_PLAN_WORDS = re.compile(r"(要点|方案|计划|清单|安排|台账|分工)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:[-—至到~]\s*(?:19|20)\d{2}\s*)?年")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE = re.compile(r"[^，,；;。！？!?]+")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－–]\s*\d+\s*[-—－–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+)\s*$")
_RESPONSIBLE = re.compile(r"牵头|负责|配合|参与|协同|协助|落实|单位|部门")
_LEAD_END = re.compile(r"(?:牵头负责|牵头落实|牵头)$")
_OWN_END = re.compile(r"(?<!分工)(?<!职责)(?<!分别)(?<!共同)(?:具体负责|负责落实|负责)$")
_CO_END = re.compile(
    r"(?:按职责分工负责|按职责分工落实|按职能分工负责|按职责负责|按职责落实|分工负责|分别负责|共同负责|"
    r"配合落实|协同推进|配合|参与|协同|协助)$"
)
_NAME_NOISE = re.compile(r"^(?:由|请)|(?:等单位|等部门|等|单位)$")
_DATE_NOT_DUE = re.compile(r"以来|以前的|期间|同期|(?:^|[^到至])(?:自|从)\s*$")
MAX_TITLE = 300
MAX_DUE = 200
_LONG_TERM = re.compile(r"长期坚持|长期推进|常态化推进")
_MARK_KIND = {"lead": "unit", "co": "unit", "resp": "unit", "leaders": "leader", "due": "date"}
# A date in running text is a deadline when it says so: "10月底前", "年内", "到2025年", "6月30日".
_DUE_END = re.compile(r"(?:前|底|末|止|内|日|号|季度|半年)\s*$")
_DUE_AFTER = re.compile(r"^\s*(?:前|底|完成|全面|基本|实现|建成|出台|印发|形成)")
_DUE_BEFORE = re.compile(r"(?:到|至|于|在|力争|确保|争取)\s*$")


@dataclass
class Task:
    """One numbered task as read, with the spans of `source` each guess came from."""

    number: int  # where its first paragraph is in the document (1-based), for messages
    area: str
    title: str
    content: str
    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    due: str = ""
    resp: list[str] = field(default_factory=list)  # 责任单位 until it is known whether a 牵头单位 is named
    source: str = ""
    marks: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (start, end, "title"|"unit"|"date"|"leader")


@dataclass
class Plan:
    """What a document says: its title, year, tasks, and any ledger table it holds."""

    title: str = ""
    year: int | None = None
    tasks: list[Task] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # headings of sections read as not tasks
    has_leaders: bool = False
    cadence: str = ""  # the cover letter's sentence on when progress is reported, as written

    @property
    def name(self) -> str:
        return self.title


def clean(text: str) -> str:
    return (
        (text or "").replace("\u3000", " ").replace("\xa0", " ").replace("\t", " ").replace("\r", "").strip()
    )


# --- the title -------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """The words in the first 《…》 of the text, a 《…》 nested inside it included."""
    start = text.find("《")
    if start < 0:
        return ""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "《":
            depth += 1
        elif text[i] == "》":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return ""


def find_title(paragraphs: list[str]) -> tuple[str, int | None]:
    """The plan's name and year: 《…》 in a 关于印发 line, else the first short line naming a plan."""
    head = [p for p in paragraphs[:40] if p]
    title = ""
    for p in head:
        quoted = _quoted(p)
        if quoted and len(quoted) >= 4 and ("印发" in p or "通知" in p or p.startswith("《")):
            title = quoted
            break
    if not title:
        for p in head:
            text = p.strip()
            if LEVEL1.match(text) or NUMBERED.match(text) or LEVEL2.match(text):
                break
            if len(text) <= 80 and not _SENTENCE_END.search(text[:-1]) and _PLAN_WORDS.search(text):
                title = text.rstrip("。")
                break
    title = re.sub(r"\s+", "", title)
    title = re.sub(r"[（(](?:征求意见稿|送审稿|修订稿|试行|代拟稿)[)）]$", "", title)
    m = _YEAR.search(title)
    year = int(m.group(1)) if m else None
    if year is None:
        for p in head:
            m = re.search(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", p)
            if m:
                year = int(m.group(1))
                break
    return title[:200], year


_REPORTING = re.compile(r"报送|报告|报市|报区|报县")
_WHEN = re.compile(r"季度|半年|每月|月底|每季|年底|\d+\s*日前|\d+\s*日之前")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")


def find_cadence(paragraphs: list[str]) -> str:
    """The sentence of a cover letter that says when progress is reported ("将一季度、上半年…分别于4月25日、
    6月25日…前报送"), as written; "" if there is none."""
    for p in paragraphs:
        if LEVEL1.match(p) or NUMBERED.match(p):
            continue
        for m in _SENTENCE.finditer(p):
            sentence = m.group(0).strip()
            if _REPORTING.search(sentence) and _WHEN.search(sentence) and len(sentence) <= 300:
                return sentence
    return ""


# --- paragraphs into tasks -------------------------------------------------------------------


def _marker(text: str) -> str | None:
    for name, pattern in (
        ("l1", LEVEL1),
        ("l2", LEVEL2),
        ("num", NUMBERED),
        ("sub", SUB_NUMBERED),
        ("circ", CIRCLED),
    ):
        if pattern.match(text):
            return name
    return None


def _heading_text(text: str, pattern: re.Pattern[str]) -> str:
    """A heading's words: without its numbering and without the sentences a run-in heading goes on with."""
    words = pattern.sub("", text, count=1).strip()
    m = _SENTENCE_END.search(words)
    if m:
        words = words[: m.start()]
    return words.strip(" ：:")


def _is_heading(text: str, pattern: re.Pattern[str]) -> bool:
    """A heading line ("（一）深化国资国企改革"), not a task written at that level."""
    body = pattern.sub("", text, count=1).strip()
    first = _SENTENCE_END.search(body)
    rest = body[first.end() :].strip() if first else ""
    return len(body) <= 40 and not rest and not _units_paren(body)


@dataclass
class _Block:
    number: int
    kind: str | None  # the marker that starts it
    text: str
    lines: list[str] = field(default_factory=list)  # 牵头单位： lines and continuation paragraphs


def parse_plan(paragraphs: list[str]) -> Plan:
    """Read the plan: title, then each numbered task under the headings above it."""
    paras = [clean(p) for p in paragraphs]
    title, year = find_title(paras)
    plan = Plan(title=title, year=year)
    labelled = _followed_by_labels(paras)
    style = _task_style(paras, labelled)
    l1 = l2 = ""
    skipping = False
    current: _Block | None = None
    blocks: list[tuple[_Block, str]] = []
    for number, text in enumerate(paras, start=1):
        if not text or _PAGE_NUMBER.match(text) or text == title:
            continue
        kind = _marker(text)
        starts_task = _starts_task(text, kind, style, labelled[number - 1])
        if starts_task and current is not None and _RANK.get(kind or "", 0) > _RANK[current.kind or "num"]:
            starts_task = False  # "（1）…" under the task "3.…": a point of that task, whatever follows it
        if kind == "l1" and not starts_task:
            l1, l2, current = _heading_text(text, LEVEL1), "", None
            skipping = bool(NOT_TASKS.search(l1))
            if skipping:
                plan.skipped.append(l1)
            continue
        if kind == "l2" and not starts_task:
            l2, current = _heading_text(text, LEVEL2), None
            continue
        if starts_task:
            if skipping:
                current = None
                continue
            current = _Block(number=number, kind=kind, text=text)
            blocks.append((current, _area(l1, l2)))
            continue
        if current is not None:
            current.lines.append(text)
    plan.tasks = [_task(block, area, year) for block, area in blocks]
    plan.cadence = find_cadence(paras[: blocks[0][0].number - 1 if blocks else 40])
    plan.has_leaders = any(t.leaders for t in plan.tasks)
    return plan


_RANK = {"l1": 1, "l2": 2, "num": 3, "sub": 4, "circ": 5}
_PATTERNS = {"l1": LEVEL1, "l2": LEVEL2, "num": NUMBERED, "sub": SUB_NUMBERED, "circ": CIRCLED}


def _followed_by_labels(paras: list[str]) -> list[bool]:
    """For each paragraph, whether the next non-empty one is a "牵头单位：…" line: then it is a task."""
    out = [False] * len(paras)
    following = False
    for i in range(len(paras) - 1, -1, -1):
        out[i] = following
        if paras[i]:
            following = bool(LABEL_LINE.match(paras[i]))
    return out


def _starts_task(text: str, kind: str | None, style: str | None, labelled: bool) -> bool:
    """A numbered paragraph in the document's task style, or any numbered one that its own
    "牵头单位：" lines follow ("（一）地区生产总值增长7%以上" / "责任单位：区发改局")."""
    if kind is None:
        return False
    if labelled and kind != "l1":
        return True
    if kind != style:
        return False
    return not (kind in ("l1", "l2") and _is_heading(text, _PATTERNS[kind]))


def _task_style(paras: list[str], labelled: list[bool]) -> str | None:
    """Which numbering marks the tasks: "1." if the document has it, else "（1）", "①", or "（一）" tasks."""
    counts: dict[str, int] = {}
    for text, has_labels in zip(paras, labelled, strict=True):
        kind = _marker(text)
        if kind is None:
            continue
        if kind in ("num", "sub", "circ") or has_labels or not _is_heading(text, _PATTERNS[kind]):
            counts[kind] = counts.get(kind, 0) + 1
    for kind in ("num", "sub", "circ", "l2", "l1"):
        if counts.get(kind, 0) >= 2:
            return kind
    return None


def _area(l1: str, l2: str) -> str:
    if l1 and not GENERIC_SECTION.match(l1):
        return l1
    return l2 or l1


# --- one task ------------------------------------------------------------------------------


def _units_paren(text: str) -> tuple[int, int] | None:
    """The span of a trailing "（…牵头，…负责）", brackets inside it allowed ("各县（市、区）")."""
    end = len(text.rstrip(" 。.；;"))
    if end == 0 or text[end - 1] not in "）)":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth -= 1
            if depth == 0:
                inner = text[i + 1 : end - 1]
                return (i, end) if _RESPONSIBLE.search(inner) else None
    return None


def _task(block: _Block, area: str, year: int | None) -> Task:
    body = _PATTERNS[block.kind or "num"].sub("", block.text, count=1).strip()
    content_lines: list[str] = []
    labelled: list[tuple[str, str, str]] = []  # (field, value, line)
    for line in block.lines:
        m = LABEL_LINE.match(line)
        if m:
            labelled.append((LABELS[m["label"]], m["value"], line))
        elif not labelled:
            content_lines.append(line)
        # text after the label lines (a 备注 paragraph, a stray line) is left out of the task
    text = body + "".join(content_lines)
    task = Task(number=block.number, area=area, title="", content="")
    source = text
    paren = _units_paren(text)
    if paren:
        task.marks.append((paren[0], paren[1], "unit"))
        _read_responsibility(task, text[paren[0] + 1 : paren[1] - 1])
        text = text[: paren[0]]
    for fld, value, line in labelled:
        start = len(source) + 1
        source += "\n" + line
        task.marks.append((start, start + len(line), _MARK_KIND[fld]))
        _apply_label(task, fld, value)
    _settle_responsible(task)
    task.source = source
    # The title is the first sentence; the rest is the content.
    m = _SENTENCE_END.search(text)
    if m and m.start() > 0:
        title, rest = text[: m.start()], text[m.end() :]
    else:
        title, rest = text.rstrip("。"), ""
    task.marks.append((0, len(title), "title"))
    task.title = title.strip()[:MAX_TITLE]
    task.content = rest.strip()
    if not task.due:
        task.due = _due_from_text(task, text, year)
    task.marks.sort()
    return task


def _settle_responsible(task: Task) -> None:
    """责任单位 beside a 牵头单位 are co-units; alone, they are the responsible (lead) units."""
    if task.lead:
        task.co = [n for n in task.resp if n not in task.lead] + [n for n in task.co if n not in task.resp]
    else:
        task.lead = task.resp
    task.co = [n for n in dict.fromkeys(task.co) if n not in task.lead]
    task.resp = []


def _apply_label(task: Task, fld: str, value: str) -> None:
    if fld == "resp":
        task.resp += [n for n in split_units(value) if n not in task.resp]
    elif fld == "lead":
        task.lead += [n for n in split_units(value) if n not in task.lead]
    elif fld == "co":
        task.co += [n for n in split_units(value) if n not in task.co]
    elif fld == "leaders":
        task.leaders += [n for n in re.split(r"[、，,；;\s]+", value) if n]
    elif fld == "due":
        task.due = value.strip()


def split_units(text: str) -> list[str]:
    """Unit names in "市发改委、市财政局及各县市区政府等": not split inside brackets, "等" dropped."""
    names: list[str] = []
    depth = 0
    current = ""
    text = re.sub(r"以及|及(?=各|市|区|县)", "、", text)
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
        if ch in "、，,；;/／ " and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    out = []
    for name in names:
        name = _NAME_NOISE.sub("", name.strip(" 。：:")).strip()
        if name and name not in out:
            out.append(name)
    return out


def _read_responsibility(task: Task, inner: str) -> None:
    """The units of "X、Y牵头，Z按职责分工负责" or "牵头单位：X；配合单位：Y"."""
    if _LABEL_INSIDE.search(inner):
        parts = _LABEL_INSIDE.split(inner)
        # split() gives [before, label, value, label, value…]
        for label, value in zip(parts[1::2], parts[2::2], strict=False):
            _apply_label(task, LABELS[label], value.strip(" ，,；;。"))
        _settle_responsible(task)
        return
    leads: list[str] = []
    responsible: list[str] = []  # "X负责": the lead unless another clause names one
    others: list[str] = []
    for clause in re.split(r"[，,；;]", inner):
        clause = clause.strip()
        if not clause:
            continue
        m = _LEAD_END.search(clause)
        if m:
            leads += split_units(clause[: m.start()])
            continue
        m = _OWN_END.search(clause)
        if m:
            responsible += split_units(clause[: m.start()])
            continue
        m = _CO_END.search(clause)
        others += split_units(clause[: m.start()] if m else clause)
    if leads:
        others = responsible + others
    elif responsible:
        leads = responsible
    else:
        leads, others = others, []  # "（X、Y按职责分工负责）": they are the responsible ones
    task.lead += [n for n in leads if n not in task.lead]
    task.co += [n for n in others if n not in task.co and n not in task.lead]


def _due_from_text(task: Task, text: str, year: int | None) -> str:
    """The clauses that carry a date ("2022年10月底前编制并公布"), read by the ledger's due-phrase grammar."""
    clauses: list[str] = []
    for m in _CLAUSE.finditer(text):
        clause = m.group(0).strip()
        if not any(_is_deadline(clause, s, e) for s, e in date_spans(clause)):
            continue
        try:
            parse_due(clause, plan_year=year)
        except DatePhraseError:
            continue
        clauses.append(clause)
        task.marks.append((m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), m.end(), "date"))
    phrase = "，".join(clauses)
    if len(phrase) > MAX_DUE:
        phrase = clauses[-1][:MAX_DUE]
    if not phrase:
        long_term = _LONG_TERM.search(text)
        if long_term:
            task.marks.append((long_term.start(), long_term.end(), "date"))
            return NO_FIXED_LABEL
        return ""
    try:
        parse_due(phrase, plan_year=year)
    except DatePhraseError:
        return clauses[-1]
    return phrase


def _is_deadline(clause: str, start: int, end: int) -> bool:
    """Whether the date at clause[start:end] is a deadline, not a reference ("2022年以来", "《2023年…方案》")."""
    before, after, words = clause[:start], clause[end:], clause[start:end]
    if before.count("《") > before.count("》"):
        return False
    if _DATE_NOT_DUE.search(after[:3]) or _DATE_NOT_DUE.search(before):
        return False
    return bool(_DUE_END.search(words) or _DUE_AFTER.match(after) or _DUE_BEFORE.search(before))
