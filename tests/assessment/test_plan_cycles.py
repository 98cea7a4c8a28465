"""A plan that reports quarterly counts in the assessment and the monthly standing: a unit late or
missing in one of its quarters loses the points its sheet explains, the quarter named; a quarter counts
in the standing of the month it ends in (its deadline, 一季度 by 4月25日 → April)."""

from datetime import date
from decimal import Decimal

import pytest

from gandang.assessment import standing_services
from gandang.assessment.records import gather, gather_period
from gandang.assessment.rules import IndicatorSpec, score
from gandang.dispatch.models import Period
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from tests.assessment import factories as f

POINTS = "2023年全市优化营商环境改革工作要点"


def quarter(plan: Plan, month: int, deadline: date, *, closed: bool = True) -> Period:
    return Period.objects.create(
        year=deadline.year,
        month=month,
        plan=plan,
        cycle=plan.cycle,
        opens_on=date(2023, month, 1),
        deadline=deadline,
        state=Period.State.CLOSED if closed else Period.State.OPEN,
    )


@pytest.fixture
def plan(city):
    """A quarterly plan whose one task is led by unit A, next to the city's monthly key reform plan."""
    p = Plan.objects.create(
        year=2023, name=POINTS, cycle=Cycle.QUARTERLY, deadlines="04-25,06-25,09-25,11-25"
    )
    city.task = f.item(p, "Q1", city.units["a"])
    return p


def test_a_unit_late_and_missing_in_its_quarters_loses_the_points_its_sheet_explains(city, plan, client):
    a = city.units["a"]
    march = f.period(2023, 3)
    f.report(city.items["a"], march)  # on time in the city's month
    q1 = quarter(plan, 3, date(2023, 4, 25))
    q2 = quarter(plan, 6, date(2023, 6, 25))
    q3 = quarter(plan, 9, date(2023, 9, 25))
    f.report(city.task, q1)  # on time
    late = f.report(city.task, q2, is_late=True)
    missing = f.report(city.task, q3, is_missing=True)
    f.report(
        city.task,
        quarter(
            Plan.objects.create(year=2022, name="去年的要点", cycle=Cycle.QUARTERLY), 12, date(2022, 11, 25)
        ),
        is_late=True,
    )  # another year
    s = f.scheme()
    ind = f.indicator(s, "reporting", 20, {"late": 1, "missing": 2})
    out = score(IndicatorSpec.of(ind), a.pk, gather(s))
    assert out.points == Decimal("17.00")  # 20 − 1 (late in the second quarter) − 2 (missing in the third)
    assert "本年度报送进展报告4份（含按季度报送的方案3期3份）" in out.explanation
    labels = {e["id"]: e["label"] for e in out.evidence}
    assert labels[late.pk] == f"2023年第二季度（{POINTS}） Q1 事项Q1：逾期报送"
    assert labels[missing.pk] == f"2023年第三季度（{POINTS}） Q1 事项Q1：截止时未报送"

    # The sheet a unit reads says so, and links to each report behind the deduction.
    from gandang.assessment import services

    run = services.run_compute(actor=city.users["office"], scheme=s)
    client.force_login(city.users["office"])
    page = client.get(f"/assessment/runs/{run.pk}/units/{a.pk}/").content.decode()
    assert "含按季度报送的方案3期3份" in page
    assert f"2023年第二季度（{POINTS}）" in page and late.get_absolute_url() in page
    assert missing.get_absolute_url() in page


def test_a_copy_in_a_quarter_is_a_copy_of_the_quarter_before(city, plan):
    q2 = quarter(plan, 6, date(2023, 6, 25))
    copied = f.report(city.task, q2, is_copy=True, copy_confirmed=True)
    s = f.scheme()
    ind = f.indicator(s, "reporting", 10, {"copy": 1})
    out = score(IndicatorSpec.of(ind), city.units["a"].pk, gather(s))
    assert out.points == Decimal("9.00")
    assert out.evidence[0]["id"] == copied.pk and out.evidence[0]["label"].endswith("照抄上期（改革办认定）")
    assert "其中照抄上期（改革办认定）1次" in out.explanation
    # With a copy in the city's month as well, the count names both.
    f.report(city.items["a"], f.period(2023, 7), is_copy=True, copy_confirmed=True)
    out = score(IndicatorSpec.of(ind), city.units["a"].pk, gather(s))
    assert out.points == Decimal("8.00") and "其中照抄上月或上期（改革办认定）2次" in out.explanation


def test_a_monthly_unit_reads_as_before(city, plan):
    march = f.period(2023, 3)
    f.report(city.items["b"], march, is_late=True)
    s = f.scheme()
    ind = f.indicator(s, "reporting", 20, {"late": 1})
    out = score(IndicatorSpec.of(ind), city.units["b"].pk, gather(s))
    assert out.explanation.startswith("本年度报送进展报告1份，其中逾期报送1次")
    assert out.evidence[0]["label"] == "2023年3月 2 " + city.items["b"].title + "：逾期报送"


def test_a_quarter_counts_in_the_standing_of_the_month_it_ends_in(city, plan):
    """一季度 due 4月25日 ends in April: April's standing counts its late report, March's does not; the whole
    year's period due 11月25日 ends with December (its span's last day), so November's does not count it."""
    march, april = f.period(2023, 3), f.period(2023, 4)
    november, december = f.period(2023, 11), f.period(2023, 12)
    q1 = quarter(plan, 3, date(2023, 4, 25))
    q4 = quarter(plan, 12, date(2023, 11, 25))
    late = f.report(city.task, q1, is_late=True)
    missing = f.report(city.task, q4, is_missing=True)
    f.report(city.items["a"], april)
    s = f.standing_scheme()
    ind = s.indicators.get(name="按时报送")
    a = city.units["a"].pk

    def reporting(period):
        return score(IndicatorSpec.of(ind), a, gather_period(period))

    assert reporting(march).points == Decimal("20.00")
    out = reporting(april)
    assert out.points == Decimal("19.00")
    assert f"本月报送进展报告2份（含2023年第一季度（{POINTS}）1份）" in out.explanation
    assert [e["id"] for e in out.evidence] == [late.pk]
    assert reporting(november).points == Decimal("20.00")
    assert [e["id"] for e in reporting(december).evidence] == [missing.pk]

    # The standing a unit reads after April closes names the quarter behind its lost point.
    standing = standing_services.standing_compute(actor=city.users["office"], period=april)
    line = standing.lines.get(unit_id=a, indicator=ind)
    assert line.points == Decimal("19.00") and f"2023年第一季度（{POINTS}）" in line.explanation
