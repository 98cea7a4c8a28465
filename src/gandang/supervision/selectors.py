"""Reads of listed supervision: the office's queues, a unit's letters, and figures for the bulletin and dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from gandang.dispatch.models import Report
from gandang.documents.models import DocumentKind
from gandang.supervision.models import Letter, Listing, Proposal


@dataclass
class SupervisionSummary:
    """Supervision over a span of days (a quarter for the bulletin), from the listing records."""

    start: date
    end: date
    listed: list[Listing] = field(default_factory=list)  # listed within the span
    delisted: list[Listing] = field(default_factory=list)  # delisted within the span
    open_at_end: list[Listing] = field(default_factory=list)  # still listed on the last day
    # escalated to be named in the bulletin on or before the last day, and still open then
    named: list[Listing] = field(default_factory=list)
    reminder_letters: int = 0
    supervision_letters: int = 0


def _listings() -> QuerySet[Listing]:
    return Listing.objects.select_related("item", "unit").order_by("listed_on", "id")


def summary(start: date, end: date) -> SupervisionSummary:
    """Listings listed, delisted and open in [start, end], and the letters issued in it."""
    s = SupervisionSummary(start=start, end=end)
    s.listed = list(_listings().filter(listed_on__range=(start, end)).exclude(state=Listing.State.REVOKED))
    s.delisted = list(_listings().filter(state=Listing.State.DELISTED, closed_on__range=(start, end)))
    s.open_at_end = list(
        _listings()
        .filter(listed_on__lte=end)
        .exclude(state=Listing.State.REVOKED)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    )
    # As of the span's end, not today: a later escalation does not name an item in a past quarter.
    s.named = [x for x in s.open_at_end if x.named_on is not None and x.named_on <= end]
    # The letters of listings that count: a revoked listing is left out of the listed figure too.
    letters = Letter.objects.filter(issued_on__range=(start, end)).exclude(
        listing__state=Listing.State.REVOKED
    )
    s.reminder_letters = letters.filter(kind=DocumentKind.REMINDER).count()
    s.supervision_letters = letters.filter(kind=DocumentKind.SUPERVISION).count()
    return s


@dataclass
class Counts:
    open: int
    leader_level: int
    escalated: int
    overdue: int
    delisted: int
    proposals: int


def counts(*, today: date, items: QuerySet | None = None) -> Counts:
    """Supervision figures now, over `items` if given (the dashboard's plan filter)."""
    qs = Listing.objects.all()
    proposals = Proposal.objects.filter(state=Proposal.State.OPEN)
    if items is not None:
        qs = qs.filter(item__in=items)
        proposals = proposals.filter(item__in=items)
    open_ = qs.filter(state=Listing.State.LISTED)
    return Counts(
        open=open_.count(),
        leader_level=open_.filter(level=Listing.Level.LEADER).count(),
        escalated=open_.filter(escalation__gte=Listing.Escalation.LETTER).count(),
        overdue=open_.filter(deadline__lt=today).count(),
        delisted=qs.filter(state=Listing.State.DELISTED).count(),
        proposals=proposals.count(),
    )


def open_listing_ids(item_ids: list[int]) -> dict[int, Listing]:
    """The open listing of each of these items (for the 挂牌 badge on the ledger list)."""
    return {
        x.item_id: x
        for x in Listing.objects.filter(item_id__in=item_ids, state=Listing.State.LISTED).only(
            "id", "item_id", "level", "escalation", "deadline"
        )
    }


def _rectification_state(listing: Listing) -> str | None:
    """The state of the listing's rectification report (read with it), None before there is one."""
    return listing.rectification.state if hasattr(listing, "rectification") else None


def todos(user) -> dict:
    """The workbench's supervision to-dos: what this user must do about listed items now."""
    from gandang.org.models import User

    ctx: dict = {}
    open_ = Listing.objects.filter(state=Listing.State.LISTED).select_related("item", "unit", "rectification")
    if user.is_unit_member and user.unit_id:
        # The unit's open listings, read once: those whose rectification report waits for this user,
        # and how many there are.
        mine = list(open_.filter(unit_id=user.unit_id).order_by("deadline"))
        if user.role == User.Role.LIAISON:
            ctx["sv_to_rectify"] = [
                x for x in mine if _rectification_state(x) in (Report.State.DRAFT, Report.State.RETURNED)
            ]
        else:
            ctx["sv_to_sign"] = [x for x in mine if _rectification_state(x) == Report.State.SUBMITTED]
        ctx["sv_open_unit"] = len(mine)
    elif user.is_office:
        ctx["sv_to_verify"] = list(
            open_.filter(rectification__state=Report.State.SIGNED).order_by("deadline")
        )
        ctx["sv_proposals"] = Proposal.objects.filter(state=Proposal.State.OPEN).count()
        ctx["sv_open"] = open_.count()
    elif user.sees_all_units:
        ctx["sv_open"] = open_.count()
        if user.role == User.Role.LEADER and user.leader_id:
            ctx["sv_led"] = list(open_.filter(item__leaders=user.leader_id).order_by("deadline"))
    return ctx
