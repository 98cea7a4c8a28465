"""What the database already holds that an import is compared with: names and the plan's items."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from gandang.ledger.dates import format_due
from gandang.ledger.models import Area, Item, JointLead, Milestone, Plan
from gandang.org.models import Leader, Unit

_SPACES = re.compile(r"\s+")
_HALF_BRACKETS = str.maketrans("()", "（）")


@lru_cache(maxsize=4096)  # asked for every unit, leader and area of every row: a few dozen names recur
def name_key(name: str) -> str:
    """A name as compared: no spaces, Chinese brackets ("各县(市、区)" = "各县（市、区）")."""
    return _SPACES.sub("", name).translate(_HALF_BRACKETS)


@dataclass
class Directory:
    """Units (by name or alias), leaders and areas, by the names a file may use."""

    units: dict[str, str]
    leaders: dict[str, str]
    areas: dict[str, str]
    new_areas: set[str] = field(default_factory=set)
    # The partners of 两办两研 (Unit.Kind.PARTNER): readers of the office's information, never a reform's unit.
    partners: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> Directory:
        units: dict[str, str] = {}
        rows = list(
            Unit.objects.order_by("-is_active", "sort_order", "name").values_list("name", "aliases", "kind")
        )
        for name, _, _ in rows:  # a unit's own name wins over another unit's alias
            units[name_key(name)] = name
        for name, aliases, _ in rows:
            for alias in Unit(aliases=aliases).alias_list():
                units.setdefault(name_key(alias), name)
        partners = {name for name, _, kind in rows if kind == Unit.Kind.PARTNER}
        leaders = {name_key(n): n for n in Leader.objects.values_list("name", flat=True)}
        areas = {name_key(n): n for n in Area.objects.values_list("name", flat=True)}
        return cls(units=units, leaders=leaders, areas=areas, partners=partners)

    def unit(self, written: str) -> str | None:
        return self.units.get(name_key(written))

    def is_partner(self, name: str) -> bool:
        """Whether the stored unit `name` is a partner of 两办两研, which carries no reform."""
        return name in self.partners

    def leader(self, written: str) -> str | None:
        return self.leaders.get(name_key(written))

    def area(self, written: str) -> str:
        """The area's stored name; an unknown area is noted as one to create."""
        known = self.areas.get(name_key(written))
        if known is None:
            self.new_areas.add(written)
            return written
        return known


@dataclass
class Plans:
    """Plans by the ways a 所属方案 cell names them: as exported ("2023年 总体方案"), or by name alone."""

    by_label: dict[str, list[Plan]]
    by_name: dict[str, list[Plan]]

    @classmethod
    def load(cls) -> Plans:
        by_label: dict[str, list[Plan]] = defaultdict(list)
        by_name: dict[str, list[Plan]] = defaultdict(list)
        for plan in Plan.objects.order_by("-year", "id"):
            for key in {name_key(str(plan)), name_key(f"{plan.year}年{plan.name}")}:
                by_label[key].append(plan)
            by_name[name_key(plan.name)].append(plan)
        return cls(by_label=dict(by_label), by_name=dict(by_name))

    def find(self, written: str) -> list[Plan]:
        """The plans a cell may mean: one, none, or several (a bare name used in more than one year)."""
        key = name_key(written)
        return self.by_label.get(key) or self.by_name.get(key, [])


@dataclass
class Existing:
    """An item of the plan as the importer compares it: relations by name, milestones by title."""

    id: int
    code: str
    values: dict[str, Any]
    milestones: dict[str, tuple[int, date | None]] = field(default_factory=dict)  # title -> (id, due)
    milestone_count: int = 0

    @property
    def export_phrase(self) -> str:
        v = self.values
        return format_due(v["due_date"], v["no_fixed_date"], v["due_text"])


_VALUES = {
    "seq": "seq",
    "code": "code",
    "title": "title",
    "goal": "goal",
    "deliverable": "deliverable",
    "area": "area__name",
    "lead_unit": "lead_unit__name",
    "start_date": "start_date",
    "due_date": "due_date",
    "no_fixed_date": "no_fixed_date",
    "due_text": "due_text",
    "is_key": "is_key",
    "parent": "parent__code",
    "notes": "notes",
}


def load_existing(plan: Plan) -> dict[str, Existing]:
    """The plan's items by code, in six queries whatever the plan's size."""
    items: dict[str, Existing] = {}
    by_id: dict[int, Existing] = {}
    for row in Item.objects.filter(plan=plan).values("id", *_VALUES.values()):
        values = {name: row[key] for name, key in _VALUES.items()}
        for name in ("area", "lead_unit", "parent"):
            values[name] = values[name] or ""
        ex = Existing(id=row["id"], code=row["code"], values=values)
        items[ex.code] = by_id[ex.id] = ex
    people: dict[str, dict[int, list[str]]] = {"leaders": defaultdict(list), "co_units": defaultdict(list)}
    leaders = Item.leaders.through.objects.filter(item__plan=plan).values_list("item_id", "leader__name")
    for item_id, name in leaders:
        people["leaders"][item_id].append(name)
    co_units = Item.co_units.through.objects.filter(item__plan=plan).values_list("item_id", "unit__name")
    for item_id, name in co_units:
        people["co_units"][item_id].append(name)
    joint: dict[int, list[str]] = defaultdict(list)  # in the plan's order: the order is part of the value
    joint_leads = JointLead.objects.filter(item__plan=plan).order_by("item_id", "order", "id")
    for item_id, name in joint_leads.values_list("item_id", "unit__name"):
        joint[item_id].append(name)
    for ex in by_id.values():
        ex.values["leaders"] = sorted(people["leaders"].get(ex.id, []))
        ex.values["joint_lead_units"] = joint.get(ex.id, [])
        ex.values["co_units"] = sorted(people["co_units"].get(ex.id, []))
    milestones = Milestone.objects.filter(item__plan=plan).order_by("sort_order", "id")
    for item_id, ms_id, title, due in milestones.values_list("item_id", "id", "title", "due_date"):
        ex = by_id[item_id]
        ex.milestones.setdefault(title, (ms_id, due))
        ex.milestone_count += 1
    return items
