"""The bulletin's lagging items (滞后事项): which items lag at a quarter's end, which of them the bulletin
names (the worst few), and the ledger list that shows them all.

A city's bulletin can name every lagging item; a province's has thousands (18,571 of 100,000 items).
A reform office's 通报 names the worst cases and counts the rest: the bulletin names at most
`settings.GANDANG_BULLETIN_LAGGING_NAMED` items, states how many lag in all, and links (in the
browser) to the ledger list filtered to exactly those items, by the filter registered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Case, Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gandang.bulletins import quarter_end
from gandang.core.forms import OptionChoiceField, OptionQuery
from gandang.dispatch.models import Period, Status, StatusSnapshot
from gandang.ledger import extensions
from gandang.ledger.models import Milestone

# Seriously lagging (red) and lagging (yellow): what the bulletin calls 滞后事项.
LAGGING: tuple[str, ...] = (Status.RED.value, Status.YELLOW.value)
PARAM = "lagging_at"  # the ledger list's parameter: a closed period, whose lagging items it shows


@dataclass
class LaggingCounts:
    """Every lagging item at the quarter's end, counted: the bulletin names only the worst of them."""

    red: int = 0
    yellow: int = 0
    units: int = 0  # the lead units (as of the snapshot) of the lagging items
    url: str = ""  # the ledger list of exactly these items

    @property
    def total(self) -> int:
        return self.red + self.yellow


def named_limit() -> int:
    """How many lagging items the bulletin names (the rest are counted)."""
    return max(0, settings.GANDANG_BULLETIN_LAGGING_NAMED)


def counts(snapshots: QuerySet[StatusSnapshot]) -> LaggingCounts:
    """The lagging ones among `snapshots` (a period's, in the bulletin's scope), counted in one aggregate."""
    row = snapshots.filter(status__in=LAGGING).aggregate(
        red=Count("id", filter=Q(status=Status.RED)),
        yellow=Count("id", filter=Q(status=Status.YELLOW)),
        units=Count("lead_unit_id", distinct=True),
    )
    return LaggingCounts(red=row["red"], yellow=row["yellow"], units=row["units"])


def worst_first(snapshots: QuerySet[StatusSnapshot], period: Period) -> QuerySet[StatusSnapshot]:
    """The lagging ones among `snapshots` of `period`, in the order a reform office names them:
    seriously lagging before lagging; then the longest overdue (the earliest date missed as of the
    month's end: the item's deadline, or an unfinished milestone's); then the lowest progress (none
    reported counts as lowest); then ledger order.

    The snapshot keeps the status, not the days: they are read from the item's dates, so an order
    for naming, not a figure (the counts and the list come from the statuses alone)."""
    as_of = period.last_day
    missed_milestone = Subquery(
        Milestone.objects.filter(item_id=OuterRef("item_id"), due_date__lt=as_of)
        .filter(Q(done_date__isnull=True) | Q(done_date__gt=as_of))
        .order_by("due_date")
        .values("due_date")[:1]
    )
    missed_deadline = Case(
        When(item__no_fixed_date=False, item__due_date__lt=as_of, then=F("item__due_date")),
        default=Value(None),
    )
    never = Value(date.max, output_field=DateField())  # not overdue: after every date missed
    return (
        snapshots.filter(status__in=LAGGING)
        .annotate(
            severity=Case(When(status=Status.RED, then=Value(0)), default=Value(1)),
            # The earlier of the two dates missed, each read once (LEAST of a NULL is NULL on SQLite).
            overdue_since=Least(Coalesce(missed_deadline, never), Coalesce(missed_milestone, never)),
        )
        .order_by(
            "severity",
            "overdue_since",
            F("percent").asc(nulls_first=True),
            "item__plan_id",
            "item__seq",
            "item__code",
        )
    )


# -- the ledger list of a period's lagging items --------------------------------------------------------


# The closed periods (the options: 2023年9月 …) the bulletins' ledger-list filters offer.
CLOSED_PERIODS = OptionQuery(
    lambda: Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED).order_by("-year", "-month"),
    fields=("year", "month", "plan"),
)


def closed_period_field(label) -> forms.ModelChoiceField:
    """A closed period; its snapshots are final, so a list filtered by it stays the bulletin's. The
    field of the bulletins' ledger-list filters (which share their options)."""
    return OptionChoiceField(CLOSED_PERIODS, label=label, required=False, empty_label=_("不限"))


def _field() -> forms.ModelChoiceField:
    return closed_period_field(_("调度期末滞后"))


def _condition(period: Period) -> Q:
    """The items lagging at `period`'s end (`quarter_end`: a plan on its own cycle as its period of the
    quarter left it): with the list's default (not archived), exactly the items the bulletin counts as
    lagging at that period's end."""
    return Q(pk__in=quarter_end.snapshots(period).filter(status__in=LAGGING).values("item_id"))


def ledger_list_url(param: str, period: Period) -> str:
    """The ledger list filtered by one of the bulletins' filters at `period` (a 查看全部N项 link)."""
    return f"{reverse('ledger:item_list')}?{urlencode({param: period.pk})}"


def ledger_url(period: Period) -> str:
    """The ledger list of every item lagging at `period`'s end (the bulletin's 查看全部N项)."""
    return ledger_list_url(PARAM, period)


def register() -> None:
    extensions.list_filter(extensions.ListFilter(PARAM, _field, _condition))
