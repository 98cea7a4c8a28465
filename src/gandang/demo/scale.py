"""A province's worth of ledger, built by bulk SQL: `gandang demo --scale province` and the benches.

A province's reform office follows 16 cities, each with its departments and counties. `build_scale`
adds, in one transaction, a province plan with one sub-plan per city ("1+N"), the cities' units with
a liaison and a head each, `items` reform items spread over them (leaders, co-units, sub-items and
two milestones each), a year's monthly periods up to `months` with one report per item and period
(the closed months accepted, a few late or missed; the last month open and being filled), each
item's light and its snapshot for every closed month, and a listing for some red items.

Rows are written by INSERT … SELECT over a sequence table, so 100,000 items and a million reports
take seconds, not the hours that one save() each would. Every column is written: what a row does not
say takes the model field's default, so a new field with a default needs nothing here.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection, models, transaction

from gandang.core import clock
from gandang.dispatch.models import ItemStatus, Period, Report, StatusSnapshot
from gandang.ledger.models import Area, Item, Milestone, Plan
from gandang.org.models import Leader, Unit, User
from gandang.supervision.models import Listing

CITIES = [
    "济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市",
    "泰安市", "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市",
]  # fmt: skip
DEPARTMENTS = [
    "发展改革委", "教育局", "科技局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源社会保障局", "自然资源和规划局", "生态环境局", "住房城乡建设局", "交通运输局", "水利局",
    "农业农村局", "商务局", "文化和旅游局", "卫生健康委", "市场监管局", "行政审批服务局",
]  # fmt: skip
COUNTIES = ["第一区", "第二区", "第三区", "第一县", "第二县", "第三县", "县级市"]
VERBS = ["深化", "推进", "健全", "完善", "探索", "创新", "优化", "建立"]
TOPICS = [
    "营商环境综合配套改革", "国有企业混合所有制改革", "农村集体产权制度改革", "医药卫生体制改革",
    "生态环境损害赔偿制度改革", "投资项目审批制度改革", "基层治理体系建设", "教育评价改革",
    "要素市场化配置改革", "财政预算管理制度改革", "科技成果转化机制", "城乡融合发展机制",
]  # fmt: skip
PLAN_SUFFIX = "（规模演示）"  # every plan the province adds ends so
SCALE_PLAN = f"全省全面深化改革工作要点{PLAN_SUFFIX}"


def build_scale(*, items: int, months: int = 10, year: int = 2023, stdout=None) -> dict[str, int]:
    """Add a province of `items` items with a report for each of the year's periods (January to `months`
    when the year has none yet); returns the row counts ("created": 0 when it was already there)."""
    say = stdout.write if stdout else (lambda _text: None)
    with transaction.atomic():
        existing = Plan.objects.filter(year=year, name=f"{year}年{SCALE_PLAN}").first()
        if existing is not None and Item.objects.filter(plan__parent=existing).exists():
            return {"created": False, "items": 0, "units": 0, "reports": 0, "periods": 0, "listings": 0}
        office = User.objects.filter(role=User.Role.OFFICE).order_by("pk").first()
        if office is None:
            office = User.objects.create(username="office", role=User.Role.OFFICE, first_name="改革办")
        units = _units()
        leaders = _leaders()
        plan, city_plans = _plans(year)
        areas = list(Area.objects.order_by("pk").values_list("pk", flat=True)) or [
            a.pk
            for a in Area.objects.bulk_create([Area(name=f"改革领域{k}", sort_order=k) for k in range(1, 9)])
        ]
        periods = _periods(year, months, office)
        _sequence(max(items, len(units)))
        first = _items(items, units, areas, city_plans, year)
        say(f"已写入改革事项 {items} 项（{len(units)} 个单位，{len(CITIES)} 个市）\n")
        _links(first, items, units, leaders)
        reports = _reports(first, items, periods)
        say(f"已写入进展报告 {reports} 份（{len(periods)} 个调度期）\n")
        _statuses(first, items, periods)
        listed = _listings(first, items, office)
        _drop_sequence()
    return {
        "created": True,
        "items": items,
        "units": len(units),
        "reports": reports,
        "periods": len(periods),
        "listings": listed,
    }


# --- the bulk writer -------------------------------------------------------------------------------


def insert_select(model: type[models.Model], source: str, values: dict[str, str]) -> int:
    """INSERT INTO model's table SELECT … FROM source: `values` maps a field name to its SQL
    expression over the source; every other field takes its default (or now, or NULL)."""
    q = connection.ops.quote_name
    cols, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.name in values:
            expr = values[field.name].replace("%", "%%")  # the driver's placeholders are %s
        elif field.primary_key:
            continue
        elif isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            expr, value = "%s", clock.now()
            params.append(field.get_db_prep_save(value, connection))
        elif field.has_default() or (field.empty_strings_allowed and not field.null and field.blank):
            expr = "%s"
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            expr = "NULL"
        else:
            raise ValueError(f"{model.__name__}.{field.name} has no value and no default")
        cols.append(q(field.column))
        exprs.append(expr)
    sql = f"INSERT INTO {q(model._meta.db_table)} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source.replace('%', '%%')}"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def _sequence(n: int) -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS gandang_seq")
        cur.execute("CREATE TEMPORARY TABLE gandang_seq (i integer PRIMARY KEY)")
        cur.executemany("INSERT INTO gandang_seq (i) VALUES (%s)", [(i,) for i in range(n)])


def _drop_sequence() -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS gandang_seq")


def _date(d: date) -> str:
    return f"DATE '{d.isoformat()}'" if connection.vendor == "postgresql" else f"'{d.isoformat()}'"


def _true(condition: str) -> str:
    """A boolean column's value from an SQL condition (SQLite keeps booleans as 0/1)."""
    return (
        f"({condition})"
        if connection.vendor == "postgresql"
        else f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"
    )


