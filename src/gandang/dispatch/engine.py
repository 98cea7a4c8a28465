"""Applies the status rules to the ledger: current statuses, period snapshots, missing reports.

Each item follows its plan's cycle (`status` says how): the current light and the city's months judge
a quarterly (half-yearly, yearly) plan's item through the last span whose report was due, so between
its reports it keeps the light its last due report gave it, aging only by days overdue; the plan's own
period judges its items through the span's last day, on that period's report. The city's month still
snapshots every item (the dashboard's trend and the bulletins read the months)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from gandang.dispatch.models import (
    ItemStatus,
    Period,
    Report,
    SnapshotJointLead,
    StatusSnapshot,
    summarize_onto_items,
)
from gandang.dispatch.status import Facts, MilestoneFact, Rules, Verdict, evaluate
from gandang.ledger import cycles
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Item, JointLead, Milestone


def _latest_accepted(item_ids: list[int], upto: tuple[int, int]) -> dict[int, Report]:
    """Each item's latest accepted report of a period up to (year, month)."""
    latest: dict[int, Report] = {}
    rows = (
        Report.objects.filter(item_id__in=item_ids, state=Report.State.ACCEPTED)
        .select_related("period")
        .only("item_id", "percent", "period__year", "period__month")
        .order_by("item_id", "-period__year", "-period__month")
    )
    for r in rows:
        if (r.period.year, r.period.month) > upto or r.item_id in latest:
            continue
        latest[r.item_id] = r
    return latest


def _verdicts(
    items: list[Item], as_of: date, upto: tuple[int, int], *, span_end: date | None = None
) -> dict[int, Verdict]:
    """Each item's verdict as of `as_of`, on its accepted reports up to (year, month) `upto`.

    An item of a plan with its own cycle is judged through the last day its reports were due to speak
    for by `as_of` (`cycles.reported_through`), or through `span_end` when the verdicts are its own
    period's (that period's report is what they judge)."""
    rules = Rules.from_settings()
    latest = _latest_accepted([i.pk for i in items], upto)
    through: dict[tuple[str, str], tuple[date | None, date | None]] = {}
    out = {}
    for item in items:
        report = latest.get(item.pk)
        plan = item.plan
        judged_through = next_due = None
        if plan.cycle != Cycle.MONTHLY:
            key = (plan.cycle, plan.deadlines)
            if key not in through:
                through[key] = (
                    cycles.reported_through(plan.cycle, plan.deadlines, as_of),
                    cycles.next_deadline(plan.cycle, plan.deadlines, as_of),
                )
            judged_through = span_end or through[key][0]
            next_due = None if span_end else through[key][1]
        facts = Facts(
            start=item.start_date,
            due=item.due_date,
            no_fixed_date=item.no_fixed_date,
            milestones=tuple(MilestoneFact(m.title, m.due_date, m.done_date) for m in item.milestones.all()),
            percent=report.percent if report else None,
            reported=report is not None,
            judged_through=judged_through,
            next_report_due=next_due,
        )
        out[item.pk] = evaluate(facts, as_of, rules)
    return out


def _items(qs: QuerySet[Item]) -> list[Item]:
    return list(
        qs.select_related("plan")
        .only(
            "id", "start_date", "due_date", "no_fixed_date", "lead_unit_id", "plan__cycle", "plan__deadlines"
        )
        .prefetch_related(
            Prefetch(
                "milestones", queryset=Milestone.objects.only("item_id", "title", "due_date", "done_date")
            )
        )
    )


@transaction.atomic
def recompute_items(qs: QuerySet[Item], *, today: date) -> int:
    """Recompute the current status of the items in `qs` as of `today`; returns how many changed."""
    items = _items(qs)
    verdicts = _verdicts(items, today, (today.year, today.month))
    current = {s.item_id: s for s in ItemStatus.objects.filter(item_id__in=[i.pk for i in items])}
    changed, new = [], []
    for item in items:
        v = verdicts[item.pk]
        st = current.get(item.pk)
        if st is None:
            new.append(ItemStatus(item_id=item.pk, status=v.status, reason=v.reason[:300], percent=v.percent))
        elif (st.status, st.reason, st.percent) != (v.status, v.reason[:300], v.percent):
            st.status, st.reason, st.percent = v.status, v.reason[:300], v.percent
            changed.append(st)
    ItemStatus.objects.bulk_create(new, batch_size=500)
    _update_rows(ItemStatus, changed, ["status", "reason", "percent"])
    summarize_onto_items(new + changed)
    return len(new) + len(changed)


def _update_rows(model, rows: list, fields: list[str]) -> None:
    """UPDATE many rows by primary key in one executemany: Django's bulk_update builds a CASE
    expression per row, which costs seconds for a city's worth of items."""
    if not rows:
        return
    table = model._meta.db_table
    cols = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(f).column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(table)} SET {cols} WHERE id = %s"
    with connection.cursor() as cur:
        cur.executemany(
            sql, [[getattr(r, model._meta.get_field(f).attname) for f in fields] + [r.pk] for r in rows]
        )


