"""Write a parsed ledger into its plans, in bulk: a 10,000-row ledger must commit in seconds.

Called only by `services.ledger_import`, inside its transaction, with a result that has no
errors, each group of rows with the plan it goes to (one plan, or each plan a whole-ledger file
names). Items, their leaders, joint lead units and co-units, milestones and audit entries are each written with
a few bulk statements; audit snapshots are built from the names already in hand instead of
re-reading every item, in the same display format as `gandang.core.audit.snapshot`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from gandang.core import audit, bulk, clock
from gandang.core.models import AuditEntry
from gandang.ledger.excel.ledger_state import Existing
from gandang.ledger.excel.result import NEW, UPDATE, ImportResult, ParsedRow, PlanGroup
from gandang.ledger.models import Area, Item, JointLead, Milestone, Plan
from gandang.org.models import Leader, Unit, User

BATCH = 500
_SCALARS = [
    "seq",
    "title",
    "goal",
    "deliverable",
    "start_date",
    "due_date",
    "no_fixed_date",
    "due_text",
    "is_key",
    "notes",
]
_RELATIONS = {"area": "area_id", "lead_unit": "lead_unit_id", "parent": "parent_id"}


@dataclass
class _Writer:
    """One commit: who does it, the ids of every name the rows use, and the plan being written."""

    result: ImportResult
    actor: User | None
    reason: str
    group: PlanGroup = field(default_factory=lambda: PlanGroup(plan=None))
    units: dict[str, int] = field(default_factory=dict)
    leaders: dict[str, int] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)  # item code -> id in the plan
    entries: list[AuditEntry] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=clock.now)

    def audit(
        self,
        obj: models.Model,
        before: dict[str, str],
        after: dict[str, str],
        scope: models.Model | None = None,
    ) -> None:
        action = AuditEntry.Action.IMPORT
        e = audit.entry(
            obj, actor=self.actor, action=action, before=before, after=after, reason=self.reason, scope=scope
        )
        if e is not None and e.changes:
            self.entries.append(e)

    @property
    def plan(self) -> Plan:
        if self.group.plan is None:
            raise ValueError("rows without a plan cannot be committed")
        return self.group.plan

    @property
    def existing(self) -> dict[str, Existing]:
        return self.group.existing


def commit(result: ImportResult, *, actor: User | None, reason: str) -> dict[str, int]:
    """Create and update each plan's items as `result` says; returns the counts by status."""
    w = _Writer(result=result, actor=actor, reason=reason)
    _create_names(w)
    for group in result.groups:
        w.group = group
        new = [r for r in group.rows if r.status == NEW]
        changed = [r for r in group.rows if r.status == UPDATE]
        _create_items(w, new)
        _update_items(w, changed)
        _write_links(w, new, changed)
        _write_milestones(w, new + changed)
        _audit_items(w, new, changed)
    bulk.insert(AuditEntry, (vars(e) for e in w.entries))  # built by audit.entry, written at once
    return result.counts


# --- units, leaders and areas the file names -------------------------------------------------


def unit_kind(name: str) -> str:
    """A guess at a new unit's type from its name; the office can correct it later."""
    if re.search(r"(集团|公司|银行)$", name):
        return Unit.Kind.ENTERPRISE
    if re.search(r"[区县市]$", name) and not name.startswith(("市", "各")):
        return Unit.Kind.COUNTY
    if name.startswith("各"):
        return Unit.Kind.OTHER
    return Unit.Kind.DEPARTMENT


def _create_names(w: _Writer) -> None:
    r = w.result
    _create(w, Unit, [Unit(name=n, kind=unit_kind(n)) for n in r.unknown_units])
    _create(w, Leader, [Leader(name=n, title=title) for n, (title, _) in r.unknown_leaders.items()])
    _create(w, Area, [Area(name=n) for n in r.new_areas])
    w.units = dict(Unit.objects.values_list("name", "id"))
    w.leaders = dict(Leader.objects.values_list("name", "id"))
    w.areas = dict(Area.objects.values_list("name", "id"))


def _create(w: _Writer, model: type[models.Model], objs: list[Any]) -> None:
    if not objs:
        return
    model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]
    names = [o.name for o in objs]
    for obj in model.objects.filter(name__in=names):  # type: ignore[attr-defined]
        w.audit(obj, {}, audit.snapshot(obj))


