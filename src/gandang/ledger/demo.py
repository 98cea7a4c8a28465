"""The demo city's 2023 ledger: the annual key-points plan (24 items led by city leaders and about a
hundred others) and a small "1+N" plan system, built from the seed press conference.

Items are written through the ledger services, as the office would write them, so every item has
its audit history, and a few have later edits with reasons. Everything is fixed data
(gandang.ledger.demo_data) or drawn from `random.Random(2023)`, so every build is identical. The
city lives in December 2023: milestones due before the demo's day are mostly done, some overdue,
later ones still open; audit timestamps are dated in 2023 to match. Registered as a demo step,
after the org's units and people.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from gandang.core import audit, registry
from gandang.core.backdate import dated
from gandang.core.models import AuditEntry
from gandang.ledger import services
from gandang.ledger.demo_data import (
    AREAS,
    CO_POOL,
    DELIVERABLES,
    EDITS,
    GOAL_BODIES,
    GOAL_OPENINGS,
    ISSUED_AT,
    KEY_PLAN,
    LEADER_LED,
    MASTER_PLAN,
    MILESTONE_STEPS,
    NOT_KEY,
    ONE_PLUS_N,
    OTHER_ITEMS,
    QUARTERLY_PLAN,
    SPLIT_OTHER,
    START_DATES,
    YEAR,
    Due,
    Spec,
    _s,
)
from gandang.ledger.models import Area, Item, Milestone, Plan
from gandang.org.models import Leader, Unit, User


def demo_exists() -> bool:
    return Plan.objects.filter(year=YEAR, name=KEY_PLAN).exists()


def is_demo_or_empty(*, also_suffix: str = "") -> bool:
    """No plan the demo did not make (nor, with `also_suffix`, one whose name ends so)."""
    demo_plans = {KEY_PLAN, QUARTERLY_PLAN} | {name for name, _ in ONE_PLUS_N}
    others = Plan.objects.exclude(name__in=demo_plans)
    if also_suffix:
        others = others.exclude(name__endswith=also_suffix)
    return not others.exists()


def has_data() -> bool:
    return any(m.objects.exists() for m in (Area, Plan, Item))


def counts() -> dict[str, int]:
    key_items = Item.objects.filter(plan__year=YEAR, plan__name=KEY_PLAN)
    return {
        "areas": Area.objects.count(),
        "plans": Plan.objects.count(),
        "items": Item.objects.count(),
        "leader_led": key_items.filter(leaders__isnull=False).distinct().count(),
        "other_items": key_items.filter(leaders__isnull=True).count(),
        "milestones": Milestone.objects.count(),
    }


def build(run: registry.DemoRun) -> None:
    _Builder(run).build()


def _month_end(month: int, year: int = YEAR) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _due(due: Due) -> tuple[date | None, str, bool]:
    """(due date, due phrase, no fixed date) for a Spec.due."""
    if isinstance(due, str):
        return None, due, True
    month, text = due if isinstance(due, tuple) else (due, "")
    if not text:
        text = "2023年年底前" if month == 12 else f"2023年{month}月底前"
    return _month_end(month), text, False


def _deliverable(title: str, rng: random.Random) -> str:
    """The deliverable a title implies, else a random one."""
    if "试点" in title:
        return "改革试点"
    if "经验" in title or "推广" in title:
        return "经验做法"
    if any(w in title for w in ("机制", "制度", "体系", "体制")):
        return rng.choice(["制度机制", "制度机制", "政策文件"])
    return rng.choice(DELIVERABLES)


class _Builder:
    def __init__(self, run: registry.DemoRun) -> None:
        self.run = run
        self.today = run.today
        self.rng = random.Random(2023)
        # The org's part of the demo city, built before (gandang.org.demo).
        self.units: dict[str, Unit] = run.results["units"]
        self.leaders: dict[str, Leader] = run.results["leaders"]
        self.office: User = run.results["office"]
        self.areas: dict[str, Area] = {}

    def build(self) -> None:
        with dated(timezone.make_aware(ISSUED_AT)):
            key_plan = self.plans_and_areas()
            self.key_items(key_plan)
            self.one_plus_n()
        Item.objects.all().update(
            created_at=timezone.make_aware(ISSUED_AT), updated_at=timezone.make_aware(ISSUED_AT)
        )
        self.edits(key_plan)

    # -- ledger ---------------------------------------------------------------------------------

    def plans_and_areas(self) -> Plan:
        for order, name in enumerate(AREAS, start=1):
            self.areas[name] = Area.objects.create(name=name, sort_order=order * 10)
        AuditEntry.objects.bulk_create(
            [
                e
                for e in (
                    audit.entry(a, actor=self.office, action=AuditEntry.Action.CREATE)
                    for a in self.areas.values()
                )
                if e
            ]
        )
        return services.plan_save(
            actor=self.office,
            plan=Plan(),
            fields={
                "year": YEAR,
                "name": KEY_PLAN,
                "description": "市委全面深化改革委员会审议通过。其中24项改革事项由市级领导领衔推进，"
                "实行“月调度、季通报、年考核”。",
            },
        )

    def key_items(self, plan: Plan) -> None:
        for spec in LEADER_LED:
            self.item(plan, spec, seq=int(spec.code))
        seq = len(LEADER_LED)
        for area, rows in OTHER_ITEMS.items():
            for title, lead in rows:
                seq += 1
                subs = [
                    _s(f"{seq}-{i}", t, unit, due=month)
                    for i, (t, unit, month) in enumerate(SPLIT_OTHER.get(title, []), start=1)
                ]
                spec = _s(
                    str(seq), title, lead, area=area, subs=subs, key=False if title in NOT_KEY else None
                )
                self.item(plan, spec, seq=seq)
        n = Item.objects.filter(plan=plan).count()
        self.run.say(f"已创建《{KEY_PLAN}》，改革事项 {n} 项（含市级领导领衔 {len(LEADER_LED)} 项）")

    def one_plus_n(self) -> None:
        master = None
        area = self.areas["新型工业化强市建设"]
        for name, rows in ONE_PLUS_N:
            plan = services.plan_save(
                actor=self.office,
                plan=Plan(),
                fields={
                    "year": YEAR,
                    "name": name,
                    "parent": master,
                    "description": ""
                    if master
                    else "组织体系、规划体系、政策体系三个“1+N”工作推进体系的总体方案。",
                },
            )
            master = master or plan
            for seq, (title, lead, co, month) in enumerate(rows, start=1):
                self.item(plan, _s(str(seq), title, lead, co, month, area=area.name), seq=seq)
        self.run.say(f"已创建“1+N”方案体系：{MASTER_PLAN}及{len(ONE_PLUS_N) - 1}个行动方案")

    def item(self, plan: Plan, spec: Spec, *, seq: int, parent: Item | None = None) -> Item:
        rng = self.rng
        area = spec.area or (parent.area.name if parent and parent.area else "")
        due_date, due_text, no_fixed = _due(spec.due if spec.due is not None else self.random_due())
        start = parent.start_date if parent and parent.start_date else rng.choice(START_DATES)
        deliverable = spec.deliverable or _deliverable(spec.title, rng)
        co = spec.co
        if not co and not spec.leaders and not parent and area in CO_POOL:
            pool = [u for u in CO_POOL[area] if u != spec.lead]
            co = rng.sample(pool, rng.choice([0, 1, 1, 2, 2, 3]))
        if spec.key is not None:
            is_key = spec.key
        else:
            is_key = bool(spec.leaders) or (not parent and rng.random() < 0.15)
        goal = spec.goal
        if not goal:
            by = "" if due_date is None else _due(due_date.month)[1]
            body = GOAL_BODIES[deliverable.split("、")[0]].format(due=by)
            goal = rng.choice(GOAL_OPENINGS) + body
        milestones = self.milestones(spec, deliverable, start, due_date)
        item = services.item_create(
            actor=self.office,
            fields={
                "plan": plan,
                "code": spec.code,
                "seq": seq,
                "title": spec.title,
                "goal": goal,
                "deliverable": deliverable,
                "area": self.areas.get(area),
                "lead_unit": self.units[spec.lead],
                "start_date": start,
                "due_date": due_date,
                "no_fixed_date": no_fixed,
                "due_text": due_text,
                "is_key": is_key,
                "parent": parent,
            },
            leaders=[self.leaders[n] for n in spec.leaders],
            co_units=[self.units[n] for n in co],
            milestones=milestones,
        )
        for sub in spec.subs:  # sub-items take the parent's area and start
            self.item(plan, sub, seq=seq, parent=item)
        return item

    def random_due(self) -> Due:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return rng.choice(["长期坚持", "持续推进"])
        if roll < 0.25:
            month = rng.choice([6, 9, 10])
            return (12, f"2023年{month}月底前完成方案，12月底前形成经验")
        return rng.choice([3, 4, 5, 6, 6, 6, 7, 8, 9, 9, 9, 10, 11, 12, 12, 12, 12])

    def milestones(
        self, spec: Spec, deliverable: str, start: date, due: date | None
    ) -> list[services.MilestoneData]:
        rng = self.rng
        if spec.milestones is not None:
            return [
                services.MilestoneData(
                    title=title,
                    due_date=_month_end(month),
                    done_date=_month_end(month) - timedelta(days=rng.randint(2, 12)) if done else None,
                    evidence=evidence,
                )
                for title, month, done, evidence in spec.milestones
            ]
        steps = MILESTONE_STEPS[deliverable.split("、")[0]]
        n = rng.choice([1, 2, 2, 3, 3])
        # Items with no fixed date keep going into next year.
        end = due or date(YEAR + 1, 6, 30)
        dues = []
        for k in range(1, n + 1):
            at = start + (end - start) * k / n
            dues.append(date(at.year, at.month, calendar.monthrange(at.year, at.month)[1]))
        dues = sorted(set(dues))  # a short item has fewer month-ends to spread over
        chosen = {1: steps[-1:], 2: [steps[0], steps[-1]], 3: steps}[len(dues)]
        rows, stalled = [], False
        for (title, evidence), ms_due in zip(chosen, dues, strict=True):
            done_date = None
            # A unit that misses one node usually misses the next ones too: that is what lags.
            if ms_due < self.today and not stalled:
                stalled = rng.random() < 0.15
            if ms_due < self.today and not stalled:
                done_date = max(start, min(ms_due + timedelta(days=rng.randint(-20, 8)), self.today))
            rows.append(
                services.MilestoneData(
                    title=title, due_date=ms_due, done_date=done_date, evidence=evidence if done_date else ""
                )
            )
        return rows

    # -- later edits ----------------------------------------------------------------------------

    def edits(self, plan: Plan) -> None:
        changes: dict[str, Callable[[Item], dict[str, Any]]] = {
            "title": lambda item: {
                "fields": {"title": "深化企业开办和注销便利化改革，推行企业全生命周期“一网通办”"}
            },
            "key": lambda item: {"fields": {"is_key": True}},
            "co_unit": lambda item: {"co_units": [*item.co_units.all(), self.units["泰山区"]]},
            "due": lambda item: {"fields": {"due_date": _month_end(12), "due_text": "2023年年底前"}},
            "milestone": lambda item: self._finish_open_milestone(
                item, "2023年城区高中统一招生录取工作已完成，录取结果已向社会公示"
            ),
            "leader": lambda item: {"leaders": [*item.leaders.all(), self.leaders["贺子谦"]]},
        }
        for ref, when, reason, kind in EDITS:
            item = Item.objects.get(plan=plan, **({"code": ref} if ref.isdigit() else {"title": ref}))
            kwargs = {"fields": {}, **changes[kind](item)}
            with dated(timezone.make_aware(when)):
                services.item_update(
                    actor=self.office, item=item, expected_version=item.version, reason=reason, **kwargs
                )
            Item.objects.filter(pk=item.pk).update(updated_at=timezone.make_aware(when))
        self.run.say(f"已模拟改革办对 {len(EDITS)} 个事项的后续修改（含变更记录）")

    def _finish_open_milestone(self, item: Item, evidence: str) -> dict[str, Any]:
        ms = item.milestones.filter(done_date__isnull=True).order_by("sort_order").first()
        if ms is None:
            return {}
        row = services.MilestoneData(
            id=ms.pk,
            title=ms.title,
            due_date=ms.due_date,
            done_date=ms.due_date - timedelta(days=6) if ms.due_date else self.today,
            evidence=evidence,
        )
        return {"milestones": [row]}
