"""The dashboard's figures equal what a plain count over the records gives."""

from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from gandang.bulletins import selectors
from gandang.dispatch import engine
from gandang.dispatch.models import ItemStatus, StatusSnapshot
from gandang.ledger.models import Item


def _counts(groups):
    return {g.key: {s: n for s, n in g.counts.items() if n} for g in groups}


def test_status_distribution_counts_current_statuses(history):
    d = selectors.dashboard(history.users["office"])
    expected = Counter(ItemStatus.objects.filter(item__is_archived=False).values_list("status", flat=True))
    assert {s: n for s, n in d.status.counts.items() if n} == dict(expected)
    assert d.total == Item.objects.filter(is_archived=False).count() == 5
    assert d.no_effect == 1
    percents = [p for p in ItemStatus.objects.values_list("percent", flat=True) if p is not None]
    # Rounded half-up (四舍五入) to one decimal, as recounted by hand.
    expected_avg = (Decimal(sum(percents)) / len(percents)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert d.status.avg_percent == (expected_avg if percents else None)


def test_breakdowns_by_area_unit_and_leader(history):
    d = selectors.dashboard(history.users["office"])
    by_area, by_unit, by_leader = {}, {}, {}
    for item in Item.objects.filter(is_archived=False).select_related("current_status"):
        st = item.current_status.status
        by_area.setdefault(item.area_id, Counter())[st] += 1
        by_unit.setdefault(item.lead_unit_id, Counter())[st] += 1
        for leader_id in item.leaders.values_list("pk", flat=True) or [None]:
            by_leader.setdefault(leader_id, Counter())[st] += 1
    assert _counts(d.by_area) == {k: dict(v) for k, v in by_area.items()}
    assert _counts(d.by_unit) == {k: dict(v) for k, v in by_unit.items()}
    assert _counts(d.by_leader) == {k: dict(v) for k, v in by_leader.items()}
    # An item with two leaders counts under each, as the ledger's leader filter finds it under each.
    assert sum(g.total for g in d.by_leader) == d.total + 1


def test_a_closed_period_shows_its_snapshots(history):
    period = history.periods[0]
    ItemStatus.objects.update(status="done")  # the present moves on; the snapshot stays
    d = selectors.dashboard(history.users["office"], period=period)
    expected = Counter(StatusSnapshot.objects.filter(period=period).values_list("status", flat=True))
    assert {s: n for s, n in d.status.counts.items() if n} == dict(expected)
    assert d.total == sum(expected.values())
    assert not d.links and d.status.url is None
    units = Counter(StatusSnapshot.objects.filter(period=period).values_list("lead_unit_id", flat=True))
    assert {g.key: g.total for g in d.by_unit} == dict(units)


def test_trend_counts_each_closed_period_snapshots(history):
    d = selectors.dashboard(history.users["office"])
    assert [g.key for g in d.trend] == [p.pk for p in history.periods]
    for g, period in zip(d.trend, history.periods, strict=True):
        expected = Counter(StatusSnapshot.objects.filter(period=period).values_list("status", flat=True))
        assert {s: n for s, n in g.counts.items() if n} == dict(expected)


def test_timeliness_agrees_with_the_engine(history):
    d = selectors.dashboard(history.users["office"])
    assert [t.period for t in d.timeliness] == history.periods
    for t in d.timeliness:
        per_unit = engine.unit_timeliness(t.period)
        for key in ("on_time", "late", "missing", "returned"):
            assert getattr(t, key) == sum(row[key] for row in per_unit.values()), key
        assert (t.on_time, t.late, t.missing, t.returned) == (
            2,
            1,
            1,
            1,
        )  # a late, b and d on time, c missing; e starts in 2024


def test_plan_filter_includes_child_plans(history):
    office = history.users["office"]
    assert selectors.dashboard(office, plan=history.plan).total == 5
    child = selectors.dashboard(office, plan=history.child_plan)
    assert child.total == 2
    assert sum(t.total for t in child.timeliness) == 2  # d has a report each month; e starts in 2024
    assert child.status.status_urls["red"].endswith(f"plan={history.child_plan.pk}")


def test_an_open_period_falls_back_to_current_statuses(history):
    from gandang.dispatch import services

    period, _n = services.period_open(actor=None, year=2023, month=11)
    d = selectors.dashboard(history.users["office"], period=period)
    assert d.period is None and d.links


def test_reports_not_yet_due_are_not_counted_missing(history, settings):
    """Before a period's deadline (the deadline day included) an unsubmitted report is not 未报送."""
    from gandang.dispatch import services as dispatch

    period, _n = dispatch.period_open(actor=history.users["office"], year=2023, month=11)
    settings.GANDANG_TODAY = period.deadline.isoformat()
    d = selectors.dashboard(history.users["office"])
    by_period = {t.period.pk: t for t in d.timeliness}
    assert by_period[period.pk].missing == 0
    assert by_period[history.periods[1].pk].missing == 1  # October's deadline has passed: c is missing

    settings.GANDANG_TODAY = (period.deadline + timedelta(days=1)).isoformat()
    d = selectors.dashboard(history.users["office"])
    assert next(t for t in d.timeliness if t.period.pk == period.pk).missing > 0