# --- items -----------------------------------------------------------------------------------


def _refresh_codes(w: _Writer) -> None:
    w.codes = dict(Item.objects.filter(plan=w.plan).values_list("code", "id"))


def _relation_id(w: _Writer, name: str, value: str) -> int | None:
    if not value:
        return None
    return {"area": w.areas, "lead_unit": w.units, "parent": w.codes}[name][value]


def _new_item(w: _Writer, row: ParsedRow) -> dict[str, Any]:
    """The new item's columns (by attname); the others take their defaults."""
    f = row.fields
    item = {"plan_id": w.plan.pk, "code": row.code, "seq": f.get("seq", row.position), "title": f["title"]}
    item.update((name, f[name]) for name in _SCALARS if name in f)
    item.update(
        (attname, _relation_id(w, name, f[name])) for name, attname in _RELATIONS.items() if name in f
    )
    return item


def _create_items(w: _Writer, rows: list[ParsedRow]) -> None:
    """Parents first, so that sub-items (one level only) can point at them."""
    _refresh_codes(w)
    tops = [r for r in rows if not r.fields.get("parent")]
    subs = [r for r in rows if r.fields.get("parent")]
    bulk.insert(Item, [_new_item(w, r) for r in tops])
    _refresh_codes(w)
    bulk.insert(Item, [_new_item(w, r) for r in subs])
    _refresh_codes(w)
    for r in rows:
        r.item_id = w.codes[r.code]


def _chunks(values: list[Any], size: int = 900) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _update_items(w: _Writer, rows: list[ParsedRow]) -> None:
    items: dict[int, Item] = {}
    for ids in _chunks([r.saved_id for r in rows]):
        items.update((i.pk, i) for i in Item.objects.filter(pk__in=ids))
    touched: set[str] = set()
    for row in rows:
        item = items[row.saved_id]
        for name in row.changed:
            if name in _SCALARS:
                setattr(item, name, row.fields[name])
                touched.add(name)
            elif name in _RELATIONS:
                setattr(item, _RELATIONS[name], _relation_id(w, name, row.fields[name]))
                touched.add(name)
        # The import is an edit like any other: an edit form opened before it must not overwrite it.
        item.version += 1
        item.updated_at = w.now
    if items:
        Item.objects.bulk_update(
            list(items.values()), [*sorted(touched), "version", "updated_at"], batch_size=BATCH
        )


def _write_links(w: _Writer, new: list[ParsedRow], changed: list[ParsedRow]) -> None:
    """Leaders, joint lead units and co-units: new items get theirs; changed items have theirs replaced."""
    for name, through, target, ids in (
        ("leaders", Item.leaders.through, "leader_id", w.leaders),
        ("co_units", Item.co_units.through, "unit_id", w.units),
    ):
        replace = [r.saved_id for r in changed if name in r.changed]
        for chunk in _chunks(replace):
            through.objects.filter(item_id__in=chunk).delete()
        rows = [r for r in new if r.fields.get(name)] + [r for r in changed if name in r.changed]
        links = (
            {"item_id": r.saved_id, target: ids[n]}
            for r in rows
            for n in dict.fromkeys(r.fields[name])
            if not (name == "co_units" and n in _final_leads(w, r))
        )
        bulk.insert(through, links)
    # Joint lead units, in the order the 牵头单位 cell names them.
    replace = [r.saved_id for r in changed if "joint_lead_units" in r.changed]
    for chunk in _chunks(replace):
        JointLead.objects.filter(item_id__in=chunk).delete()
    rows = [r for r in new if r.fields.get("joint_lead_units")] + [
        r for r in changed if "joint_lead_units" in r.changed
    ]
    joint = (
        {"item_id": r.saved_id, "unit_id": w.units[n], "order": order}
        for r in rows
        for order, n in enumerate(r.fields["joint_lead_units"])
    )
    bulk.insert(JointLead, joint)


def _final_leads(w: _Writer, row: ParsedRow) -> set[str]:
    """Every lead unit the item will have: none of them stays a co-unit."""
    if "lead_unit" in row.fields:
        return {row.fields["lead_unit"], *row.fields.get("joint_lead_units", [])}
    ex = w.existing.get(row.code)
    return {ex.values["lead_unit"], *ex.values["joint_lead_units"]} if ex else set()


