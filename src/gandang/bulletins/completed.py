"""The bulletin's completed items (本季度完成事项): which items became done in a quarter, which of them
the bulletin names, and the ledger list that shows them all.

An item is completed in the quarter when its status at the quarter's last closed period says done
and its status at the last closed period before the quarter did not — both read as `quarter_end` reads
them: a plan on its own cycle from its period of that quarter, so an item its quarterly (half-yearly)
report says done is completed in that period's quarter, once. A city completes a few dozen a
quarter and the bulletin names them all; a province completes thousands, which no 通报 tables: the
bulletin names at most `settings.GANDANG_BULLETIN_COMPLETED_NAMED` of them (in ledger order), states
how many in all, and links (in the browser) to the ledger list filtered to exactly those items, by the
filter registered here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gandang.bulletins import lagging, quarter_end
from gandang.bulletins.quarter import Quarter
from gandang.dispatch.models import Period, Status, StatusSnapshot
from gandang.ledger import extensions

PARAM = "completed_by"  # the ledger list's parameter: a closed period, the end of the quarter counted


def named_limit() -> int:
    """How many completed items the bulletin names (the rest are counted)."""
    return max(0, settings.GANDANG_BULLETIN_COMPLETED_NAMED)


def baseline(quarter: Quarter) -> Period | None:
    """The last closed period before `quarter`: what "became done" compares with."""
    return (
        Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED)
        .filter(Q(year__lt=quarter.year) | Q(year=quarter.year, month__lt=quarter.months[0]))
        .order_by("-year", "-month")
        .first()
    )


def baseline_snapshots(base: Period | None) -> QuerySet[StatusSnapshot] | None:
    """The statuses at `base`'s end (`quarter_end`), what "became done" compares with; None without one."""
    return quarter_end.snapshots(base) if base is not None else None


def newly_done(
    snapshots: QuerySet[StatusSnapshot], base: QuerySet[StatusSnapshot] | None
) -> QuerySet[StatusSnapshot]:
    """The done ones among `snapshots` (the statuses at a quarter's end) that were not done in `base`."""
    done = snapshots.filter(status=Status.DONE)
    if base is not None:
        done = done.exclude(item_id__in=base.filter(status=Status.DONE).values("item_id"))
    return done


# -- the ledger list of a quarter's completed items -----------------------------------------------------


def _field() -> forms.ModelChoiceField:
    """A closed period (2023年9月 …): the items completed in its quarter up to its end."""
    return lagging.closed_period_field(_("季度内完成（截至调度期）"))


def _condition(period: Period) -> Q:
    """With the list's default (not archived), exactly the items the bulletin counts as completed."""
    base = baseline_snapshots(baseline(Quarter.of(period.first_day)))
    done = newly_done(quarter_end.snapshots(period), base)
    return Q(pk__in=done.values("item_id"))


def ledger_url(period: Period) -> str:
    """The ledger list of every item completed in `period`'s quarter (the bulletin's 查看全部N项)."""
    return lagging.ledger_list_url(PARAM, period)


def register() -> None:
    extensions.list_filter(extensions.ListFilter(PARAM, _field, _condition))
