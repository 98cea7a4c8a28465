"""Read an office's .xlsx ledger into rows the ledger understands, and say what importing would do.

`parse_ledger` writes nothing. It returns an `ImportResult`: each row with its parsed fields and
whether it is new, an update or unchanged against the plan; every problem with its Excel row
and column; and the units and leaders the file names that the platform does not know yet.
Only the columns the file has are read: a file without 备注 leaves the notes alone.

The rows go to one plan chosen by the caller, or, with `plans_from_file`, each to the plan its
所属方案 cell names (a whole-ledger export, "1+N" action plans included); such a plan must exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any

from django.conf import settings

from gandang.ledger import cycles
from gandang.ledger.dates import DatePhraseError, format_due, parse_due, parse_start
from gandang.ledger.document.reader import CORRUPT_DOC, OLD_DOC
from gandang.ledger.document.reader import kind_of as document_kind
from gandang.ledger.document.sheet import Edits, open_plan_document
from gandang.ledger.excel import columns as col
from gandang.ledger.excel.ledger_state import Directory, Plans, load_existing, name_key
from gandang.ledger.excel.matching import settle
from gandang.ledger.excel.reader import (
    CORRUPT,
    FileRefused,
    Sheet,
    Table,
    Workbook,
    _size,
    check_file,
    open_table,
)
from gandang.ledger.excel.result import ERROR, NOTICE, ImportResult, ParsedRow, PlanGroup, Problem
from gandang.ledger.models import Item, Plan

__all__ = ["ImportResult", "ParsedRow", "Problem", "parse_ledger"]


_MAX_LEN: dict[str, int] = {
    f.name: f.max_length for f in Item._meta.concrete_fields if isinstance(f.max_length, int)
}
_AREA_HEADING = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．\s]|第[一二三四五六七八九十]+部分)")
_AREA_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]?\s*|第[一二三四五六七八九十]+部分[、：:\s]*)"
)
_AREA_COUNT = re.compile(r"\s*[（(]\s*共?\s*\d+\s*项\s*[)）]\s*$")
_CN_NUMERAL = re.compile(r"^[一二三四五六七八九十]+[、.．]?$")
_FOOTNOTE = re.compile(r"^(?:注|备注|说明|填表说明|填报说明|制表|填表人|联系人)\s*[0-9：:、.]")
_LABEL_YEAR = re.compile(r"^\s*(\d{4})\s*年")
NO_PLAN_IN_DOCUMENT = (
    "方案文件不能按“所属方案”列导入：请选择导入到已有方案，或新建方案（名称和年度留空时按文件标题）"
)
NO_PLAN_COLUMN = "文件中没有“所属方案”列，无法按文件中的方案导入：请选择导入到哪个方案"


def parse_ledger(
    workbook: Workbook,
    *,
    plan: Plan | None,
    plan_year: int | None,
    filename: str = "",
    plans_from_file: bool = False,
    edits: Edits | None = None,
) -> ImportResult:
    """Read the ledger workbook (a local file, or an open one) for `plan` (None: a plan still to be created). Writes nothing.

    With `plans_from_file`, `plan` and `plan_year` are not used: each row goes to its 所属方案.
    A Word (.docx) or PDF plan document is read as a ledger table of its numbered tasks
    (gandang.ledger.document), with the `edits` the office made in the preview applied.
    """
    if isinstance(workbook, Path):
        with workbook.open("rb") as fh:
            name = filename or workbook.name
            return parse_ledger(
                fh,
                plan=plan,
                plan_year=plan_year,
                filename=name,
                plans_from_file=plans_from_file,
                edits=edits,
            )
    if plans_from_file:
        plan, plan_year = None, None
    result = ImportResult(
        filename=filename or PurePath(str(getattr(workbook, "name", ""))).name,
        plan_year=plan_year,
        plans_from_file=plans_from_file,
    )
    try:
        sheet = _open(workbook, result, edits)
    except FileRefused as exc:
        result.problem(None, "", str(exc))
        return result
    if plan is not None and result.is_document and result.document_title:
        _check_title(result, plan)
    if result.document_cadence:
        _cycle_notice(result, plan)
    try:
        _read_rows(result, sheet.table, sheet.rows, target=plan)
    except FileRefused as exc:
        result.problem(None, "", str(exc))
    except Exception:  # a part that breaks mid-stream is a corrupt file, not a server error
        result.problem(None, "", CORRUPT)
    finally:
        sheet.close()
    for row in result.rows:
        row.source, row.marks = result.sources.get(row.row, ("", []))
        row.inputs = result.inputs.get(row.row, {})
        if result.is_document and "lead_unit" in result.present and not row.fields.get("lead_unit"):
            result.problem(row.row, result.column("lead_unit"), "没有读到牵头单位：请在下表中填写", NOTICE)
    if result.has_errors and not result.rows:
        return result
    result.groups = _groups(result, plan)
    settle(result)
    return result


# A file named as a document that is not one (or is broken): what to do about it.
DOCUMENT_REFUSALS = {".docx": CORRUPT_DOC, ".doc": OLD_DOC, ".pdf": "PDF 文件已损坏，无法读取"}


def _check_title(result: ImportResult, plan: Plan) -> None:
    """A document whose title names another plan than the chosen one: say so, in case it was a slip."""
    if name_key(result.document_title) not in (name_key(plan.name), name_key(str(plan))):
        message = (
            f"文件标题是《{result.document_title}》，将导入到所选方案“{plan}”："
            f"如果不对，点“改为导入到《{result.document_title}》”"
        )
        result.problem(None, "", message, NOTICE)
        result.title_differs = True


def takes_document_cycle(plan: Plan | None) -> bool:
    """Whether an import sets the plan's cycle from its document's cover letter: a plan still to be
    created, or one still empty on the monthly default. A plan that already has items (the monthly
    key reform plan, say) keeps its cycle: its periods and reports are on that calendar."""
    if plan is None:
        return True
    return plan.cycle == cycles.Cycle.MONTHLY and not plan.items.exists()


def _cycle_notice(result: ImportResult, plan: Plan | None) -> None:
    """The cover letter's cadence as the preview says it: the cycle the plan takes, or keeps."""
    found = cycles.from_cadence(result.document_cadence)
    if found is None:
        return
    cycle, deadlines = found
    said = cycles.describe(cycle, deadlines, result.plan_year or result.document_year or 2000)
    if takes_document_cycle(plan):
        result.problem(None, "", f"导入后该方案{said}；可在“改革方案”中修改报送周期", NOTICE)
    elif plan is not None and (plan.cycle, cycles.normalized(plan.deadlines)) != (cycle, deadlines):
        kept = cycles.describe(plan.cycle, plan.deadlines, plan.year)
        message = (
            f"文件要求{said}。所选方案“{plan}”已有事项，导入后仍{kept}；"
            "如要按文件的周期报送，请改选“新建方案”、填写另一个方案名称后重新上传，或在“改革方案”中修改报送周期"
        )
        result.problem(None, "", message, NOTICE)