def _pick(index_sql: str, choices: Sequence[Any], render=str) -> str:
    """CASE (index_sql) % len(choices) WHEN k THEN choices[k] …"""
    whens = " ".join(f"WHEN {k} THEN {render(c)}" for k, c in enumerate(choices))
    return f"(CASE ({index_sql}) % {len(choices)} {whens} END)"


def _text(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --- the province ---------------------------------------------------------------------------------


def _unit_kinds() -> dict[str, str]:
    """Each city's government, departments and counties, by name, with their kind."""
    names: dict[str, str] = {f"{c}人民政府": Unit.Kind.COUNTY for c in CITIES}
    for c in CITIES:
        names |= {f"{c}{d}": Unit.Kind.DEPARTMENT for d in DEPARTMENTS}
        names |= {f"{c}{k}": Unit.Kind.COUNTY for k in COUNTIES}
    return names


def unit_names() -> list[str]:
    return list(_unit_kinds())


def leader_names() -> list[str]:
    return [f"省领导{k:02d}" for k in range(1, 25)]


def _units() -> list[int]:
    """The cities' governments, departments and counties (existing names are kept, not repeated)."""
    names = _unit_kinds()
    have = set(Unit.objects.filter(name__in=names).values_list("name", flat=True))
    Unit.objects.bulk_create(
        [
            Unit(name=n, kind=kind, sort_order=1000 + k)
            for k, (n, kind) in enumerate(names.items())
            if n not in have
        ]
    )
    ids = dict(Unit.objects.filter(name__in=names).values_list("name", "pk"))
    pw = User.objects.filter(role=User.Role.OFFICE).values_list("password", flat=True).first() or "!"
    taken = set(User.objects.filter(unit_id__in=ids.values()).values_list("unit_id", flat=True))
    User.objects.bulk_create(
        [
            User(username=f"p{pk}_{role}", password=pw, role=role, unit_id=pk, first_name=f"{name[:12]}")
            for name, pk in ids.items()
            if pk not in taken
            for role in (User.Role.LIAISON, User.Role.HEAD)
        ]
    )
    return sorted(ids.values())


def _leaders() -> list[int]:
    names = leader_names()
    have = set(Leader.objects.filter(name__in=names).values_list("name", flat=True))
    Leader.objects.bulk_create([Leader(name=n, title="副省长") for n in names if n not in have])
    return list(Leader.objects.filter(name__in=names).values_list("pk", flat=True))


def _plans(year: int) -> tuple[Plan, list[int]]:
    plan, _ = Plan.objects.get_or_create(year=year, name=f"{year}年{SCALE_PLAN}")
    city_plans = [
        Plan.objects.get_or_create(
            year=year, name=f"{year}年{c}改革工作要点{PLAN_SUFFIX}", defaults={"parent": plan}
        )[0].pk
        for c in CITIES
    ]
    return plan, city_plans


def _periods(year: int, months: int, office: User) -> list[Period]:
    """The year's periods as they stand (the demo city's, its open month included), or else January
    to `months`, the last one open."""
    have = list(Period.objects.filter(plan__isnull=True, year=year).order_by("month"))
    if have:
        return have
    periods = []
    for month in range(1, months + 1):
        last = calendar.monthrange(year, month)[1]
        period, _ = Period.objects.get_or_create(
            year=year,
            month=month,
            plan=None,
            defaults={
                "opens_on": date(year, month, 1),
                "deadline": date(year, month, min(25, last)),
                "state": Period.State.OPEN if month == months else Period.State.CLOSED,
                "opened_by": office,
            },
        )
        periods.append(period)
    return periods


def _items(n: int, units: list[int], areas: list[int], plans: list[int], year: int) -> int:
    """n items; returns the first one's id (the ids that follow are consecutive)."""
    start = (Item.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    due = [date(year, m, calendar.monthrange(year, m)[1]) for m in (3, 6, 6, 9, 10, 11, 12, 12, 12, 12)]
    insert_select(
        Item,
        f"gandang_seq s WHERE s.i < {n}",
        {
            "id": f"{start} + s.i",
            "plan": _pick("s.i", plans),
            "code": "'S' || s.i",
            "seq": "s.i",
            "title": f"{_pick('s.i', VERBS, _text)} || {_pick('s.i / 7', TOPICS, _text)} || '（' || s.i || '）'",
            "goal": "'到年底前形成可复制可推广的制度成果，并在全省推开。'",
            "area": _pick("s.i", areas),
            "lead_unit": _pick("s.i", units),
            "start_date": _date(date(year, 1, 1)),
            "due_date": _pick("s.i / 3", due, _date),
            "due_text": "''",
            "is_key": _true("s.i % 5 = 0"),
            "parent": f"(CASE WHEN s.i % 20 = 19 THEN {start} + s.i - 1 ELSE NULL END)",
        },
    )
    _reset_sequence(Item)
    return start


def _links(first: int, n: int, units: list[int], leaders: list[int]) -> None:
    insert_select(
        Item.leaders.through,
        f"gandang_seq s WHERE s.i < {n} AND s.i % 10 = 0",
        {"item": f"{first} + s.i", "leader": _pick("s.i / 10", leaders)},
    )
    insert_select(
        Item.co_units.through,
        f"gandang_seq s WHERE s.i < {n}",
        {"item": f"{first} + s.i", "unit": _pick("s.i + 7", units)},
    )
    for k, month in enumerate((6, 12)):
        insert_select(
            Milestone,
            f"gandang_seq s JOIN ledger_item i ON i.id = {first} + s.i WHERE s.i < {n}",
            {
                "item": "i.id",
                "title": _text("形成阶段性成果" if k == 0 else "全面完成改革任务"),
                "due_date": _date(date(2023, month, 30 if month == 6 else 31)),
                "sort_order": str(k),
            },
        )


def _reports(first: int, n: int, periods: list[Period]) -> int:
    total = 0
    for period in periods:
        is_open = period.state == Period.State.OPEN
        state = (
            _pick("i.id", ["'draft'", "'draft'", "'submitted'", "'signed'", "'accepted'", "'accepted'"])
            if is_open
            else "(CASE WHEN i.id % 97 = 0 THEN 'draft' ELSE 'accepted' END)"
        )
        total += insert_select(
            Report,
            f"ledger_item i WHERE i.id >= {first} AND i.id < {first + n}",
            {
                "item": "i.id",
                "period": str(period.pk),
                "unit": "i.lead_unit_id",
                "state": state,
                "progress": f"'{period.month}月，' || i.title || '按计划推进，已完成阶段性工作。'",
                "problems": "'无'",
                "next_steps": "'继续按时间节点推进。'",
                "percent": f"(i.id % 10) * 5 + {period.month * 5}",
                "is_late": _true("i.id % 31 = 0"),
                "is_missing": _true("i.id % 97 = 0") if not is_open else _true("1 = 0"),
                "submitted_at": "NULL" if is_open else _pick("0", [_date(period.deadline)]),
                "accepted_at": "NULL" if is_open else _pick("0", [_date(period.deadline)]),
            },
        )
    return total


def _statuses(first: int, n: int, periods: list[Period]) -> None:
    status = "(CASE WHEN i.id % 20 = 0 THEN 'red' WHEN i.id % 7 = 0 THEN 'yellow' ELSE 'green' END)"
    reason = "(CASE WHEN i.id % 20 = 0 THEN '进度滞后于时间节点' WHEN i.id % 7 = 0 THEN '本月报告逾期' ELSE '按计划推进' END)"
    source = f"ledger_item i WHERE i.id >= {first} AND i.id < {first + n}"
    insert_select(ItemStatus, source, {"item": "i.id", "status": status, "reason": reason, "percent": "50"})
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE ledger_item SET status = (SELECT s.status FROM dispatch_itemstatus s WHERE s.item_id ="
            " ledger_item.id), status_reason = (SELECT s.reason FROM dispatch_itemstatus s WHERE s.item_id ="
            f" ledger_item.id) WHERE id >= {first} AND id < {first + n}"
        )
    for period in periods:
        if period.state == Period.State.CLOSED:
            insert_select(
                StatusSnapshot,
                source,
                {
                    "item": "i.id",
                    "period": str(period.pk),
                    "status": status,
                    "reason": reason,
                    "percent": str(period.month * 8),
                    "lead_unit": "i.lead_unit_id",
                },
            )


def _listings(first: int, n: int, office: User) -> int:
    today = clock.today()
    return insert_select(
        Listing,
        f"ledger_item i WHERE i.id >= {first} AND i.id < {first + n} AND i.id % 400 = 0",
        {
            "item": "i.id",
            "unit": "i.lead_unit_id",
            "trigger": "'red'",
            "reason": "'连续两个调度期亮红灯'",
            "level": "'office'",
            "requirements": "'请于整改时限前报送整改报告。'",
            "deadline": _date(date(today.year, 12, 31)),
            "listed_by": str(office.pk),
            "listed_on": _date(today),
        },
    )


def _reset_sequence(model: type[models.Model]) -> None:
    """PostgreSQL's id sequence past the ids written by hand."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cur.execute(sql)
