"""Reads of the ledger that are more than one line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from gandang.core import audit, clock
from gandang.core.keyed import KeyedRows
from gandang.core.links import pk_url
from gandang.core.paging import deferred_page
from gandang.ledger import extensions
from gandang.ledger.access import items_visible_to
from gandang.ledger.models import (
    Item,
    JointLead,
    Milestone,
    due_label,
    involving,
    joint_lead_prefetch,
    led_by,
)
from gandang.org.models import User

SORTS = {
    # Newest plans first, each plan's items together in ledger order (sub-items after their parent).
    "code": ["-plan__year", "plan_id", "seq", "code"],
    "-code": ["-plan__year", "plan_id", "-seq", "-code"],
    "title": ["title"],
    "-title": ["-title"],
    "due": ["no_fixed_date", "due_date", "code"],
    "-due": ["-no_fixed_date", "-due_date", "code"],
    "unit": ["lead_unit__sort_order", "lead_unit__name", "code"],
    "-unit": ["-lead_unit__sort_order", "-lead_unit__name", "code"],
    "updated": ["updated_at"],
    "-updated": ["-updated_at"],
}

# Labels marked for the catalog here, translated where shown (ItemFilterForm).
DUE_WINDOWS = {
    "overdue": gettext_noop("已过完成时限"),
    "30d": gettext_noop("30天内到期"),
    "month": gettext_noop("本月到期"),
    "quarter": gettext_noop("本季度到期"),
    "year": gettext_noop("本年度到期"),
    "none": gettext_noop("长期坚持/持续推进"),
}


def _today() -> date:
    return clock.today()


def due_window_range(window: str, today: date | None = None) -> tuple[date | None, date | None]:
    today = today or _today()
    if window == "overdue":
        return None, today - timedelta(days=1)
    if window == "30d":
        return today, today + timedelta(days=30)
    if window == "month":
        first = today.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if window == "quarter":
        q0 = (today.month - 1) // 3 * 3 + 1
        first = today.replace(month=q0, day=1)
        nxt = (first + timedelta(days=95)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if window == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return None, None


def item_list(user: User, filters: dict[str, Any]) -> QuerySet[Item]:
    """The items `user` may see, narrowed by the list filters (cleaned data of ItemFilterForm)."""
    order = SORTS.get(filters.get("sort") or "code", SORTS["code"])
    return (
        items_filtered(user, filters)
        .select_related("plan", "area", "lead_unit", "parent")
        .prefetch_related("leaders", "co_units")
        .order_by(*order)
    )


# What a row of the ledger list shows (ledger/item_list.html): the page reads these columns alone, as dicts.
LIST_ROW_VALUES = (
    "pk",
    "code",
    "title",
    "status",
    "status_reason",
    "no_effect",
    "no_effect_reason",
    "is_key",
    "parent_id",
    "is_archived",
    "due_date",
    "no_fixed_date",
    "due_text",
    "area__name",
    "lead_unit__name",
)


def _n_children() -> Subquery:
    """The sub-items of each row, counted for the page's rows alone (an index on parent serves it)."""
    return Subquery(
        Item.objects.filter(parent_id=OuterRef("pk"))
        .order_by()
        .values("parent_id")
        .annotate(n=Count("id"))
        .values("n")
    )


# What the ledger list shows of its page's items, each read by SQL compiled once (core.keyed): the rows
# as dicts (no model, deferred-field bookkeeping nor related object per row), and names alone, as
# (item, name) rows (no model nor related manager per leader or unit of a row).
_LIST_ROWS = KeyedRows(
    lambda: extensions.with_badges(Item.objects.annotate(n_children=Coalesce(_n_children(), 0))).values(
        *LIST_ROW_VALUES, "n_children", *(f"flag_{f.key}" for f in extensions.flags())
    )
)
_LEADER_NAMES = KeyedRows(
    lambda: Item.leaders.through.objects.order_by(
        "leader__sort_order", "leader__name", "leader_id"
    ).values_list("item_id", "leader__name"),
    key="item_id",
)
_CO_UNIT_NAMES = KeyedRows(
    lambda: Item.co_units.through.objects.order_by("unit__sort_order", "unit__name", "unit_id").values_list(
        "item_id", "unit__name"
    ),
    key="item_id",
)
_JOINT_LEAD_NAMES = KeyedRows(
    lambda: JointLead.objects.order_by("order", "id").values_list("item_id", "unit__name"), key="item_id"
)