def _open(workbook: IO[bytes], result: ImportResult, edits: Edits | None) -> Sheet:
    """The ledger table of a workbook, or of a plan document (its title and sources kept in `result`)."""
    max_bytes, max_rows = settings.GANDANG_IMPORT_MAX_BYTES, settings.GANDANG_IMPORT_MAX_ROWS
    if _size(workbook) > max_bytes:  # before the file is looked into, whatever it is
        check_file(workbook, max_bytes=max_bytes, max_rows=max_rows)
    if document_kind(workbook) is None:
        # Not readable as a document: named as one, say so in the document's words, not the workbook's.
        suffix = PurePath(result.filename).suffix.lower()
        if suffix in DOCUMENT_REFUSALS and _size(workbook):
            raise FileRefused(DOCUMENT_REFUSALS[suffix])
        check_file(workbook, max_bytes=max_bytes, max_rows=max_rows)
        return open_table(workbook, max_rows=max_rows)
    result.is_document = True
    if result.plans_from_file:
        raise FileRefused(NO_PLAN_IN_DOCUMENT)
    doc = open_plan_document(workbook, max_bytes=max_bytes, max_rows=max_rows, edits=edits)
    result.document_title, result.document_year, result.sources = doc.title, doc.year, doc.sources
    result.inputs = doc.inputs
    if result.plan_year is None and not result.plans_from_file:
        result.plan_year = doc.year
    result.document_cadence = doc.cadence
    if doc.cadence:
        result.problem(None, "", f"文件中的报送要求：{doc.cadence}", NOTICE)
    for heading in doc.skipped:
        result.problem(None, "", f"“{heading}”部分不是任务，其中的编号段落没有导入", NOTICE)
    return doc.sheet


