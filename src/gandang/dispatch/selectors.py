"""Reads of the monthly dispatch that are more than one line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When

from gandang.core.paging import keyed_page
from gandang.dispatch.access import reports_visible_to
from gandang.dispatch.engine import unit_timeliness
from gandang.dispatch.models import (
    Attachment,
    Contribution,
    Period,
    Report,
    ReportMilestone,
    ReportStep,
    SnapshotJointLead,
    StatusSnapshot,
    period_label,
    snapshot_joint_lead_prefetch,
)
from gandang.ledger.models import Item, JointLead, Milestone, joint_lead_prefetch
from gandang.org.models import Unit, User

S = Report.State


def period_list(user: User) -> list[dict[str, Any]]:
    """Periods, newest first, with the report counts this user may see."""
    counts: dict[int, dict[str, int]] = {}
    rows = reports_visible_to(user).values("period_id", "state").annotate(n=Count("id"))
    for row in rows:
        counts.setdefault(row["period_id"], {})[row["state"]] = row["n"]
    out = []
    for p in Period.objects.select_related("plan"):
        c = counts.get(p.pk, {})
        out.append(
            {
                "period": p,
                "total": sum(c.values()),
                "accepted": c.get(S.ACCEPTED, 0),
                "signed": c.get(S.SIGNED, 0),
            }
        )
    return out


def _with_details(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.select_related("item", "unit", "item__lead_unit", "period", "period__plan").prefetch_related(
        "attachments",
        "contributions__unit",
        joint_lead_prefetch("item__"),
        "reached__milestone",
        Prefetch("item__milestones", queryset=Milestone.objects.order_by("sort_order", "due_date", "id")),
    )


@dataclass
class CardParts:
    """What a report card shows of its report besides the text (cards.build): its item's milestones in
    order, those the report says were reached, its attachments."""

    milestones: list[Milestone]
    reached: list[ReportMilestone]
    attachments: list[Attachment]


def card_parts(reports: Sequence[Report]) -> dict[int, CardParts]:
    """The parts of each report's card, by report id, read for a page of cards at once (one query
    each, in plain lists: a report's own relations are not filled, so they never go stale)."""
    ids = [r.pk for r in reports]
    milestones: dict[int, list[Milestone]] = {r.item_id: [] for r in reports}
    for m in Milestone.objects.filter(item_id__in=list(milestones)).order_by("sort_order", "due_date", "id"):
        milestones[m.item_id].append(m)
    reached: dict[int, list[ReportMilestone]] = {pk: [] for pk in ids}
    for x in ReportMilestone.objects.filter(report_id__in=ids):
        reached[x.report_id].append(x)
    attached: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    for a in Attachment.objects.filter(report_id__in=ids):
        attached[a.report_id].append(a)
    return {r.pk: CardParts(milestones[r.item_id], reached[r.pk], attached[r.pk]) for r in reports}


def review_rows(user: User, period: Period, filters: dict[str, str]) -> QuerySet[Report]:
    qs = reports_visible_to(user).filter(period=period)
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    flag = filters.get("flag")
    if flag == "copy":
        qs = qs.filter(is_copy=True)
    elif flag == "late":
        qs = qs.filter(is_late=True)
    elif flag == "missing":
        qs = qs.filter(submitted_at__isnull=True, is_missing=True)
    return qs.select_related("item", "unit").order_by(
        "unit__sort_order", "unit__name", "item__seq", "item__code"
    )


def review_summary(period: Period) -> dict[str, Any]:
    """The office's one-screen view of a period: counts by state and each unit's timeliness."""
    by_state = dict(
        Report.objects.filter(period=period).values_list("state").annotate(n=Count("id")).order_by()
    )
    counts = unit_timeliness(period)
    units = Unit.objects.in_bulk(counts)
    timeliness: list[dict[str, Any]] = [
        {"unit": units[uid], **row} for uid, row in counts.items() if uid in units
    ]
    timeliness.sort(key=lambda r: (-(r["missing"] + r["late"]), r["unit"].sort_order, r["unit"].name))
    return {
        "by_state": {s: by_state.get(s, 0) for s in S.values},
        "total": sum(by_state.values()),
        "copies": Report.objects.filter(period=period, is_copy=True).count(),
        "timeliness": timeliness,
    }


