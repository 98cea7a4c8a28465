"""Pair the rows of a file with their plan's items, check sub-items, and say what would change.

A file may carry rows for several plans (its 所属方案 column); each plan's rows are matched only
with that plan's items, so two plans may both have an item "1".
"""

from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any

from gandang.ledger.excel import columns as col
from gandang.ledger.excel.ledger_state import Existing
from gandang.ledger.excel.result import NEW, NOTICE, UNCHANGED, UPDATE, ImportResult, ParsedRow, PlanGroup

# A revised edition of a plan document rewords some tasks: a title this close to an item left unmatched
# is that item, updated (and said so in the preview) rather than a duplicate beside it.
REVISED_TEXT_RATIO = 0.7
MAX_REVISED_PAIRS = 200_000  # rows × items compared at most: a huge plan is matched by name only


def settle(result: ImportResult) -> None:
    """Match rows to items, check parents, and mark each row new, update or unchanged, plan by plan."""
    for group in result.groups:
        _match(result, group)
        _check_parents(result, group)
        _compare(group)


def _match(result: ImportResult, group: PlanGroup) -> None:
    """Pair rows with the plan's items (by 编号, else by name) and give code-less new rows a code."""
    by_title: dict[str, list[Existing]] = defaultdict(list)
    for item in group.existing.values():
        by_title[item.values["title"]].append(item)
    seen_codes: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    seen_items: dict[int, int] = {}
    for row in group.rows:
        # Codes never change on re-import: the row's code is only how it finds its item.
        code = row.fields.pop("code", "")
        if code:
            if code in seen_codes:
                result.problem(row.row, result.column("code"), f"编号“{code}”与第 {seen_codes[code]} 行重复")
            seen_codes.setdefault(code, row.row)
            ex = group.existing.get(code)
        else:
            ex = _match_title(result, row, by_title, seen_titles)
        if ex is not None:
            if ex.id in seen_items:
                result.problem(row.row, "", f"与第 {seen_items[ex.id]} 行对应同一个已有事项“{ex.code}”")
            seen_items.setdefault(ex.id, row.row)
            row.item_id, row.code = ex.id, ex.code
        else:
            row.code = code
    if result.is_document:
        _match_revised(result, group, seen_items)
    _generate_codes(group)


def _match_revised(result: ImportResult, group: PlanGroup, seen_items: dict[int, int]) -> None:
    """Pair each still-unmatched row with the unmatched item whose title (and area) is most alike."""
    left = [ex for ex in group.existing.values() if ex.id not in seen_items]
    rows = [row for row in group.rows if row.item_id is None]
    if len(rows) * len(left) > MAX_REVISED_PAIRS:
        return
    for row in rows:
        scored = [(_likeness(row, ex), ex) for ex in left]
        score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best is None or score < REVISED_TEXT_RATIO:
            continue
        left.remove(best)
        seen_items[best.id] = row.row
        row.item_id, row.code = best.id, best.code
        message = f"方案中没有同名事项，按相近的名称对应到已有事项“{best.code} {best.values['title']}”并更新"
        result.problem(row.row, result.column("title"), message, NOTICE)


def _likeness(row: ParsedRow, ex: Existing) -> float:
    """How alike the task's words (name and content) are, 0…1; less in another area."""
    if row.fields.get("area", ex.values["area"]) != ex.values["area"]:
        return 0.0
    text = row.title + row.fields.get("goal", "")
    matcher = SequenceMatcher(None, text, ex.values["title"] + (ex.values["goal"] or ""), autojunk=False)
    if matcher.real_quick_ratio() < REVISED_TEXT_RATIO or matcher.quick_ratio() < REVISED_TEXT_RATIO:
        return 0.0
    return matcher.ratio()


def _match_title(
    result: ImportResult, row: ParsedRow, by_title: dict[str, list[Existing]], seen: dict[str, int]
) -> Existing | None:
    title = row.title
    if title in seen:
        result.problem(row.row, "", f"与第 {seen[title]} 行事项名称相同且都没有编号，请填写编号以区分")
    seen.setdefault(title, row.row)
    matches = by_title.get(title, [])
    if len(matches) > 1:
        codes = "、".join(m.code for m in matches)
        result.problem(
            row.row, "", f"方案中有 {len(matches)} 个同名事项（编号 {codes}），请填写编号以指明更新哪一个"
        )
    return matches[0] if len(matches) == 1 else None