def _groups(result: ImportResult, plan: Plan | None) -> list[PlanGroup]:
    """The rows by the plan they go to (in the file's order), each with that plan's items."""
    if not result.plans_from_file:
        return [PlanGroup(plan=plan, rows=result.rows, existing=load_existing(plan) if plan else {})]
    groups: dict[int | None, PlanGroup] = {}
    for row in result.rows:
        key = row.plan.pk if row.plan else None
        if key not in groups:
            existing = load_existing(row.plan) if row.plan else {}
            groups[key] = PlanGroup(plan=row.plan, existing=existing)
        groups[key].rows.append(row)
    return list(groups.values())


@dataclass
class _Context:
    """What reading one row needs to know from the rows above it."""

    result: ImportResult
    table: Table
    directory: Directory
    plans: Plans | None = None  # when the file has a 所属方案 column
    target: Plan | None = None  # the plan chosen for every row, unless the file names them
    other_plans: set[str] = field(default_factory=set)  # 所属方案 cells the chosen plan overrides
    area: str | None = None
    area_rows: int = 0
    position: int = 0


def _read_rows(result: ImportResult, table: Table, rows: Any, *, target: Plan | None) -> None:
    result.sheet, result.header_row = table.sheet, table.header_row
    result.column_names = {f: table.headings[f] for f in col.COLUMNS if f in table.columns}
    result.present = set(table.columns)
    for heading in table.ignored:
        result.problem(table.header_row, heading, "未识别的列，已忽略", NOTICE)
    for heading in table.duplicates:
        result.problem(table.header_row, heading, "与前面的列重复，已忽略", NOTICE)
    if result.plans_from_file and "plan" not in table.columns:
        raise FileRefused(NO_PLAN_COLUMN)
    plans = Plans.load() if "plan" in table.columns else None
    ctx = _Context(result=result, table=table, directory=Directory.load(), plans=plans, target=target)
    for number, values in rows:
        _read_row(ctx, number, values)
    if ctx.other_plans:
        named = "、".join(sorted(ctx.other_plans)[:5])
        message = f"文件的“所属方案”列写的是其他方案（{named}），已按所选方案导入全部事项"
        result.problem(table.header_row, table.headings["plan"], message, NOTICE)
    if not result.rows and not result.has_errors:
        result.problem(None, "", "表头下没有任何事项")
    result.new_areas = sorted(ctx.directory.new_areas)
    if ctx.area_rows:
        _renumber_if_restarting(result)


def _renumber_if_restarting(result: ImportResult) -> None:
    """序号 that starts again at 1 under every area heading would interleave the areas: use file order.

    Only files with area rows are renumbered, so an exported ledger (area as a column) keeps its 序号.
    """
    seqs = [r.fields["seq"] for r in result.rows if "seq" in r.fields]
    if all(a <= b for a, b in zip(seqs, seqs[1:], strict=False)):
        return
    for row in result.rows:
        row.fields["seq"] = row.position
    message = "序号在各领域内分别编号：已按事项在文件中的先后顺序重新排序"
    result.problem(result.header_row, result.column("seq"), message, NOTICE)


def _cells(ctx: _Context, values: tuple[Any, ...]) -> dict[str, Any]:
    return {f: values[i] if i < len(values) else None for f, i in ctx.table.columns.items()}


def _read_row(ctx: _Context, number: int, values: tuple[Any, ...]) -> None:
    filled = [(i, v) for i, v in enumerate(values) if col.filled(v)]
    if not filled:
        return
    cells = _cells(ctx, values)
    heading = _area_heading(ctx, filled, cells)
    if heading is not None:
        ctx.area, ctx.area_rows = heading, ctx.area_rows + 1
        return
    if len(filled) == 1 and _FOOTNOTE.match(col.text(filled[0][1])):
        ctx.result.problem(number, "", "说明性文字，已跳过", NOTICE)
        return
    ctx.position += 1
    row = ParsedRow(row=number, position=ctx.position, fields={})
    for name, value in cells.items():
        problem = col.cell_problem(value)
        if problem:
            ctx.result.problem(number, ctx.table.headings[name], problem)
            cells[name] = None
    _FieldReader(ctx, row, cells).read()
    ctx.result.rows.append(row)