def recompute_all(*, today: date) -> int:
    return recompute_items(Item.objects.filter(is_archived=False), today=today)


@transaction.atomic
def snapshot_period(period: Period, *, as_of: date) -> int:
    """Write (or refresh) every item's snapshot for an open period, as of `as_of`."""
    if period.state == Period.State.CLOSED:
        return 0  # a closed period's snapshots are history
    as_of = min(as_of, period.last_day)
    qs = Item.objects.filter(is_archived=False, lead_unit__isnull=False)
    if period.plan_id is not None:
        # A plan's own period freezes its items; the city's month keeps every item's light (the
        # bulletins and the assessment read the months).
        qs = qs.filter(plan_id=period.plan_id)
    items = _items(qs)
    # A plan's own period judges its items on its own report, through its span's last day.
    span_end = period.last_day if period.plan_id is not None else None
    verdicts = _verdicts(items, as_of, (period.year, period.month), span_end=span_end)
    no_effect = dict(ItemStatus.objects.filter(no_effect=True).values_list("item_id", "no_effect"))
    existing = {s.item_id: s for s in StatusSnapshot.objects.filter(period=period)}
    new, changed = [], []
    for item in items:
        v = verdicts[item.pk]
        values = {
            "status": v.status,
            "reason": v.reason[:300],
            "percent": v.percent,
            "no_effect": bool(no_effect.get(item.pk)),
            "lead_unit_id": item.lead_unit_id,
        }
        snap = existing.get(item.pk)
        if snap is None:
            new.append(StatusSnapshot(item_id=item.pk, period=period, **values))
        elif any(getattr(snap, k) != val for k, val in values.items()):
            for k, val in values.items():
                setattr(snap, k, val)
            changed.append(snap)
    StatusSnapshot.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    _update_rows(StatusSnapshot, changed, ["status", "reason", "percent", "no_effect", "lead_unit"])
    joint = _snapshot_joint_leads(period, qs)
    return len({s.item_id for s in new} | {s.item_id for s in changed} | joint)


def _snapshot_joint_leads(period: Period, items: QuerySet[Item]) -> set[int]:
    """Copy each item's joint lead units, in order, onto its snapshot of `period` (few items have any:
    two queries to compare, and writes only for the snapshots whose joint leads differ). Returns the
    items whose snapshot had its joint leads changed."""
    wanted: dict[int, list[int]] = defaultdict(list)
    ids = items.values("pk")  # a subquery: a city's item ids are too many to send as parameters
    for item_id, unit_id in JointLead.objects.filter(item_id__in=ids).values_list("item_id", "unit_id"):
        wanted[item_id].append(unit_id)  # JointLead's ordering is the plan's order
    had: dict[int, list[int]] = defaultdict(list)
    rows = SnapshotJointLead.objects.filter(snapshot__period=period, snapshot__item_id__in=ids)
    for item_id, unit_id in rows.values_list("snapshot__item_id", "unit_id"):
        had[item_id].append(unit_id)
    stale = [i for i in set(wanted) | set(had) if wanted.get(i, []) != had.get(i, [])]
    if not stale:
        return set()
    snaps = dict(StatusSnapshot.objects.filter(period=period, item_id__in=stale).values_list("item_id", "pk"))
    SnapshotJointLead.objects.filter(snapshot_id__in=snaps.values()).delete()
    SnapshotJointLead.objects.bulk_create(
        [
            SnapshotJointLead(snapshot_id=snaps[i], unit_id=unit_id, order=n)
            for i in stale
            if i in snaps
            for n, unit_id in enumerate(wanted.get(i, []))
        ],
        batch_size=500,
    )
    return set(stale)


def missing_reports(period: Period) -> QuerySet[Report]:
    """Reports of the period that have not reached the office (no sign-off yet)."""
    return Report.objects.filter(period=period, submitted_at__isnull=True)


@transaction.atomic
def mark_missing(period: Period, *, today: date) -> int:
    """After the deadline, reports not yet signed off are marked missing; returns how many were newly marked."""
    if today <= period.deadline:
        return 0
    return missing_reports(period).filter(is_missing=False).update(is_missing=True)


def unit_timeliness(period: Period) -> dict[int, dict[str, int]]:
    """Per unit: on time, late, missing and returned counts for the period (two GROUP BY queries)."""
    from gandang.dispatch.models import ReportStep

    sent = Q(submitted_at__isnull=False)
    rows = (
        Report.objects.filter(period=period)
        .values("unit_id")
        .annotate(
            on_time=Count("id", filter=sent & Q(is_late=False)),
            late=Count("id", filter=sent & Q(is_late=True)),
            missing=Count("id", filter=Q(submitted_at__isnull=True)),
        )
        .order_by()
    )
    out: dict[int, dict[str, int]] = {
        r["unit_id"]: {"on_time": r["on_time"], "late": r["late"], "missing": r["missing"], "returned": 0}
        for r in rows
    }
    returns = (
        ReportStep.objects.filter(report__period=period, action="return")
        .values_list("report__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, n in returns:
        out.setdefault(unit_id, {"on_time": 0, "late": 0, "missing": 0, "returned": 0})["returned"] = n
    return out