def _generate_codes(group: PlanGroup) -> None:
    """Codes "001", "002"… by position in the file, skipping any code already used in the plan."""
    taken = set(group.existing) | {r.code for r in group.rows if r.code}
    for row in group.rows:
        if row.code:
            continue
        n = row.position
        while f"{n:03d}" in taken:
            n += 1
        row.code, row.code_generated = f"{n:03d}", True
        taken.add(row.code)


def _check_parents(result: ImportResult, group: PlanGroup) -> None:
    """上级编号 must name an item of the file or the plan, itself not a sub-item (one level only)."""
    if "parent" not in result.present:
        return
    existing = group.existing
    in_file = {r.code: r for r in group.rows}
    by_seq = {r.fields["seq"]: r for r in group.rows if "seq" in r.fields}
    column = result.column("parent")
    # Items that already have sub-items in the plan and that the file does not re-parent.
    parents = {ex.values["parent"] for ex in existing.values() if ex.code not in in_file}
    for row in group.rows:
        ref = row.fields.get("parent", "")
        if not ref:
            continue
        parent = in_file.get(ref)
        if parent is None and ref not in existing and ref.isdecimal() and int(ref) in by_seq:
            parent = by_seq[int(ref)]  # a file without 编号 points at the parent's 序号
        code = parent.code if parent else ref
        grand = parent.fields.get("parent", "") if parent else ""
        if parent is None and code in existing:
            grand = existing[code].values["parent"]
        if parent is None and code not in existing:
            result.problem(row.row, column, f"上级编号“{ref}”在文件和方案中都不存在")
        elif code == row.code:
            result.problem(row.row, column, "事项不能作为自己的上级事项")
        elif grand:
            result.problem(row.row, column, f"上级事项“{code}”本身是子事项：任务分解只支持一级")
        row.fields["parent"] = code
    parents |= {r.fields["parent"] for r in group.rows if r.fields.get("parent")}
    for row in group.rows:
        if row.fields.get("parent") and row.code in parents:
            result.problem(
                row.row, column, f"事项“{row.code}”已有子事项，不能再作为子事项：任务分解只支持一级"
            )


_SET_FIELDS = {"leaders", "co_units"}


_DUE_FIELDS = ("due_date", "no_fixed_date", "due_text")


def _compare(group: PlanGroup) -> None:
    """Mark each matched row update or unchanged, naming the fields that would change."""
    for row in group.rows:
        if row.item_id is None:
            row.status = NEW
            continue
        ex = group.existing[row.code]
        if "due_date" in row.fields and row.due_phrase == ex.export_phrase:
            # The phrase the ledger shows came back as it was: it says nothing new. The office's own
            # words, the due date and the milestones (edited since the phrase first made them) stay.
            row.fields.update((name, ex.values[name]) for name in _DUE_FIELDS)
            row.fields.pop("milestones", None)
        leads = (
            [row.fields["lead_unit"], *row.fields.get("joint_lead_units", [])]
            if "lead_unit" in row.fields
            else []
        )
        if "co_units" not in row.fields and set(leads) & set(ex.values["co_units"]):
            # A file without a 配合单位 column that makes a co-unit a lead: it is no longer a co-unit.
            row.fields["co_units"] = [u for u in ex.values["co_units"] if u not in leads]
        row.changed = [name for name, value in row.fields.items() if _differs(name, value, ex)]
        row.status = UPDATE if row.changed else UNCHANGED


# How reading a cell normalises each text field: a stored value that reads back the same
# ("\r\n" typed into a browser form, a full-width space) is not a change.
_READ_AS = {"title": col.one_line, "deliverable": col.one_line, "goal": col.text, "notes": col.text}


def _differs(name: str, value: Any, ex: Existing) -> bool:
    if name == "milestones":
        return any(ex.milestones.get(title, (None, None))[1] != due for title, due in value)
    if name in _SET_FIELDS:
        return set(value) != set(ex.values[name])
    old = ex.values.get(name)
    if name in _READ_AS and isinstance(old, str):
        return value != old and value != _READ_AS[name](old)
    return value != old