CO_PAGE = 20  # rows of the co-unit table a page (a county bureau may help with hundreds of items)
FILL_PAGE = 20  # report cards per page of a unit's month (a province's unit may lead hundreds of items)
_FILL_ORDER = Case(
    When(state=S.RETURNED, then=0),
    When(state=S.DRAFT, then=1),
    When(state=S.SUBMITTED, then=2),
    When(state=S.SIGNED, then=3),
    default=4,
)


def unit_reports(
    user: User,
    period: Period,
    *,
    number: int | str | None = None,
    posted: Collection[int] | None = None,
) -> dict[str, Any]:
    """A unit member's month: its own reports in fill order (returned ones first, then drafts, then
    those on their way). `shown` are the reports that get a card, each with its item and `period`, and
    `parts` their cards' parts (card_parts): page `number` of them (FILL_PAGE a page), or, for a form
    sent back, those whose cards it carried (`posted`), whatever page they were on. `by_state` counts
    every own report by state; `own` is every own report (a queryset: for the confirmation of
    全部提交签发)."""
    unit_id = user.unit_id or 0
    ordered = Report.objects.filter(period=period, unit_id=unit_id).order_by(
        _FILL_ORDER, "item__seq", "item__code"
    )
    # The whole month once, as (id, state): the counts, the pager and the page's ids.
    order = list(ordered.values_list("pk", "state"))
    by_state = Counter(state for _pk, state in order)

    def rows(ids: list[int]) -> list[Report]:
        found = {r.pk: r for r in Report.objects.filter(pk__in=ids).select_related("item").order_by()}
        reports = [found[pk] for pk in ids if pk in found]
        for r in reports:
            r.period = period  # the period the page shows (with its plan), not read again per report
        return reports

    page = None
    if posted is not None:
        wanted = set(posted)
        shown = rows([pk for pk, _state in order if pk in wanted])
    else:
        page = keyed_page([pk for pk, _state in order], number, rows=rows, per_page=FILL_PAGE)
        shown = list(page)
    return {
        "own": ordered,
        "by_state": by_state,
        "shown": shown,
        "parts": card_parts(shown),
        "page": page,
    }


def co_reports(user: User, period: Period, number: int | str | None = None) -> dict[str, Any]:
    """The reports of the month the unit helps with (a joint lead or a co-unit of their items: the first
    lead unit files them), as the fill page's table: page `number` (CO_PAGE a page), those it has not
    yet written its part for first, each a dict of the report's pk and state, its item's id, code and
    title, the unit filing it (`unit__name`), whether this unit leads it jointly (`joint`) and the
    text of this unit's part (`part`, None when not written); `waiting` counts those without it."""
    unit_id = user.unit_id or 0
    own_part = Contribution.objects.filter(unit_id=unit_id)
    joint = JointLead.objects.filter(unit_id=unit_id)
    # The items' ids, co-operated on or led jointly, each read by its index and the two united (an OR
    # of the two would make PostgreSQL test each report of the month against both).
    helped = (
        Item.co_units.through.objects.filter(unit_id=unit_id)
        .order_by()
        .values("item_id")
        .union(joint.order_by().values("item_id"), all=True)
    )
    co = (
        Report.objects.filter(item_id__in=helped, period=period)
        .exclude(unit_id=unit_id)
        .annotate(written=Exists(own_part.filter(report_id=OuterRef("pk"))))
        .order_by("written", "item__seq", "item__code")
    )
    # All of them once, as (id, written): the pager's count, how many wait for the unit, the page's ids.
    order = list(co.values_list("pk", "written"))
    co_page = keyed_page(
        [pk for pk, _written in order],
        number,
        rows=lambda ids: (
            Report.objects.filter(pk__in=ids)
            .order_by()
            .values(
                "pk",
                "state",
                "item_id",
                "item__code",
                "item__title",
                "unit__name",
                joint=Exists(joint.filter(item_id=OuterRef("item_id"))),
                part=Subquery(own_part.filter(report_id=OuterRef("pk")).values("text")[:1]),
            )
        ),
        per_page=CO_PAGE,
    )
    return {
        "rows": list(co_page),
        "page": co_page,
        "waiting": sum(1 for _pk, written in order if not written),
    }