def item_page(user: User, filters: dict[str, Any], number: int | str | None, *, full: bool = False) -> Page:
    """One page of the ledger list, in two steps so that only the page's rows are joined and counted:
    the matching ids in list order (the one query that reads every match, served by indexes), then
    those items with what the list shows (LIST_ROW_VALUES, the sub-item count, leaders' and co-units'
    names, badges) as dicts, or with `full`, every column of each item with its plan and parent (the
    JSON list) as models. Leaders' and co-units' names are lists (`leader_names`, `co_unit_names`), in
    the order of their models; joint lead units' names `joint_lead_names`, in the plan's order."""
    order = SORTS.get(filters.get("sort") or "code", SORTS["code"])
    ordered = items_filtered(user, filters).order_by(*order)
    if full:

        def rows(qs: QuerySet[Item]) -> QuerySet:
            return (
                extensions.with_badges(qs.annotate(n_children=Coalesce(_n_children(), 0)))
                .select_related("plan", "area", "lead_unit", "parent")
                .prefetch_related(joint_lead_prefetch())
            )

        page = deferred_page(ordered, number, rows=rows)
    else:
        page = deferred_page(ordered, number, read=_LIST_ROWS)
    ids = [it.pk for it in page] if full else [it["pk"] for it in page]
    leaders = _names_by_item(_LEADER_NAMES(ids))
    co_units = _names_by_item(_CO_UNIT_NAMES(ids))
    # The joint lead units' names in the plan's order (the JSON list's models have them prefetched).
    joint = {} if full else joint_lead_names(ids)
    for it in page:
        if full:
            it.leader_names = leaders.get(it.pk, [])
            it.co_unit_names = co_units.get(it.pk, [])
        else:
            it["leader_names"] = leaders.get(it["pk"], [])
            it["co_unit_names"] = co_units.get(it["pk"], [])
            it["joint_lead_names"] = joint.get(it["pk"], [])
            it["badges"] = [f.badge for f in extensions.flags() if it[f"flag_{f.key}"]]  # e.g. 挂牌
    return page


def joint_lead_names(item_ids: list[int]) -> dict[int, list[str]]:
    """Each item's joint lead units' names in the plan's order, for rows read as dicts (one query)."""
    return _names_by_item(_JOINT_LEAD_NAMES(item_ids))


def short_lists(*lists: QuerySet[Item]) -> list[list[dict[str, Any]]]:
    """Ordered and sliced querysets of items as short lists show them (the workbench's 即将到期 and
    时间节点逾期): each item's code, title, due date, page `url` and every lead unit (`lead_units`, joint
    leads too, as the ledger shows them), as dicts; the joint lead units of all the lists read in one query."""
    read: list[list[dict[str, Any]]] = [
        [dict(row) for row in qs.values("pk", "code", "title", "due_date", "lead_unit__name")] for qs in lists
    ]
    joint = joint_lead_names([row["pk"] for rows in read for row in rows])
    for rows in read:
        for row in rows:
            first = [row["lead_unit__name"]] if row["lead_unit__name"] is not None else []
            row["url"] = pk_url("ledger:item_detail", row["pk"])
            row["lead_units"] = "、".join([*first, *joint.get(row["pk"], [])])
    return read


def _names_by_item(rows) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for item_id, name in rows:
        out.setdefault(item_id, []).append(name)
    return out