# --- milestones ------------------------------------------------------------------------------


def _write_milestones(w: _Writer, rows: list[ParsedRow]) -> None:
    """Milestones from two-stage due phrases, matched by title; others are left as they are."""
    create: list[Milestone] = []
    update: list[tuple[Milestone, datetime.date | None]] = []
    for row in rows:
        if not row.fields.get("milestones") or (row.status == UPDATE and "milestones" not in row.changed):
            continue
        ex = w.existing.get(row.code) if row.status == UPDATE else None
        order = ex.milestone_count if ex else 0
        for title, due in row.fields["milestones"]:
            old = ex.milestones.get(title) if ex else None
            if old is None:
                create.append(Milestone(item_id=row.saved_id, title=title, due_date=due, sort_order=order))
                order += 1
            elif old[1] != due:
                update.append((Milestone(pk=old[0], item_id=row.saved_id, title=title, due_date=due), old[1]))
    Milestone.objects.bulk_create(create, batch_size=BATCH)
    Milestone.objects.bulk_update([m for m, _ in update], ["due_date"], batch_size=BATCH)
    _audit_milestones(w, create, update)


def _audit_milestones(
    w: _Writer, created: list[Milestone], updated: list[tuple[Milestone, datetime.date | None]]
) -> None:
    wanted = {(m.item_id, m.title) for m in created}
    scope = Item()  # the audit keeps only the scope's id: one instance stands for each item in turn
    for chunk in _chunks(sorted({m.item_id for m in created})):
        for ms in Milestone.objects.filter(item_id__in=chunk):
            if (ms.item_id, ms.title) in wanted:
                wanted.discard((ms.item_id, ms.title))  # a title repeated on an item: audit the first
                after = {"title": ms.title, "due_date": _shown(ms.due_date)}
                scope.pk = ms.item_id
                w.audit(ms, {}, after, scope=scope)
    for ms, old_due in updated:
        before = {"title": ms.title, "due_date": _shown(old_due)}
        after = {"title": ms.title, "due_date": _shown(ms.due_date)}
        scope.pk = ms.item_id
        w.audit(ms, before, after, scope=scope)


# --- audit -----------------------------------------------------------------------------------


def _shown(value: Any, *, ordered: bool = False) -> str:
    """A value as `audit.snapshot` shows it (a list of names sorted, unless its order is part of it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(value if ordered else sorted(value))
    return str(value)


# The item's many-to-many fields whose order is part of the value (the joint lead units, in the plan's order).
_ORDERED = {f.name for f in Item._meta.many_to_many if f.name in Item.AUDIT_FIELDS and audit.keeps_order(f)}


def _display(values: dict[str, Any], titles: dict[str, str]) -> dict[str, str]:
    """An item's audited fields as display strings, from names (no query per item)."""
    shown = {
        name: _shown(values.get(name), ordered=name in _ORDERED)
        for name in Item.AUDIT_FIELDS
        if name in values
    }
    if values.get("parent"):
        shown["parent"] = f"{values['parent']} {titles.get(values['parent'], '')}".strip()
    return shown


def _audit_items(w: _Writer, new: list[ParsedRow], changed: list[ParsedRow]) -> None:
    existing = w.existing
    before_titles = {code: ex.values["title"] for code, ex in existing.items()}
    after_titles = before_titles | {r.code: r.title for r in w.group.rows}
    base = {"plan": str(w.plan), "is_archived": False}
    # An audit entry keeps only the item's id and str(): one instance stands for each row in turn
    # (an Item instance per row was a sixth of a 10,000-row commit).
    item = Item()
    for row in new:
        values = {**base, "code": row.code, "seq": row.fields.get("seq", row.position), **row.fields}
        item.pk, item.code, item.title = row.saved_id, row.code, row.title
        w.audit(item, {}, _display(values, after_titles))
    for row in changed:
        ex = existing[row.code]
        item.pk, item.code, item.title = row.saved_id, row.code, row.fields.get("title", ex.values["title"])
        before = _display(ex.values, before_titles)
        after = _display({**ex.values, **{n: row.fields[n] for n in row.changed}}, after_titles)
        w.audit(item, before, after)
