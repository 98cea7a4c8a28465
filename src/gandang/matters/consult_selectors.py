"""Reads of the consultation: the suggestions' rows, their state and outcome as query conditions, and the
year's counts by party and by outcome. Each count is the size of the list its link opens: both use the
conditions below."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from gandang.matters.models import Matter, Outcome, Party, Suggestion
from gandang.org.models import Unit

S = Matter.State
St = Suggestion.State


def state_q(state: str) -> Q:
    """The suggestions in `state`, the same rule as `Suggestion.state` reads on one of them."""
    return {
        St.RECEIVED: Q(matter__isnull=True, reply__isnull=True),
        St.HANDLING: Q(matter__state__in=Matter.OPEN_STATES, reply__isnull=True),
        St.HANDLED: Q(matter__state__in=[S.CLOSED, S.ITEMIZED], reply__isnull=True),
        St.REPLIED: Q(reply__isnull=False),
    }[St(state)]


def outcome_q(outcome: str) -> Q:
    """The suggestions whose matter the office closed with this outcome (`Suggestion.outcome`)."""
    return Q(matter__state=S.CLOSED, matter__outcome=Outcome(outcome))


def suggestion_rows(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """What a row of the suggestions' list shows, read in a constant number of queries."""
    return qs.select_related("consultation", "party", "matter__unit", "reply").prefetch_related(
        Prefetch("matter__co_units", queryset=Unit.objects.only("id", "name"))
    )


# The columns of the year's table: (key, the list's query parameter and value, the condition).
COLUMNS: list[tuple[str, str, str, Q]] = [
    ("received", "state", St.RECEIVED, state_q(St.RECEIVED)),
    ("handling", "state", St.HANDLING, state_q(St.HANDLING)),
    *[(str(o), "outcome", str(o), outcome_q(o)) for o in Outcome],
    ("handled", "state", St.HANDLED, state_q(St.HANDLED)),
    ("replied", "state", St.REPLIED, state_q(St.REPLIED)),
]


@dataclass
class CountRow:
    party: Party | None  # None: all parties
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def year_counts(qs: QuerySet[Suggestion], *, year: int) -> list[CountRow]:
    """The year's suggestions (by the session's date) by party, and by state and outcome: one row per
    party heard, then the total. One query."""
    aggregates = {"total": Count("pk")} | {key: Count("pk", filter=q) for key, _p, _v, q in COLUMNS}
    by_party = {
        row["party"]: row
        for row in qs.filter(consultation__on__year=year).values("party").annotate(**aggregates).order_by()
    }
    rows = []
    total = CountRow(party=None, counts=dict.fromkeys((c[0] for c in COLUMNS), 0))
    for party in Party.objects.filter(pk__in=list(by_party)).order_by("sort_order", "id"):
        r = by_party[party.pk]
        rows.append(CountRow(party=party, total=r["total"], counts={c[0]: r[c[0]] for c in COLUMNS}))
        total.total += r["total"]
        for c in COLUMNS:
            total.counts[c[0]] += r[c[0]]
    return [*rows, total] if rows else []