def items_filtered(user: User, filters: dict[str, Any]) -> QuerySet[Item]:
    """The distinct items matching the list filters, unordered: the one query behind the ledger list's
    count, the dashboard's figures and the bulletin's, so the three always agree."""
    qs = items_visible_to(user)
    joins = False  # a filter through a to-many relation (leaders, sub-items, milestones) repeats rows
    if not filters.get("archived"):
        qs = qs.filter(is_archived=False)
    if filters.get("plan"):
        plan = filters["plan"]
        qs = qs.filter(Q(plan=plan) | Q(plan__parent=plan))
    if filters.get("area"):
        qs = qs.filter(area=filters["area"])
    if filters.get("unit"):  # led, first or jointly, or co-operated on
        qs = qs.filter(involving(filters["unit"].pk))
    if filters.get("lead_unit"):  # first or joint lead
        qs = qs.filter(led_by(filters["lead_unit"].pk))
    if filters.get("leader"):
        qs = qs.filter(leaders=filters["leader"])
        joins = True
    flag = filters.get("flag")
    if flag == "key":
        qs = qs.filter(is_key=True)
    elif flag == "leader_led":
        qs = qs.filter(leaders__isnull=False)
        joins = True
    elif flag == "split":
        qs = qs.filter(children__isnull=False)
        joins = True
    elif flag == "sub":
        qs = qs.filter(parent__isnull=False)
    elif flag == "overdue_ms":
        qs = qs.filter(milestones__due_date__lt=_today(), milestones__done_date__isnull=True)
        joins = True
    elif flag and (other := extensions.flag(flag)) is not None:  # e.g. 挂牌督办中, from supervision
        qs = qs.filter(other.expression())
        joins = True  # an extension's expression may join
    for extra in extensions.filters():  # e.g. lagging at a closed period's end, from the bulletins
        if filters.get(extra.key):
            qs = qs.filter(extra.condition(filters[extra.key]))
    status = filters.get("status")  # the summary the monthly dispatch writes onto the item
    if status == "no_effect":
        qs = qs.filter(no_effect=True)
    elif status:
        qs = qs.filter(status=status)
    window = filters.get("due")
    if window == "none":
        qs = qs.filter(no_fixed_date=True)
    elif window:
        start, end = due_window_range(window)
        if start:
            qs = qs.filter(due_date__gte=start)
        if end:
            qs = qs.filter(due_date__lte=end)
    if filters.get("due_from"):
        qs = qs.filter(due_date__gte=filters["due_from"])
    if filters.get("due_to"):
        qs = qs.filter(due_date__lte=filters["due_to"])
    text = (filters.get("q") or "").strip()
    if text:
        for word in text.split():
            qs = qs.filter(Q(code__icontains=word) | Q(title__icontains=word) | Q(goal__icontains=word))
    # The to-many joins above can repeat rows: then select ids first, and order the distinct items.
    return Item.objects.filter(pk__in=qs.values("pk")) if joins else qs


def item_for_export(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("sort_order", "due_date", "id"))
    )


# What the item page's table of sub-items shows of each.
_CHILD_VALUES = ("pk", "code", "title", "lead_unit__name", "due_date", "no_fixed_date", "due_text")


def item_detail(item: Item) -> dict[str, Any]:
    """Everything the ledger's part of the item page shows, in few queries (other apps add their
    panels through gandang.ledger.extensions)."""
    # The item's joint lead units (its 牵头单位 as the list writes them, and the note on who submits), and
    # its sub-items as their table shows them with theirs: one read, a row per item and joint lead unit
    # (dicts: no model with every column per row).
    joint: dict[int, list[str]] = {}
    rows: dict[int, dict[str, Any]] = {}
    for r in (
        Item.objects.filter(Q(pk=item.pk) | Q(parent_id=item.pk, is_archived=False))
        .order_by("seq", "code", "joint_lead_links__order", "joint_lead_links__id")
        .values(*_CHILD_VALUES, "joint_lead_links__unit__name")
    ):
        names = joint.setdefault(r["pk"], [])
        if r["joint_lead_links__unit__name"]:
            names.append(r["joint_lead_links__unit__name"])
        if r["pk"] != item.pk:
            rows.setdefault(r["pk"], r)
    children = [
        {
            "code": c["code"],
            "title": c["title"],
            "url": pk_url("ledger:item_detail", c["pk"]),
            "lead_unit": "、".join([c["lead_unit__name"] or "", *joint.get(c["pk"], [])]).strip("、"),
            "due": due_label(c["due_date"], c["no_fixed_date"], c["due_text"]),
        }
        for c in rows.values()
    ]
    joint_leads = joint.get(item.pk, [])
    lead_unit = item.lead_unit.name if item.lead_unit else ""
    # The model's order within one item, without joining the item and its plan to sort by them; the dates
    # as the table writes them (2023-06-30).
    milestones = Milestone.objects.filter(item=item).order_by("sort_order", "due_date", "id")
    return {
        "milestones": [
            {
                "title": m["title"],
                "due": m["due_date"].isoformat() if m["due_date"] else "",
                "done": m["done_date"].isoformat() if m["done_date"] else "",
                "evidence": m["evidence"],
            }
            for m in milestones.values("title", "due_date", "done_date", "evidence")
        ],
        "children": children,
        "history": audit.labelled(audit.history_for(item)[:200]),
        "leaders": list(item.leaders.all()),
        "lead_units": "、".join([lead_unit, *joint_leads]).strip("、"),
        "joint_leads": joint_leads,
        # The co-units' names in the units' order.
        "co_units": list(
            Item.co_units.through.objects.filter(item_id=item.pk)
            .order_by("unit__sort_order", "unit__name")
            .values_list("unit__name", flat=True)
        ),
    }
