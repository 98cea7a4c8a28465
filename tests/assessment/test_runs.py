"""Runs: reproducible, ranked per unit kind, frozen once finalized; objections within the window."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gandang.assessment import services
from gandang.assessment.models import Objection, Run, ScoreLine, UnitResult
from gandang.core.errors import ServiceError
from tests.assessment import factories as f


def _lines(run: Run) -> list[tuple]:
    return [
        (x.unit_id, x.indicator_id, x.points, x.explanation, x.evidence)
        for x in ScoreLine.objects.filter(run=run).order_by("unit_id", "indicator_id")
    ]


def _results(run: Run) -> list[tuple]:
    return [
        (r.unit_id, r.base, r.green, r.total, r.rank, r.grade)
        for r in UnitResult.objects.filter(run=run).order_by("unit_id")
    ]


@pytest.fixture
def records(city):
    """A year of records for units A and B: snapshots, reports, a listing, a promotion, a pilot, an award."""
    office = city.users["office"]
    nov = f.period(2023, 11)
    f.snapshot(city.items["a"], nov, "green")
    f.snapshot(city.items["b"], nov, "red")
    f.report(city.items["a"], nov, is_late=True)
    x = f.listing(city.items["b"], office, level="leader")
    f.letter(x)
    e = f.experience([city.units["a"]], office)
    f.promotion(e, "province", office)
    f.pilot(city.units["b"], office, undertaken=date(2023, 5, 1))
    return city


def test_the_same_run_twice_gives_the_same_result(records):
    c = records
    s = f.full_scheme(c.users["office"])
    r1 = services.run_compute(actor=c.users["office"], scheme=s)
    r2 = services.run_compute(actor=c.users["office"], scheme=s)
    assert (r1.number, r2.number) == (1, 2)
    assert _lines(r1) == _lines(r2) and _lines(r1)
    assert _results(r1) == _results(r2)


def test_units_are_ranked_within_their_kind_and_green_channel_counts_in_the_total(records):
    c = records
    s = f.full_scheme(c.users["office"])
    ind = s.indicators.get(rule="manual")
    services.manual_add(
        actor=c.users["office"],
        scheme=s,
        unit=c.units["c"],
        indicator=ind,
        points=Decimal(3),
        justification="改革特别奖",
    )
    run = services.run_compute(actor=c.users["office"], scheme=s)
    res = {r.unit_id: r for r in UnitResult.objects.filter(run=run)}
    a, b, cc = (res[c.units[k].pk] for k in "abc")
    assert b.rank == 1 and b.unit_kind == "county"  # the only county
    # A: 60 + 19 (one late report) + 0 + 2 (province promotion); C: no items, full marks, +3 green
    assert (a.base, a.green, a.total) == (Decimal("81.00"), Decimal("0.00"), Decimal("81.00"))
    assert (cc.base, cc.green, cc.total) == (Decimal("80.00"), Decimal("3.00"), Decimal("83.00"))
    assert (cc.rank, a.rank) == (1, 2)
    assert (a.grade, cc.grade) == ("良好", "良好")
    # B: its pilot (2) is on the green channel, shown apart and added to the total
    assert b.green == Decimal("2.00") and b.total == b.base + b.green


def test_a_finalized_run_does_not_change_when_records_change(records):
    c = records
    office = c.users["office"]
    s = f.full_scheme(office)
    run = services.run_compute(actor=office, scheme=s)
    services.run_finalize(actor=office, run=run)
    before_lines, before_results = _lines(run), _results(run)
    f.honor(c.units["a"], office, level="province")
    f.report(c.items["a"], f.period(2023, 3), is_missing=True)
    s.indicators.filter(rule="completion").update(name="改名后的指标")
    assert _lines(run) == before_lines and _results(run) == before_results
    assert ScoreLine.objects.filter(run=run, rule="completion").first().indicator_name == "completion"
    new = services.run_compute(actor=office, scheme=s)
    assert _results(new) != before_results
    run.refresh_from_db()
    assert run.is_final and Run.objects.filter(scheme=s).count() == 2


def test_finalizing_needs_an_active_scheme_and_the_latest_run(records):
    c = records
    office = c.users["office"]
    s = f.full_scheme(office)
    r1 = services.run_compute(actor=office, scheme=s)
    services.run_compute(actor=office, scheme=s)
    with pytest.raises(ServiceError, match="更新的计算结果"):
        services.run_finalize(actor=office, run=r1)
    s.state = "draft"
    s.save()
    with pytest.raises(ServiceError, match="尚未启用"):
        services.run_finalize(actor=office, run=s.runs.get(number=2))


def test_only_the_office_computes(records):
    s = f.full_scheme(records.users["office"])
    with pytest.raises(ServiceError):
        services.run_compute(actor=records.users["leader"], scheme=s)


class TestObjections:
    def _final(self, c) -> Run:
        s = f.full_scheme(c.users["office"])
        run = services.run_compute(actor=c.users["office"], scheme=s)
        return services.run_finalize(actor=c.users["office"], run=run)

    def test_not_before_the_run_is_finalized(self, records):
        c = records
        run = services.run_compute(actor=c.users["office"], scheme=f.full_scheme(c.users["office"]))
        with pytest.raises(ServiceError, match="定稿后"):
            services.objection_file(
                actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=None, text="有异议"
            )

    def test_within_the_window_and_not_after(self, records, settings):
        c = records
        run = self._final(c)
        last = timezone.localdate(run.finalized_at) + timedelta(days=run.scheme.objection_days)
        assert run.objection_deadline == last
        settings.GANDANG_TODAY = last.isoformat()
        line = ScoreLine.objects.get(run=run, unit=c.units["a"], rule="reporting")
        o = services.objection_file(
            actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=line, text="3月报告按时报送"
        )
        assert o.state == Objection.State.OPEN
        settings.GANDANG_TODAY = (last + timedelta(days=1)).isoformat()
        with pytest.raises(ServiceError, match="异议期"):
            services.objection_file(
                actor=c.users["head_a"], run=run, unit=c.units["a"], line=None, text="再提"
            )

    def test_only_the_units_own_people_object_to_its_own_lines(self, records):
        c = records
        run = self._final(c)
        with pytest.raises(ServiceError):
            services.objection_file(
                actor=c.users["liaison_b"], run=run, unit=c.units["a"], line=None, text="x"
            )
        other = ScoreLine.objects.filter(run=run, unit=c.units["b"]).first()
        with pytest.raises(ServiceError):
            services.objection_file(
                actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=other, text="x"
            )

    def test_upholding_with_a_manual_change_reruns_and_keeps_the_old_run(self, records):
        c = records
        run = self._final(c)
        line = ScoreLine.objects.get(run=run, unit=c.units["a"], rule="manual")
        o = services.objection_file(
            actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=line, text="获改革特别奖未计分"
        )
        before = _results(run)
        o = services.objection_answer(
            actor=c.users["office"],
            objection=o,
            state="upheld",
            answer="经核实，补记改革特别奖",
            manual_points=Decimal(2),
        )
        assert o.rerun is not None and o.rerun.number == 2
        assert _results(run) == before
        new_a = UnitResult.objects.get(run=o.rerun, unit=c.units["a"])
        old_a = UnitResult.objects.get(run=run, unit=c.units["a"])
        assert new_a.green - old_a.green == Decimal("2.00")
        assert (
            "补记改革特别奖"
            in ScoreLine.objects.get(run=o.rerun, unit=c.units["a"], rule="manual").explanation
        )
        with pytest.raises(ServiceError, match="已答复"):
            services.objection_answer(actor=c.users["office"], objection=o, state="rejected", answer="x")

    def test_a_rejected_objection_changes_nothing(self, records):
        c = records
        run = self._final(c)
        o = services.objection_file(
            actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=None, text="排名偏低"
        )
        with pytest.raises(ServiceError):
            services.objection_answer(
                actor=c.users["office"], objection=o, state="rejected", answer="x", rerun=True
            )
        services.objection_answer(actor=c.users["office"], objection=o, state="rejected", answer="计分无误")
        assert Run.objects.filter(scheme=run.scheme).count() == 1
