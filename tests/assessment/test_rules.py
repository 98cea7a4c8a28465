"""Each rule kind on hand-made records: what counts, what does not, caps and boundaries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gandang.assessment.models import grade_for
from gandang.assessment.records import gather
from gandang.assessment.rules import IndicatorSpec, score, validate_params
from gandang.assessment.services import rank
from gandang.ledger.models import Plan
from tests.assessment import factories as f


def _score(s, ind, unit):
    return score(IndicatorSpec.of(ind), unit.pk, gather(s))


@pytest.fixture
def office(city):
    return city.users["office"]


class TestCompletion:
    def test_share_of_led_items_done_or_green_at_the_last_closed_period(self, city):
        a = city.units["a"]
        nov, dec = f.period(2023, 11), f.period(2023, 12, closed=False)
        it2, it3 = f.item(city.plan, "A2", a), f.item(city.plan, "A3", a)
        f.snapshot(city.items["a"], nov, "done")
        f.snapshot(it2, nov, "green")
        f.snapshot(it3, nov, "red")
        f.snapshot(it3, dec, "done")  # the open December does not count yet
        s = f.scheme()
        out = _score(s, f.indicator(s, "completion", 60), a)
        assert out.points == Decimal("40.00")
        assert "12月调度期尚未结束" in out.explanation and "2023年11月" in out.explanation
        assert sorted(e["points"] for e in out.evidence) == [0.0, 20.0, 20.0]
        first = next(e for e in out.evidence if e["id"] == city.items["a"].pk)
        assert first["url"] == city.items["a"].get_absolute_url() and first["model"] == "ledger.item"

    def test_a_closed_december_is_year_end_and_archived_or_other_years_items_do_not_count(self, city):
        a = city.units["a"]
        dec = f.period(2023, 12)
        old_plan = Plan.objects.create(year=2022, name="2022年要点")
        f.snapshot(city.items["a"], dec, "green")
        f.snapshot(f.item(city.plan, "A9", a, is_archived=True), dec, "red")
        f.snapshot(f.item(old_plan, "OLD", a), dec, "red")
        s = f.scheme()
        out = _score(s, f.indicator(s, "completion", 60), a)
        assert out.points == Decimal("60.00")
        assert "尚未结束" not in out.explanation

    def test_no_closed_period_scores_zero_and_says_why(self, city):
        s = f.scheme()
        out = _score(s, f.indicator(s, "completion", 60), city.units["a"])
        assert out.points == 0 and "尚无已结束的调度期" in out.explanation

    def test_a_unit_without_led_items_gets_full_or_zero_as_configured(self, city):
        f.period(2023, 12)
        s = f.scheme()
        full = _score(s, f.indicator(s, "completion", 60), city.units["c"])
        zero = _score(s, f.indicator(s, "completion", 60, {"when_none": "zero"}), city.units["c"])
        assert (full.points, zero.points) == (Decimal("60.00"), Decimal("0.00"))

    def test_counted_statuses_are_configurable(self, city):
        p = f.period(2023, 12)
        f.snapshot(city.items["a"], p, "green")
        s = f.scheme()
        out = _score(s, f.indicator(s, "completion", 60, {"count": ["done"]}), city.units["a"])
        assert out.points == 0


class TestReporting:
    def test_deducts_per_late_missing_returned_and_copied_report(self, city):
        a, it = city.units["a"], city.items["a"]
        periods = [f.period(2023, m) for m in (3, 4, 5, 6, 7)]
        f.report(it, periods[0], is_late=True)
        f.report(it, periods[1], is_missing=True)
        f.report(it, periods[2], returns=2, send_backs=3)  # the head's send-backs cost nothing
        f.report(it, periods[3], is_copy=True, copy_confirmed=True)
        f.report(it, periods[4])  # on time
        # Flagged copies the office has not confirmed (or has cleared) cost nothing.
        f.report(f.item(city.plan, "A9", a), periods[3], is_copy=True)
        f.report(f.item(city.plan, "A10", a), periods[3], is_copy=True, copy_confirmed=False)
        f.report(it, f.period(2022, 12), is_late=True)  # another year
        s = f.scheme()
        out = _score(
            s, f.indicator(s, "reporting", 20, {"late": 1, "missing": 2, "returned": 0.5, "copy": 1}), a
        )
        assert out.points == Decimal("15.00")  # 20 − (1 + 2 + 2×0.5 + 1)
        assert sorted(e["points"] for e in out.evidence) == [-2.0, -1.0, -1.0, -1.0]
        assert "报送进展报告7份" in out.explanation
        assert all(e["model"] == "dispatch.report" and e["url"] for e in out.evidence)

    def test_a_missing_report_submitted_later_counts_as_late_not_missing(self, city):
        from django.utils import timezone

        p = f.period(2023, 3)
        f.report(city.items["a"], p, is_missing=True, is_late=True, submitted_at=timezone.now())
        s = f.scheme()
        out = _score(s, f.indicator(s, "reporting", 20, {"late": 1, "missing": 2}), city.units["a"])
        assert out.points == Decimal("19.00")

    def test_full_marks_name_only_what_the_indicator_counts(self, city):
        # The monthly standing splits reporting in two: a late report costs 按时报送, and 退回与照抄 (full
        # marks) must not claim the month had "no late report".
        p = f.period(2023, 3)
        f.report(city.items["a"], p, is_late=True)
        s = f.scheme()
        timely = _score(s, f.indicator(s, "reporting", 30, {"late": 2, "missing": 5}), city.units["a"])
        quality = _score(s, f.indicator(s, "reporting", 20, {"returned": 2, "copy": 3}), city.units["a"])
        assert timely.points == Decimal("28.00") and "逾期报送1次" in timely.explanation
        assert quality.points == Decimal("20.00")
        assert "无退回或照抄情况，得满分20分" in quality.explanation
        assert "逾期" not in quality.explanation
        every = _score(
            s,
            f.indicator(s, "reporting", 20, {"late": 1, "missing": 1, "returned": 1, "copy": 1}),
            city.units["b"],
        )
        assert "无逾期、未报、退回或照抄情况" in every.explanation
        with translation.override("en"):
            english = _score(s, f.indicator(s, "reporting", 20, {"returned": 2, "copy": 3}), city.units["a"])
        assert "none returned or copied: full points, 20" in english.explanation

    def test_floor_is_zero(self, city):
        p = f.period(2023, 3)
        f.report(city.items["a"], p, is_missing=True, is_copy=True, copy_confirmed=True)
        s = f.scheme()
        out = _score(s, f.indicator(s, "reporting", 2, {"missing": 2, "copy": 1}), city.units["a"])
        assert out.points == 0 and "按0分计" in out.explanation

    def test_a_scheme_may_count_flagged_copies_without_confirmation(self, city):
        from gandang.assessment.rules import describe_params

        p = f.period(2023, 3)
        f.report(city.items["a"], p, is_copy=True)
        f.report(f.item(city.plan, "A11", city.units["a"]), p, is_copy=True, copy_confirmed=False)
        s = f.scheme()
        by_default = _score(s, f.indicator(s, "reporting", 10, {"copy": 1}), city.units["a"])
        flagged = _score(
            s, f.indicator(s, "reporting", 10, {"copy": 1, "copy_flagged": True}), city.units["a"]
        )
        assert (by_default.points, flagged.points) == (Decimal("10.00"), Decimal("9.00"))
        assert "审核认定后扣分" in describe_params("reporting", {"copy": 1})
        assert "疑似照抄即扣分" in describe_params("reporting", {"copy": 1, "copy_flagged": True})
        with pytest.raises(ValidationError):
            validate_params("reporting", {"copy": 1, "copy_flagged": "yes"})
        with pytest.raises(ValidationError):
            validate_params("reporting", {"copy_flagged": True})


class TestSupervision:
    def test_deducts_per_listing_by_level_and_per_letter(self, city, office):
        a, it = city.units["a"], city.items["a"]
        x1 = f.listing(it, office, level="office", state="delisted")
        f.listing(f.item(city.plan, "A2", a), office, level="leader")
        f.letter(x1, kind="reminder")
        f.letter(x1, kind="supervision")
        f.listing(f.item(city.plan, "A3", a), office, level="leader", state="revoked")  # withdrawn: no cost
        f.listing(f.item(city.plan, "A4", a), office, on=date(2022, 11, 1), state="delisted")  # last year
        s = f.scheme()
        params = {"listing": {"office": 1, "leader": 2}, "letter": {"reminder": 0.5, "supervision": 1}}
        out = _score(s, f.indicator(s, "supervision", 10, params), a)
        assert out.points == Decimal("-4.50")
        assert len(out.evidence) == 4

    def test_deduction_is_capped(self, city, office):
        x = f.listing(city.items["a"], office, level="leader")
        f.letter(x)
        s = f.scheme()
        params = {"listing": {"leader": 2}, "letter": {"reminder": 1}}
        out = _score(s, f.indicator(s, "supervision", 2.5, params), city.units["a"])
        assert out.points == Decimal("-2.50") and "超过上限" in out.explanation

    def test_no_listing_no_deduction(self, city):
        s = f.scheme()
        out = _score(s, f.indicator(s, "supervision", 10, {"listing": {"office": 1}}), city.units["a"])
        assert out.points == 0 and out.evidence == []


class TestExperience:
    def test_bonus_per_promotion_by_level_for_every_unit_of_the_experience(self, city, office):
        a, b = city.units["a"], city.units["b"]
        e = f.experience([a, b], office)
        f.promotion(e, "province", office)
        f.promotion(e, "ministry", office)
        f.promotion(e, "city", office)  # a level without points in the params
        f.promotion(e, "central", office, on=date(2022, 12, 31))  # last year
        draft = f.experience([a], office, state="draft")
        f.promotion(draft, "central", office)  # not adopted: does not count
        published = f.experience([a], office, state="published")
        f.promotion(published, "province", office)
        s = f.scheme()
        ind = f.indicator(s, "experience", 10, {"levels": {"province": 2, "ministry": 3}})
        assert _score(s, ind, a).points == Decimal("7.00")
        assert _score(s, ind, b).points == Decimal("5.00")
        assert len(_score(s, ind, a).evidence) == 4

    def test_cap_per_unit(self, city, office):
        e = f.experience([city.units["a"]], office)
        for _ in range(3):
            f.promotion(e, "ministry", office)
        s = f.scheme()
        out = _score(s, f.indicator(s, "experience", 5, {"levels": {"ministry": 3}}), city.units["a"])
        assert out.points == Decimal("5.00") and "超过上限5分" in out.explanation


class TestPilots:
    def test_points_for_undertaken_and_passed_in_the_year(self, city, office):
        a = city.units["a"]
        f.pilot(a, office, level="national", undertaken=date(2023, 3, 1))
        f.pilot(
            a,
            office,
            level="province",
            state="passed",
            undertaken=date(2022, 3, 1),
            evaluated=date(2023, 10, 1),
        )
        f.pilot(
            a,
            office,
            level="national",
            state="passed",
            undertaken=date(2023, 1, 5),
            evaluated=date(2023, 11, 1),
        )
        f.pilot(a, office, level="city", state="applied")
        f.pilot(
            a,
            office,
            level="national",
            state="failed",
            undertaken=date(2022, 1, 1),
            evaluated=date(2023, 5, 1),
        )
        s = f.scheme()
        params = {"undertaken": {"national": 2, "province": 1}, "passed": {"national": 3, "province": 1.5}}
        out = _score(s, f.indicator(s, "pilots", 20, params), a)
        # national undertaken 2 + province passed 1.5 + national undertaken 2 and passed 3
        assert out.points == Decimal("8.50")
        assert len(out.evidence) == 4

    def test_a_pilot_whose_name_has_quotes_reads_with_them_turned_in(self, city, office):
        pilot = f.pilot(city.units["a"], office, undertaken=date(2023, 2, 10))
        pilot.name = "“科创中国”试点城市"
        pilot.save(update_fields=["name"])
        s = f.scheme()
        out = _score(s, f.indicator(s, "pilots", 4, {"undertaken": {"national": 2}}), city.units["a"])
        # Not ““科创中国”试点城市”: inside “”, the name's own quotation marks become ‘’ (GB/T 15834).
        assert out.evidence[0]["label"] == "国家级试点“‘科创中国’试点城市”承接（2023-02-10）"

    def test_cap(self, city, office):
        f.pilot(city.units["a"], office, undertaken=date(2023, 3, 1))
        f.pilot(city.units["a"], office, undertaken=date(2023, 4, 1))
        s = f.scheme()
        out = _score(s, f.indicator(s, "pilots", 3, {"undertaken": {"national": 2}}), city.units["a"])
        assert out.points == Decimal("3.00")


class TestHonors:
    def test_points_by_level_in_the_year_with_cap(self, city, office):
        a = city.units["a"]
        f.honor(a, office, level="state_council")
        f.honor(a, office, level="province")
        f.honor(a, office, level="province", on=date(2022, 12, 31))
        s = f.scheme()
        params = {"levels": {"state_council": 3, "province": 1}}
        assert _score(s, f.indicator(s, "honors", 10, params), a).points == Decimal("4.00")
        assert _score(s, f.indicator(s, "honors", 3.5, params), a).points == Decimal("3.50")
        assert _score(s, f.indicator(s, "honors", 3.5, params), city.units["b"]).points == 0


class TestPraise:
    def test_points_by_level_for_each_praise_naming_the_unit_or_an_item_it_leads(self, city, office):
        from gandang.matters import services as ms

        def praise(level, on, **links):
            data = ms.InstructionInput(
                leader_name="林武",
                leader_title="省委书记",
                level=level,
                kind="praise",
                on=on,
                text="做法很好",
                **links,
            )
            return ms.instruction_record(actor=office, data=data)

        a, b = city.units["a"], city.units["b"]
        praise("province", date(2023, 6, 20), units=[a])
        praise("city", date(2023, 7, 1), items=[city.items["a"]])  # unit A leads item a
        praise("central", date(2023, 8, 1), units=[a], items=[city.items["a"]])  # counted once for A
        praise("province", date(2022, 12, 31), units=[a])  # another year
        s = f.scheme()
        params = {"levels": {"central": 3, "province": 1, "city": 0.5}}
        out = _score(s, f.indicator(s, "praise", 10, params), a)
        assert out.points == Decimal("4.50") and len(out.evidence) == 3
        assert "获领导肯定性批示3件" in out.explanation
        assert _score(s, f.indicator(s, "praise", 2, params), a).points == Decimal("2.00")
        assert _score(s, f.indicator(s, "praise", 10, params), b).points == 0


class TestInformation:
    def test_points_for_each_adopted_piece_and_more_for_each_printed_in_the_window(self, city, office):
        from gandang.core import clock
        from tests.information.conftest import adopted, drafted, issued

        with clock.pinned(date(2023, 11, 6)):
            issued(city, n=2)  # two adopted and printed
            adopted(city, title="已采用未刊发")
            drafted(city, title="草稿不计")
        with clock.pinned(date(2022, 12, 20)):
            adopted(city, title="上年度的信息")
        s = f.scheme()
        out = _score(s, f.indicator(s, "information", 10, {"adopted": 0.5, "printed": 1}), city.units["a"])
        assert out.points == Decimal("3.50") and len(out.evidence) == 5
        assert "改革信息被采用3篇、被刊物刊发2篇" in out.explanation
        capped = _score(s, f.indicator(s, "information", 2, {"adopted": 0.5, "printed": 1}), city.units["a"])
        assert capped.points == Decimal("2.00")
        assert _score(s, f.indicator(s, "information", 10, {"adopted": 0.5}), city.units["b"]).points == 0

    def test_a_month_scores_what_was_adopted_and_printed_in_it_whenever_it_was_sent(self, city, office):
        """A standing's month counts a piece's adoption in the month it was adopted and its printing in
        the month its issue came out: a piece sent and adopted in January, printed in March's issue,
        earns its adoption in January and its printing in March, once each."""
        from gandang.assessment.records import gather_period
        from gandang.assessment.rules import information
        from gandang.core import clock
        from gandang.information import services
        from tests.information.conftest import adopted

        with clock.pinned(date(2023, 1, 16)):
            piece = adopted(city, title="一月报送的信息")
        with clock.pinned(date(2023, 3, 29)):
            issue = services.issue_create(actor=office, title="第一季度改革信息")
            services.issue_add(actor=office, issue=issue, pieces=[piece.pk])
            services.issue_publish(actor=office, issue=issue, issued_on=date(2023, 3, 29))
        s = f.scheme()
        spec = IndicatorSpec.of(f.indicator(s, "information", 10, {"adopted": 2, "printed": 3}))
        unit = city.units["a"].pk
        months = {m: information(spec, unit, gather_period(f.period(2023, m))) for m in (1, 2, 3)}
        assert [months[m].points for m in (1, 2, 3)] == [Decimal("2.00"), 0, Decimal("3.00")]
        assert "（2023-01-16采用）" in months[1].evidence[0]["label"]
        assert "刊发于" in months[3].evidence[0]["label"] and len(months[3].evidence) == 1
        assert "本月无被采用或刊发的改革信息" in months[2].explanation


class TestManual:
    def test_sums_the_units_scores_with_their_justification_and_caps_them(self, city, office):
        from gandang.assessment import services

        a = city.units["a"]
        s = f.scheme()
        ind = f.indicator(s, "manual", 3, name="改革特别奖")
        services.manual_add(
            actor=office, scheme=s, unit=a, indicator=ind, points=Decimal(2), justification="改革特别奖"
        )
        services.manual_add(
            actor=office, scheme=s, unit=a, indicator=ind, points=Decimal(2), justification="创新案例"
        )
        out = _score(s, ind, a)
        assert out.points == Decimal("3.00")
        assert (
            "改革特别奖" in out.explanation
            and "创新案例" in out.explanation
            and "超过上限" in out.explanation
        )
        m = services.manual_add(
            actor=office, scheme=s, unit=a, indicator=ind, points=Decimal(-5), justification="扣"
        )
        services.manual_void(actor=office, manual=m, reason="录错")
        assert _score(s, ind, a).points == Decimal("3.00")

    def test_justification_is_required(self, city, office):
        from gandang.assessment import services
        from gandang.core.errors import ServiceError

        s = f.scheme()
        ind = f.indicator(s, "manual", 3)
        with pytest.raises(ServiceError):
            services.manual_add(
                actor=office,
                scheme=s,
                unit=city.units["a"],
                indicator=ind,
                points=Decimal(1),
                justification=" ",
            )


@pytest.mark.parametrize(
    ("rule", "params"),
    [
        ("completion", {"count": ["purple"]}),
        ("completion", {"when_none": "maybe"}),
        ("reporting", {"late": -1}),
        ("reporting", {"tardy": 1}),
        ("supervision", {"listing": {"mayor": 1}}),
        ("experience", {"levels": {"galactic": 9}}),
        ("pilots", {"undertaken": {"national": "two"}}),
        ("honors", {"levels": {"province": True}}),
        ("praise", {"levels": {"galactic": 1}}),
        ("information", {"read": 1}),
        ("information", {"adopted": -1}),
        ("manual", {"x": 1}),
    ],
)
def test_params_the_rule_would_not_understand_are_refused(db, rule, params):
    with pytest.raises(ValidationError):
        validate_params(rule, params)


def test_grade_boundaries():
    grades = [
        {"name": "优秀", "min": 90},
        {"name": "良好", "min": 80},
        {"name": "一般", "min": 60},
        {"name": "较差", "min": None},
    ]
    assert [grade_for(grades, Decimal(x)) for x in ("90", "89.99", "80", "60", "59.99", "-3")] == [
        "优秀",
        "良好",
        "良好",
        "一般",
        "较差",
        "较差",
    ]


def test_ties_share_a_rank():
    assert rank([(1, Decimal(90)), (2, Decimal(95)), (3, Decimal(90)), (4, Decimal(80))]) == {
        2: 1,
        1: 2,
        3: 2,
        4: 4,
    }
