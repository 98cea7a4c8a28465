"""Reads of meetings: the list's rows, a meeting's agenda, observers and decisions, the previous meetings'
decisions still open (reviewed first at the next meeting), and the office's topics to review."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from gandang.ledger.models import Status
from gandang.matters.meeting_models import Decision, Meeting, Observer, ObserverComment, Topic
from gandang.matters.models import Matter
from gandang.org.models import Unit, User


def meeting_rows(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """What a row of the meetings' list shows, in a constant number of queries."""
    return qs.select_related("chair").annotate(
        n_topics=Count("topics", filter=Q(topics__state=Topic.State.ACCEPTED), distinct=True),
        n_observers=Count("observers", distinct=True),
        n_decisions=Count("decisions", distinct=True),
    )


def decision_rows(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    """Decisions with their meeting, units, matter and ledger item, in a constant number of queries."""
    return qs.select_related("meeting", "unit", "created_item").prefetch_related(
        Prefetch("co_units", queryset=Unit.objects.only("id", "name")),
        Prefetch("matters", queryset=Matter.objects.only("id", "state", "deadline", "decision_id", "title")),
    )


def undispatched_q() -> Q:
    """A decision neither tracked as a matter nor made a ledger item yet (待交办): the office's to-do."""
    return Q(created_item__isnull=True) & ~Q(
        pk__in=Matter.objects.filter(decision__isnull=False).values("decision_id")
    )


def open_q() -> Q:
    """A decision still open: not yet dispatched, its matter not closed, or its ledger item not done."""
    undispatched = undispatched_q()
    matter_open = Q(
        pk__in=Matter.objects.filter(decision__isnull=False, state__in=Matter.OPEN_STATES).values(
            "decision_id"
        )
    )
    item_open = Q(created_item__isnull=False) & ~Q(created_item__status=Status.DONE)
    return undispatched | matter_open | item_open


def decision_counts(qs: QuerySet[Decision] | None = None, *, year: int) -> dict[str, int]:
    """The year's decisions (by meeting date) of `qs` (all by default): all, still open, carried out (matter
    closed or item done)."""
    decisions = (Decision.objects.all() if qs is None else qs).filter(meeting__held_on__year=year)
    total = decisions.count()
    still_open = decisions.filter(open_q()).count()
    return {"total": total, "open": still_open, "done": total - still_open}


def open_decisions_before(meeting: Meeting) -> QuerySet[Decision]:
    """The earlier meetings' decisions still open, oldest meeting first: the agenda's first part."""
    return decision_rows(
        Decision.objects.filter(meeting__number__lt=meeting.number)
        .filter(open_q())
        .order_by("meeting__number", "seq")
    )


def meeting_parts(meeting: Meeting, agenda: QuerySet[Topic]) -> dict:
    """A meeting's page: agenda (with the proposals not yet on it), observers, comments, decisions."""
    topics = list(
        agenda.filter(meeting=meeting)
        .select_related("unit")
        .annotate(n_materials=Count("materials"))
        .order_by("order", "id")
    )
    return {
        "agenda": [t for t in topics if t.state == Topic.State.ACCEPTED],
        "proposals": [t for t in topics if t.state != Topic.State.ACCEPTED],
        "observers": list(meeting.observers.all()),
        "comments": list(
            ObserverComment.objects.filter(meeting=meeting).select_related(
                "observer", "matter", "matter__unit"
            )
        ),
        "decisions": list(decision_rows(meeting.decisions.order_by("seq"))),
    }


def observer_counts(observers: list[Observer]) -> dict[str, int]:
    out: dict[str, int] = {}
    for o in observers:
        out[o.state] = out.get(o.state, 0) + 1
    return out


def todos(user: User) -> dict:
    """The workbench's meetings: for the office, the units' topics waiting for review and the held meetings'
    decisions still to dispatch; for a unit's members,
    their topics the office returned while the meeting is still in preparation."""
    if not user.is_authenticated or not user.is_active:
        return {}
    preparing = Topic.objects.filter(meeting__state=Meeting.State.PREPARING).select_related("meeting", "unit")
    if user.is_office:
        waiting = preparing.filter(state=Topic.State.PROPOSED).order_by("created_at", "id")
        # A held meeting's decisions the office has not yet dispatched (as a matter or a ledger item).
        todo = (
            Decision.objects.filter(undispatched_q())
            .exclude(meeting__state=Meeting.State.PREPARING)
            .select_related("meeting", "unit")
            .order_by("meeting__held_on", "seq")
        )
        return {"mt_topics_to_review": list(waiting[:20]), "mt_decisions_todo": list(todo[:20])}
    if user.is_unit_member and user.unit_id:
        returned = preparing.filter(state=Topic.State.RETURNED, unit_id=user.unit_id)
        return {"mt_topics_returned": list(returned.order_by("meeting__held_on", "id")[:20])}
    return {}