def _roles(joint_leads: list[Unit], contributions: list[Contribution]) -> list[Contribution]:
    """Each contribution marked `joint` when its unit leads the item jointly (else it is a co-unit's)."""
    joint = {u.pk for u in joint_leads}
    for c in contributions:
        c.joint = c.unit_id in joint
    return contributions


def _joint_leads_of(report: Report) -> list[Unit]:
    """The item's joint lead units for the report's period: as its snapshot froze them once the period
    closed (a later change in the ledger does not rewrite who led it then), else as the ledger has them."""
    item = report.item
    if report.period.state == Period.State.CLOSED:
        snap = (
            StatusSnapshot.objects.filter(item_id=item.pk, period_id=report.period_id)
            .prefetch_related(snapshot_joint_lead_prefetch())
            .first()
        )
        if snap is not None:
            return snap.joint_leads
    if not hasattr(item, "joint_lead_rows"):  # read once for the page: its contributions and its form
        item.joint_lead_rows = list(JointLead.objects.filter(item=item).select_related("unit"))
    return item.joint_leads


def report_detail(report: Report) -> dict[str, Any]:
    joint_leads = _joint_leads_of(report)
    previous = None
    prev_period = report.period.previous()
    if prev_period:
        previous = Report.objects.filter(item_id=report.item_id, period=prev_period).first()
    return {
        "steps": list(ReportStep.objects.filter(report=report).select_related("actor")),
        "revisions": list(report.revisions.select_related("actor")),
        "attachments": list(report.attachments.all()),
        "contributions": _roles(joint_leads, list(report.contributions.select_related("unit", "author"))),
        "reached": list(report.reached.select_related("milestone")),
        "milestones": list(report.item.milestones.all()),
        "previous": previous,
        "joint_leads": joint_leads,
    }


def todo_counts(user: User) -> dict[str, Any]:
    """What waits for this user in open periods (the workbench)."""
    # A unit's own reports in the open periods, which its members always see (only what the unit files
    # waits for them): the open periods by id, not by a join on their state, and no test of visibility
    # (its OR over co-operated and jointly led items), so the (unit, period, state) index reads only
    # those few rows instead of every report the unit ever had.
    open_ids = Period.objects.filter(state=Period.State.OPEN).values("pk")
    mine = Report.objects.filter(period_id__in=open_ids, unit_id=user.unit_id or 0)
    ctx: dict[str, Any] = {}
    if user.role == User.Role.LIAISON:
        ctx["returned"] = list(
            mine.filter(state=S.RETURNED)
            .select_related("item", "period", "period__plan")
            .order_by("period__year", "period__month")
        )
        ctx["fill_periods"] = list(
            Period.objects.filter(state=Period.State.OPEN, reports__unit_id=user.unit_id or 0)
            .select_related("plan")
            .annotate(
                n=Count(
                    "reports",
                    filter=Q(reports__unit_id=user.unit_id or 0)
                    & Q(reports__state__in=[S.DRAFT, S.RETURNED]),
                )
            )
            .order_by("-year", "-month")
        )
    if user.role == User.Role.HEAD:
        ctx["to_approve"] = list(
            mine.filter(state=S.SUBMITTED).select_related("item", "period", "period__plan")
        )
    if user.role == User.Role.OFFICE:
        # The office sees every report: its figures are the open periods' own, in one pass over them.
        signed = Q(reports__state=S.SIGNED)
        ctx["review_periods"] = list(
            Period.objects.filter(state=Period.State.OPEN)
            .select_related("plan")
            .annotate(
                n=Count("reports", filter=signed),
                copies=Count("reports", filter=signed & Q(reports__is_copy=True)),
                late=Count("reports", filter=Q(reports__is_missing=True, reports__submitted_at__isnull=True)),
            )
            .order_by("-year", "-month")
        )
        for key, figure in (("to_review", "n"), ("copies", "copies"), ("late", "late")):
            ctx[key] = sum(getattr(p, figure) for p in ctx["review_periods"])
    if user.is_unit_member:
        ctx["late"] = mine.filter(is_missing=True, submitted_at__isnull=True).count()
    return ctx


