"""Proposals for listing (DOMAIN mechanism 5): the platform proposes items by the rules (red in N
closed periods running, not reported N months running, marked 成效不明显); the office lists one or
dismisses it with a reason."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count

from gandang.core import audit, clock, limits
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch.models import ItemStatus, Period, Report, Status, StatusSnapshot
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User
from gandang.supervision.models import (
    Listing,
    Proposal,
    Trigger,
)

Kind = Notification.Kind


def rules() -> dict:
    return {
        "red_periods": 2,
        "missing_periods": 2,
        "no_effect": True,
        "deadline_days": 30,
        "letter_days": 14,
        **getattr(settings, "GANDANG_LISTING_RULES", {}),
    }


def _ym(period: Period) -> str:
    return f"{period.year}年{period.month}月"


def _months(periods: list[Period]) -> str:
    """Oldest first, the year said once when it does not change: 2023年10月、11月."""
    out, year = [], None
    for p in sorted(periods, key=lambda p: (p.year, p.month)):
        out.append(f"{p.month}月" if p.year == year else _ym(p))
        year = p.year
    return "、".join(out)


def _closed_periods(n: int) -> list[Period]:
    """The last `n` closed periods, newest first."""
    return list(
        Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED).order_by("-year", "-month")[:n]
    )


def _due_periods(n: int, today: date) -> list[Period]:
    """The last `n` periods whose deadline has passed, newest first."""
    return list(Period.objects.filter(plan__isnull=True, deadline__lt=today).order_by("-year", "-month")[:n])


def _candidates(today: date) -> list[tuple[int, str, Period | None, str]]:
    """(item, trigger, period, reason) for every item the rules say should be considered for listing."""
    r = rules()
    out: list[tuple[int, str, Period | None, str]] = []
    n = r["red_periods"]
    periods = _closed_periods(n) if n > 0 else []
    if n > 0 and len(periods) == n:
        names = _months(periods)
        red = (
            StatusSnapshot.objects.filter(period__in=periods, status=Status.RED)
            .values("item_id")
            .annotate(n=Count("id"))
            .filter(n=n)
        )
        latest = dict(
            StatusSnapshot.objects.filter(period=periods[0], item_id__in=red.values("item_id")).values_list(
                "item_id", "reason"
            )
        )
        for item_id, why in latest.items():
            out.append((item_id, Trigger.RED, periods[0], f"{names}连续{n}个月严重滞后（{why}）"))
    n = r["missing_periods"]
    periods = _due_periods(n, today) if n > 0 else []
    if n > 0 and len(periods) == n:
        names = _months(periods)
        missing = (
            Report.objects.filter(period__in=periods, submitted_at__isnull=True)
            .values("item_id")
            .annotate(n=Count("id"))
            .filter(n=n)
        )
        for row in missing:
            out.append((row["item_id"], Trigger.MISSING, periods[0], f"{names}连续{n}个月未按时报送进展"))
    if r["no_effect"]:
        # The judgement stands as of the last month the office reviewed: the last closed period.
        current = (
            Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED)
            .order_by("-year", "-month")
            .first()
            or Period.objects.filter(plan__isnull=True, opens_on__lte=today)
            .order_by("-year", "-month")
            .first()
        )
        if current is not None:
            for item_id, why in ItemStatus.objects.filter(no_effect=True).values_list(
                "item_id", "no_effect_reason"
            ):
                out.append((item_id, Trigger.NO_EFFECT, current, f"改革办认定成效不明显（{why}）"))
    return out


@transaction.atomic
def proposals_refresh(*, today: date | None = None) -> int:
    """Propose listing every item the rules catch that is not listed or already proposed; returns how many.

    Idempotent: one proposal per item, trigger and period (a unique constraint), and none while the
    item is listed or an earlier proposal for the same reason awaits the office's decision.
    """
    today = today or clock.today()
    candidates = _candidates(today)
    if not candidates:
        return 0
    ids = {c[0] for c in candidates}
    live = set(
        Item.objects.filter(pk__in=ids, is_archived=False)
        .exclude(current_status__status=Status.DONE)
        .values_list("pk", flat=True)
    )
    listed = set(
        Listing.objects.filter(item_id__in=ids, state=Listing.State.LISTED).values_list("item_id", flat=True)
    )
    seen = set(Proposal.objects.filter(item_id__in=ids).values_list("item_id", "trigger", "period_id"))
    pending = set(
        Proposal.objects.filter(item_id__in=ids, state=Proposal.State.OPEN).values_list("item_id", "trigger")
    )
    new = [
        Proposal(item_id=item_id, trigger=trigger, period=period, reason=reason[:300])
        for item_id, trigger, period, reason in candidates
        if item_id in live
        and item_id not in listed
        and (item_id, trigger) not in pending
        and (item_id, trigger, period.pk if period else None) not in seen
    ]
    # One by one, each in its own savepoint: a proposal another process inserted meanwhile (the unique
    # constraint) is skipped and not counted, so the notice says how many were really added.
    added = 0
    for proposal in new:
        try:
            with transaction.atomic():
                proposal.save(force_insert=True)
        except IntegrityError:
            continue
        added += 1
    if added:
        office = User.objects.filter(role=User.Role.OFFICE, is_active=True)
        notify(
            users=office,
            kind=Kind.SUPERVISION,
            title=f"新增挂牌督办建议{added}项，请研究",
            url="/supervision/?tab=proposals",
            key=f"proposals:{today.isoformat()}:{added}",
        )
    return added


@transaction.atomic
def proposal_dismiss(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The office decides not to list a proposed item, and says why."""
    require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写不予挂牌的理由")
    limits.check_lengths(Proposal, {"dismiss_reason": reason})
    before = audit.snapshot(proposal)
    moved = Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.OPEN).update(
        state=Proposal.State.DISMISSED,
        dismiss_reason=reason,
        decided_by=actor,
        decided_at=clock.now(),
    )
    if not moved:
        raise ServiceError("该建议已处理，请刷新页面")
    proposal.refresh_from_db()
    audit.record(
        proposal,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason,
    )
    return proposal
