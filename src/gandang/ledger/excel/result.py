"""What reading a ledger file found: rows understood, problems, names still unknown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from gandang.ledger.dates import NO_FIXED_LABEL, format_date, format_due
from gandang.ledger.excel import columns as col
from gandang.ledger.excel.ledger_state import Existing
from gandang.ledger.models import Item, Plan

ERROR, NOTICE = "error", "notice"
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"
STATUS_LABELS = {NEW: gettext_lazy("新增"), UPDATE: gettext_lazy("更新"), UNCHANGED: gettext_lazy("不变")}
PREVIEW_ROWS = 200


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file: its Excel row (None for the whole file), column and message."""

    row: int | None
    column: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class ParsedRow:
    """One ledger row as understood: only the fields whose columns the file has."""

    row: int
    position: int  # 1-based among the item rows of the file
    fields: dict[str, Any]
    due_phrase: str = ""
    code: str = ""
    code_generated: bool = False
    plan: Plan | None = None  # when the file's 所属方案 column says where the row goes
    item_id: int | None = None
    status: str = NEW
    changed: list[str] = field(default_factory=list)
    # A plan document's row: the task's text and the spans each guess was read from (start, end, kind).
    source: str = ""
    marks: list[tuple[int, int, str]] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # the editable cells as the preview shows them

    @property
    def source_parts(self) -> list[tuple[str, str]]:
        """The source text in pieces, each with the kind of guess it gave ("" for plain text)."""
        parts: list[tuple[str, str]] = []
        at = 0
        for start, end, kind in sorted(self.marks):
            if start < at:
                continue  # overlapping spans: the first one shown
            if start > at:
                parts.append((self.source[at:start], ""))
            parts.append((self.source[start:end], kind))
            at = end
        if at < len(self.source):
            parts.append((self.source[at:], ""))
        return parts

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def saved_id(self) -> int:
        """The item's id, once matched to an existing item or created by the commit."""
        if self.item_id is None:
            raise ValueError(f"row {self.row} has no item yet")
        return self.item_id

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def leaders_display(self) -> str:
        return "、".join(self.fields.get("leaders", []))

    @property
    def joint_leads_display(self) -> str:
        return "、".join(self.fields.get("joint_lead_units", []))

    @property
    def lead_units_display(self) -> str:
        """All the lead units in order, the first (who submits the report) first."""
        first = self.fields.get("lead_unit")
        return "、".join([first, *self.fields.get("joint_lead_units", [])] if first else [])

    @property
    def co_units_display(self) -> str:
        return "、".join(self.fields.get("co_units", []))

    @property
    def changed_labels(self) -> str:
        return "、".join(field_label(name) for name in self.changed)

    @property
    def due_resolved(self) -> str:
        """The deadline the due phrase was read as: a date, or 长期坚持."""
        if self.fields.get("no_fixed_date"):
            return NO_FIXED_LABEL
        due = self.fields.get("due_date")
        return format_date(due) if due else ""

    @property
    def due_display(self) -> str:
        if "due_date" not in self.fields:
            return ""
        return format_due(self.fields["due_date"], self.fields["no_fixed_date"], self.fields["due_text"])


@dataclass
class PlanGroup:
    """The rows that go to one plan, and that plan's items (by code) to match them with.

    `plan` is None for a plan still to be created, or for rows whose 所属方案 is not known.
    """

    plan: Plan | None
    rows: list[ParsedRow] = field(default_factory=list)
    existing: dict[str, Existing] = field(default_factory=dict, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.rows)


def _counts(rows: list[ParsedRow]) -> dict[str, int]:
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0}
    for r in rows:
        counts[r.status] += 1
    return counts


@dataclass
class ImportResult:
    """What a ledger file holds and what importing it into a plan (or the plans it names) would do."""

    filename: str
    plan_year: int | None  # None when each row's plan comes from the file
    plans_from_file: bool = False
    sheet: str = ""
    header_row: int = 0
    column_names: dict[str, str] = field(default_factory=dict)  # field -> heading as written
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_units: dict[str, list[int]] = field(default_factory=dict)
    unknown_leaders: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    new_areas: list[str] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # fields the file has columns for
    groups: list[PlanGroup] = field(default_factory=list)  # the rows by the plan they go to
    # A plan document (.docx, .pdf) rather than a workbook: its title, year, and each row's source text.
    is_document: bool = False
    document_title: str = ""
    document_year: int | None = None
    title_differs: bool = False  # a document whose title names another plan than the chosen one
    document_cadence: str = ""  # the cover letter's sentence on when progress is reported
    sources: dict[int, tuple[str, list[tuple[int, int, str]]]] = field(default_factory=dict, repr=False)
    inputs: dict[int, dict[str, str]] = field(default_factory=dict, repr=False)

    @property
    def editable(self) -> list[str]:
        """The fields the preview lets the office correct, in column order (a document's only)."""
        if not self.is_document:
            return []
        return [f for f in ("title", "area", "leaders", "lead_unit", "co_units", "due") if f in self.present]

    @property
    def headings(self) -> list[str]:
        return list(self.column_names.values())

    def column(self, name: str) -> str:
        """The heading of a field's column as the file writes it."""
        return self.column_names.get(name) or col.COLUMNS[name][0]

    def problem(self, row: int | None, column: str, message: str, severity: str = ERROR) -> None:
        self.problems.append(Problem(row, column, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.unknown_units or self.unknown_leaders)

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.rows)

    @property
    def flagged_rows(self) -> set[int]:
        """The rows a problem names: the preview marks them for a second look."""
        return {p.row for p in self.problems if p.row is not None}

    @property
    def preview_rows(self) -> list[ParsedRow]:
        return self.rows[:PREVIEW_ROWS]


def field_label(name: str) -> str:
    if name == "milestones":
        return gettext("时间节点")
    return str(getattr(Item._meta.get_field(name), "verbose_name", name))