def item_months(item) -> list[dict[str, Any]]:
    """An item's month by month record, newest first: each period's name, the item's status snapshot in
    it (with who led the item then) and its report, as dicts of what the item page's table shows (no
    model, deferred-field bookkeeping nor related object per row; no sort by the database's joins)."""
    # Each report with its period's name (a period with a snapshot and no report is read below).
    periods: dict[int, tuple[int, int, str]] = {}
    reports: dict[int, dict[str, Any]] = {}
    for r in (
        Report.objects.filter(item_id=item.pk)
        .order_by()
        .values("period_id", "id", "state", "percent", "is_late", "is_copy", *_PERIOD_NAME)
    ):
        reports[r["period_id"]] = r
        periods[r["period_id"]] = _period(*(r[f] for f in _PERIOD_NAME))
    # One row per snapshot and joint lead unit as of its period (most have none), in the plan's order.
    snaps: dict[int, dict[str, Any]] = {}
    for s in (
        StatusSnapshot.objects.filter(item_id=item.pk)
        .order_by("joint_lead_links__order", "joint_lead_links__id")
        .values(
            "period_id", "status", "reason", "no_effect", "lead_unit__name", "joint_lead_links__unit__name"
        )
    ):
        snap = snaps.setdefault(
            s["period_id"], {**s, "lead_units": [s["lead_unit__name"]] if s["lead_unit__name"] else []}
        )
        if s["joint_lead_links__unit__name"]:
            snap["lead_units"].append(s["joint_lead_links__unit__name"])
    if missing := snaps.keys() - periods.keys():
        for p in Period.objects.filter(pk__in=missing).values("id", "year", "month", "cycle", "plan__name"):
            periods[p["id"]] = _period(p["year"], p["month"], p["cycle"], p["plan__name"])
    return [
        {"period": name, "snapshot": snaps.get(pk), "report": reports.get(pk)}
        for pk, (_year, _month, name) in sorted(periods.items(), key=lambda kv: (-kv[1][0], -kv[1][1]))
    ]


# What names a period (period_label), read with a report.
_PERIOD_NAME = ("period__year", "period__month", "period__cycle", "period__plan__name")


def _period(year: int, month: int, cycle: str, plan_name: str | None) -> tuple[int, int, str]:
    return year, month, period_label(year, month, cycle, plan_name)


def snapshot_joint_lead_names(snapshot_ids: list[int]) -> dict[int, list[str]]:
    """Each snapshot's joint lead units' names as of its period, in the plan's order (one query): for
    snapshots read as rows (the bulletin's tables)."""
    out: dict[int, list[str]] = {}
    if not snapshot_ids:
        return out
    rows = SnapshotJointLead.objects.filter(snapshot_id__in=snapshot_ids).order_by("order", "id")
    for snapshot_id, name in rows.values_list("snapshot_id", "unit__name"):
        out.setdefault(snapshot_id, []).append(name)
    return out


def awaiting_sign_off(user: User) -> list[dict[str, Any]]:
    """The unit head's sign-off page: the unit's submitted reports in full, oldest period first."""
    reports = _with_details(Report.objects.filter(unit_id=user.unit_id or 0, state=S.SUBMITTED)).order_by(
        "period__year", "period__month", "item__seq", "item__code"
    )
    rows = []
    for r in reports:
        reached = {x.milestone_id: x for x in r.reached.all()}
        rows.append(
            {
                "report": r,
                "reached": [reached[m.pk] for m in r.item.milestones.all() if m.pk in reached],
                "contributions": _roles(r.item.joint_leads, list(r.contributions.all())),
            }
        )
    return rows