def _area_heading(ctx: _Context, filled: list[tuple[int, Any]], cells: dict[str, Any]) -> str | None:
    """The area a heading row names ("一、经济体制改革（12项）"), or None for an ordinary row.

    A merged heading row has its text in its first cell only, so it has exactly one filled cell;
    some offices instead put "一" in 序号 and the area in the title column.
    """
    title_index = ctx.table.columns["title"]
    if len(filled) == 1:
        index, value = filled[0]
        words = col.one_line(value)
        if _FOOTNOTE.match(words):
            return None
        # A lone cell further right (only 牵头单位 filled, say) is an item missing its title.
        in_first_column = index <= min(ctx.table.columns.values()) and index != title_index
        if in_first_column or _AREA_HEADING.match(words):
            return _area_name(words)
    seq = col.text(cells.get("seq"))
    if len(filled) == 2 and _CN_NUMERAL.match(seq) and col.text(cells.get("title")):
        return _area_name(col.one_line(cells["title"]))
    return None


def _area_name(words: str) -> str:
    return _AREA_COUNT.sub("", _AREA_NUMBERING.sub("", words)).strip()


class _FieldReader:
    """Reads the cells of one row into its fields, reporting problems against the row."""

    def __init__(self, ctx: _Context, row: ParsedRow, cells: dict[str, Any]) -> None:
        self.ctx, self.row, self.cells, self.result = ctx, row, cells, ctx.result
        self.fields = row.fields

    def problem(self, name: str, message: str, severity: str = ERROR) -> None:
        self.result.problem(self.row.row, self.ctx.table.headings.get(name, name), message, severity)

    def has(self, name: str) -> bool:
        return name in self.cells

    def read(self) -> None:
        self.read_plan()
        self.read_text()
        self.read_area()
        self.read_people()
        self.read_dates()
        if self.has("is_key"):
            flag = col.yes_no(self.cells["is_key"])
            if flag is None:
                self.problem("is_key", f"无法识别“{col.text(self.cells['is_key'])}”，按“否”处理", NOTICE)
            self.fields["is_key"] = bool(flag)

    def limited(self, name: str, value: str, limit_field: str | None = None) -> str:
        limit = _MAX_LEN.get(limit_field or name)
        if limit and len(value) > limit:
            self.problem(name, f"内容共 {len(value)} 字，超过 {limit} 字的上限")
        return value

    @property
    def year(self) -> int | None:
        """The year a due phrase without one ("6月底前") is read in: the row's plan's."""
        if not self.result.plans_from_file:
            return self.result.plan_year
        if self.row.plan is not None:
            return self.row.plan.year
        m = _LABEL_YEAR.match(col.text(self.cells.get("plan")))
        return int(m.group(1)) if m else None

    def read_plan(self) -> None:
        """The plan the 所属方案 cell names: where the row goes, or only checked against the chosen plan."""
        if not self.has("plan") or self.ctx.plans is None:
            return
        written = col.one_line(self.cells["plan"])
        found = self.ctx.plans.find(written) if written else []
        if not self.result.plans_from_file:
            if written and self.ctx.target not in found:
                self.ctx.other_plans.add(written)
            return
        if not written:
            self.problem("plan", "未填写所属方案")
        elif not found:
            self.problem("plan", f"系统中没有方案“{written}”：请先在“改革方案”中新建该方案，或改正方案名称")
        elif len(found) > 1:
            examples = "”“".join(str(p) for p in found[:3])
            self.problem("plan", f"有 {len(found)} 个方案名为“{written}”，请写明年度，如“{examples}”")
        elif found[0].is_archived:
            self.problem("plan", f"方案“{found[0]}”已归档，不能再导入事项")
        else:
            self.row.plan = found[0]

    def read_text(self) -> None:
        if self.has("seq"):
            seq = col.int_or_none(self.cells["seq"])
            if seq is not None:
                self.fields["seq"] = seq
        if self.has("code"):
            self.fields["code"] = self.limited("code", col.one_line(self.cells["code"]))
        title = self.limited("title", col.one_line(self.cells["title"]))
        if not title:
            self.problem("title", "改革事项名称不能为空")
        self.fields["title"] = title
        for name in ("goal", "notes"):
            if self.has(name):
                self.fields[name] = self.limited(name, col.text(self.cells[name]))
        if self.has("deliverable"):
            self.fields["deliverable"] = self.limited("deliverable", col.one_line(self.cells["deliverable"]))
        if self.has("parent"):
            self.fields["parent"] = col.one_line(self.cells["parent"])

    def read_area(self) -> None:
        name = col.one_line(self.cells.get("area")) or self.ctx.area
        if name is None and not self.has("area"):
            return  # the file says nothing about areas: leave them alone
        name = _area_name(name or "")
        if len(name) > 100:
            self.problem("area", f"改革领域名称超过 100 字：“{name[:20]}…”")
        self.fields["area"] = self.ctx.directory.area(name) if name else ""

    def read_people(self) -> None:
        directory = self.ctx.directory
        if self.has("leaders"):
            names = []
            for name, title in col.split_leaders(self.cells["leaders"]):
                if len(name) > 50 or len(title) > 100:
                    self.problem("leaders", f"领导姓名或职务过长：“{name[:20]}”")
                known = directory.leader(name)
                if known is None:
                    entry = self.result.unknown_leaders.setdefault(name, (title, []))
                    entry[1].append(self.row.row)
                names.append(known or name)
            self.fields["leaders"] = names
        lead: list[str] = []
        if self.has("lead_unit"):
            # "X、Y": X leads and collects the report (负责汇总报送), Y leads with it (共同牵头).
            lead = list(
                dict.fromkeys(self.unit("lead_unit", n) for n in col.split_names(self.cells["lead_unit"]))
            )
            self.fields["lead_unit"] = lead[0] if lead else ""
            self.fields["joint_lead_units"] = lead[1:]
            if len(lead) > 1:
                self.problem(
                    "lead_unit",
                    f"填写了 {len(lead)} 个牵头单位：“{lead[0]}”排在首位，负责汇总报送；"
                    f"“{'、'.join(lead[1:])}”为共同牵头单位",
                    NOTICE,
                )
        if self.has("co_units"):
            co = [self.unit("co_units", n) for n in col.split_names(self.cells.get("co_units"))]
            self.fields["co_units"] = [u for u in dict.fromkeys(co) if u not in lead]

    def unit(self, name: str, written: str) -> str:
        known = self.ctx.directory.unit(written)
        if known is not None and self.ctx.directory.is_partner(known):
            # A partner office's name is its reader account's unit: it reads the office's information and
            # carries no reform, so it is never matched (nor a second unit of that name created).
            role = "牵头单位" if name == "lead_unit" else "配合单位"
            self.problem(
                name,
                f"“{written}”是“两办两研”协同单位（只阅读改革信息、登记采用，不报送改革任务），"
                f"不能作为{role}：请改填负责该任务的单位",
            )
        if known is not None:
            return known
        if len(written) > 100:
            self.problem(name, f"单位名称超过 100 字：“{written[:20]}…”")
        self.result.unknown_units.setdefault(written, []).append(self.row.row)
        return written

    def read_dates(self) -> None:
        year = self.year
        if self.has("start_date"):
            try:
                self.fields["start_date"] = parse_start(self.cells["start_date"], plan_year=year)
            except DatePhraseError as exc:
                self.problem("start_date", str(exc))
        if self.has("due"):
            self.read_due(self.cells["due"], year)
        start, due = self.fields.get("start_date"), self.fields.get("due_date")
        if start and due and start > due:
            self.problem("start_date", f"开始时间（{start:%Y-%m-%d}）晚于完成时限（{due:%Y-%m-%d}）")

    def read_due(self, value: Any, year: int | None) -> None:
        try:
            due = parse_due(value, plan_year=year)
        except DatePhraseError as exc:
            self.problem("due", str(exc))
            return
        canonical = format_due(due.due_date, due.no_fixed_date)
        phrase = col.text(value) if isinstance(value, str) else canonical
        self.row.due_phrase = phrase
        # A plain date keeps no phrase: the date itself is what the ledger shows.
        due_text = "" if phrase == canonical else phrase
        self.fields.update(
            due_date=due.due_date,
            no_fixed_date=due.no_fixed_date,
            due_text=self.limited("due", due_text, "due_text"),
            milestones=due.milestones,
        )
        for title, _ in due.milestones:
            if len(title) > 200:
                self.problem("due", f"时间节点“{title[:20]}…”超过 200 字")
        if not phrase:
            self.problem("due", "未填写完成时限", NOTICE)
