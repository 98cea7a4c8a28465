"""A plan that reports quarterly has periods of its own: opened by the tick before each deadline, with
reports for its items only, marked missing after the deadline and closed; the city's month goes on
without its items, exactly as before."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from gandang.city.calendar import run_tick
from gandang.dispatch import services
from gandang.dispatch.models import Period, Report, StatusSnapshot
from gandang.ledger import services as ledger_services
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from gandang.notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")
POINTS = "2023年全市全面深化改革工作要点"


@pytest.fixture
def points(city):
    """A quarterly plan (一季度、上半年、前三季度、全年 due 4月25日, 6月25日, 9月25日, 11月25日) with two items:
    one led by unit A, one by unit B."""
    office = city.users["office"]
    plan = ledger_services.plan_save(
        actor=office,
        plan=Plan(),
        fields={
            "year": 2023,
            "name": POINTS,
            "cycle": Cycle.QUARTERLY,
            "deadlines": "4-25,06-25,09-25,11-25",
        },
    )
    for n, unit in ((1, city.units["a"]), (2, city.units["b"])):
        ledger_services.item_create(
            actor=office,
            fields={"plan": plan, "code": f"Y{n}", "seq": n, "title": f"工作要点任务{n}", "lead_unit": unit},
        )
    return plan


def _items(period):
    return set(Report.objects.filter(period=period).values_list("item__code", flat=True))


def _twice(day):
    """The tick for `day`, then again: the second run finds nothing left to do."""
    result = run_tick(today=day)
    counts = (Period.objects.count(), Report.objects.count(), Notification.objects.count())
    again = run_tick(today=day)
    assert (Period.objects.count(), Report.objects.count(), Notification.objects.count()) == counts
    assert again.names["opened"] == [] and again.names["closed"] == []
    return result


def test_the_plan_keeps_its_deadlines_in_one_form(points):
    assert points.deadlines == "04-25,06-25,09-25,11-25"
    assert points.cycle_display == (
        "按季度报送：2023年第一季度4月25日前、2023年第二季度6月25日前、2023年第三季度9月25日前、2023年第四季度11月25日前"
    )


def test_a_quarter_on_the_tick_calendar(city, points, settings):
    settings.GANDANG_PLAN_PERIOD_LEAD_DAYS = 15
    liaison_a, head_a = city.users["liaison_a"], city.users["head_a"]
    # 1 April: the city's month opens with the monthly plans' items only; the quarter is not yet due.
    r = _twice(date(2023, 4, 1))
    assert r.names["opened"] == ["2023年4月"]
    april = Period.objects.get(plan__isnull=True, year=2023, month=4)
    assert _items(april) == {"1", "2", "3"}
    assert not Period.objects.filter(plan=points).exists()
    _twice(date(2023, 4, 9))
    assert not Period.objects.filter(plan=points).exists()

    # 10 April, fifteen days before 4月25日: the first quarter opens, with the plan's items only.
    r = _twice(date(2023, 4, 10))
    q1 = Period.objects.get(plan=points)
    label = f"2023年第一季度（{POINTS}）"
    assert r.names["opened"] == [label] and str(q1) == label
    assert (q1.cycle, q1.year, q1.month, q1.opens_on, q1.deadline) == (
        Cycle.QUARTERLY,
        2023,
        3,
        date(2023, 4, 10),
        date(2023, 4, 25),
    )
    assert _items(q1) == {"Y1", "Y2"}
    assert _items(april) == {"1", "2", "3"}
    assert Notification.objects.filter(
        user=liaison_a, title__startswith=f"{label}进展报告已开始填报"
    ).exists()

    # Unit A's report reaches the office on time; unit B files nothing.
    report = Report.objects.get(period=q1, item__code="Y1")
    services.report_save(
        actor=liaison_a, report=report, expected_version=report.version, fields={"progress": "一季度完成"}
    )
    services.report_step(
        actor=liaison_a, report=report, action="submit", now=datetime(2023, 4, 20, 9, tzinfo=TZ)
    )
    services.report_step(
        actor=head_a, report=report, action="approve", now=datetime(2023, 4, 21, 9, tzinfo=TZ)
    )
    report.refresh_from_db()
    assert report.submitted_at is not None and not report.is_late

    # 26 April: past the quarter's deadline, unit B's report is missing.
    r = _twice(date(2023, 4, 26))
    missing = Report.objects.get(period=q1, item__code="Y2")
    assert missing.is_missing and not Report.objects.get(period=q1, item__code="Y1").is_missing
    assert Notification.objects.filter(
        user=city.users["liaison_b"], title=f"{label}进展报告逾期未报送"
    ).exists()

    # The quarter stays open for ten days after its deadline (its months ended on 31 March), then closes
    # and its snapshots, of its own items only, freeze.
    _twice(date(2023, 5, 5))
    q1.refresh_from_db()
    assert q1.state == Period.State.OPEN
    r = _twice(date(2023, 5, 6))
    q1.refresh_from_db()
    assert q1.state == Period.State.CLOSED and label in r.names["closed"]
    assert set(StatusSnapshot.objects.filter(period=q1).values_list("item__code", flat=True)) == {"Y1", "Y2"}

    # 10 June: the second quarter opens and carries the first quarter's next steps and percent.
    _twice(date(2023, 6, 10))
    q2 = Period.objects.get(plan=points, month=6)
    assert str(q2) == f"2023年第二季度（{POINTS}）" and q2.deadline == date(2023, 6, 25)
    assert q2.previous() == q1
    assert _items(q2) == {"Y1", "Y2"}


def test_a_report_signed_after_the_quarters_deadline_is_late(city, points):
    q1, n = services.period_open(actor=city.users["office"], year=2023, month=3, plan=points)
    assert n == 2 and q1.deadline == date(2023, 4, 25)
    report = Report.objects.get(period=q1, item__code="Y1")
    liaison_a = city.users["liaison_a"]
    services.report_save(
        actor=liaison_a, report=report, expected_version=report.version, fields={"progress": "完成"}
    )
    services.report_step(
        actor=liaison_a, report=report, action="submit", now=datetime(2023, 4, 26, 9, tzinfo=TZ)
    )
    services.report_step(
        actor=city.users["head_a"], report=report, action="approve", now=datetime(2023, 4, 26, 10, tzinfo=TZ)
    )
    report.refresh_from_db()
    assert report.is_late


def test_the_months_exclude_a_quarterly_plans_items_and_the_months_key_stays(city, points):
    october, n = services.period_open(actor=None, year=2023, month=10)
    assert n == 3 and _items(october) == {"1", "2", "3"}
    assert str(october) == "2023年10月"
    # A plan's span and the city's month may end in the same month; each is unique in its own kind.
    q3, n = services.period_open(actor=None, year=2023, month=9, plan=points)
    september, _ = services.period_open(actor=None, year=2023, month=9)
    assert q3 != september and _items(q3) == {"Y1", "Y2"} and "Y1" not in _items(september)
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=2023, month=10, opens_on=date(2023, 10, 1), deadline=date(2023, 10, 25))
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(
            year=2023,
            month=9,
            plan=points,
            cycle=Cycle.QUARTERLY,
            opens_on=date(2023, 9, 1),
            deadline=date(2023, 9, 25),
        )


def test_a_plan_span_must_end_in_one_of_its_months(city, points):
    from gandang.core.errors import ServiceError

    with pytest.raises(ServiceError, match="没有在5月结束的报送期"):
        services.period_open(actor=None, year=2023, month=5, plan=points)


def test_a_plan_back_to_monthly_reports_in_the_month(city, points):
    ledger_services.plan_save(
        actor=city.users["office"], plan=points, fields={"cycle": Cycle.MONTHLY, "deadlines": ""}
    )
    november, n = services.period_open(actor=None, year=2023, month=11)
    assert _items(november) == {"1", "2", "3", "Y1", "Y2"}
    assert run_tick(today=date(2023, 11, 10)).names["opened"] == []


def test_other_years_and_archived_plans_open_nothing(city, points):
    ledger_services.plan_save(actor=None, plan=points, fields={"is_archived": True})
    assert run_tick(today=date(2023, 4, 10)).names["opened"] == ["2023年4月"]
    ledger_services.plan_save(actor=None, plan=points, fields={"is_archived": False})
    assert not [n for n in run_tick(today=date(2024, 4, 10)).names["opened"] if "季度" in n]


# --- the pages -----------------------------------------------------------------------------------


def test_the_fill_and_review_pages_name_the_plans_span(city, points, login):
    q1, _ = services.period_open(actor=None, year=2023, month=3, plan=points)
    body = login(city.users["liaison_a"]).get(f"/dispatch/periods/{q1.pk}/fill/").content.decode()
    assert f"2023年第一季度（{POINTS}）" in body and "工作要点任务1" in body and "工作要点任务2" not in body
    body = login(city.users["office"]).get(f"/dispatch/periods/{q1.pk}/").content.decode()
    assert f"2023年第一季度（{POINTS}）" in body and "工作要点任务2" in body
    listing = login(city.users["office"]).get("/dispatch/").content.decode()
    assert f"2023年第一季度（{POINTS}）" in listing and POINTS in listing  # the plan is offered to open


def test_the_api_lists_periods_with_their_plan_and_span(city, points, login):
    q1, _ = services.period_open(actor=None, year=2023, month=3, plan=points)
    rows = login(city.users["observer"]).get("/api/dispatch/periods").json()
    row = next(r for r in rows if r["id"] == q1.pk)
    assert (row["plan_id"], row["cycle"], row["month"], row["label"]) == (
        points.pk,
        "quarterly",
        3,
        f"2023年第一季度（{POINTS}）",
    )
    plans = login(city.users["observer"]).get("/api/ledger/plans").json()
    assert {"id": points.pk, "cycle": "quarterly", "deadlines": "04-25,06-25,09-25,11-25"}.items() <= next(
        p for p in plans if p["id"] == points.pk
    ).items()


# --- who may open a plan's period --------------------------------------------------------------

ROLES = ["office", "leader", "liaison_a", "head_a", "liaison_b", "observer", "sysadmin"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_opens_a_plans_period_by_hand(city, points, login, role, settings):
    settings.GANDANG_TODAY = "2023-06-01"  # the day the office opens it by hand, before its deadline
    client = login(city.users[role])
    response = client.post(
        "/dispatch/periods/new/", {"year": 2023, "month": 6, "plan": points.pk, "deadline": "2023-06-25"}
    )
    opened = Period.objects.filter(plan=points, month=6).first()
    if role == "office":
        assert response.status_code == 302 and opened is not None
        assert _items(opened) == {"Y1", "Y2"} and opened.opened_by == city.users["office"]
    else:
        assert response.status_code == 403 and opened is None
    # The API has no way to open a period (a system administrator handles no business data at all).
    api = client.post("/api/dispatch/periods", {}, content_type="application/json")
    assert api.status_code == (403 if role == "sysadmin" else 405)


def test_anyone_signed_out_is_sent_to_sign_in(client, city, points):
    response = client.post("/dispatch/periods/new/", {"year": 2023, "month": 6, "plan": points.pk})
    assert response.status_code == 302 and not Period.objects.exists()


def test_the_open_form_refuses_a_month_that_ends_no_span(city, points, login, settings):
    settings.GANDANG_TODAY = "2023-05-01"  # the day the office opens it by hand, before its deadline
    client = login(city.users["office"])
    response = client.post(
        "/dispatch/periods/new/",
        {"year": 2023, "month": 5, "plan": points.pk, "deadline": "2023-06-25"},
        follow=True,
    )
    assert "月份应为各期最后一个月（3、6、9、12）" in response.content.decode()
    assert not Period.objects.exists()
    # A monthly period is opened as before.
    response = client.post("/dispatch/periods/new/", {"year": 2023, "month": 5, "deadline": "2023-05-25"})
    assert response.status_code == 302 and _items(Period.objects.get()) == {"1", "2", "3"}


def test_an_imported_quarterly_plans_items_land_in_its_first_quarter(city, tmp_path):
    """The issue's done-when: a Word 工作要点 imported, its items in the plan's first quarterly period."""
    from io import StringIO

    from django.core.management import call_command

    from tests.fixtures import plan_documents as docs

    [(labelled, path)] = [(x, p) for x, p in docs.write_all(tmp_path) if x.name == "gongzuo_yaodian"]
    call_command("ledger", "import", str(path), "--create-missing", stdout=StringIO())
    plan = Plan.objects.get(name=labelled.plan_title)
    assert plan.cycle == Cycle.QUARTERLY
    r = run_tick(today=date(2023, 4, 10))
    q1 = Period.objects.get(plan=plan)
    assert r.names["opened"] == ["2023年4月", str(q1)] and q1.deadline == date(2023, 4, 25)
    expected = set(services.active_items(q1.last_day, plan=plan).values_list("code", flat=True))
    assert len(expected) >= 30
    assert _items(q1) == expected
    assert _items(Period.objects.get(plan__isnull=True, month=4)) == {"1", "2", "3"}


def test_a_plans_period_asks_for_this_periods_progress_not_this_months(city, points, login):
    """The report's words follow the period: 本期进展 on a plan's quarter, 本月进展 in the city's month."""
    from gandang.core.errors import ServiceError

    q1, _ = services.period_open(actor=None, year=2023, month=3, plan=points)
    march, _ = services.period_open(actor=None, year=2023, month=3)
    liaison = login(city.users["liaison_a"])
    quarter = liaison.get(f"/dispatch/periods/{q1.pk}/fill/").content.decode()
    assert "本期进展" in quarter and "本月进展" not in quarter
    month = liaison.get(f"/dispatch/periods/{march.pk}/fill/").content.decode()
    assert "本月进展" in month and "本期进展" not in month

    report = Report.objects.get(period=q1, item__code="Y1")
    with pytest.raises(ServiceError, match="请先填写“本期进展”再提交"):
        services.report_step(actor=city.users["liaison_a"], report=report, action="submit")
    services.report_save(
        actor=city.users["liaison_a"],
        report=report,
        expected_version=report.version,
        fields={"progress": "已完成"},
    )
    services.report_step(actor=city.users["liaison_a"], report=report, action="submit")
    sign = login(city.users["head_a"]).get("/dispatch/sign/").content.decode()
    assert "已完成" in sign and "本期进展" in sign and "本月进展" not in sign
    detail = login(city.users["office"]).get(f"/dispatch/reports/{report.pk}/").content.decode()
    assert "本期进展" in detail and "本期计划" in detail and "本月进展" not in detail


def test_the_open_form_tells_the_office_how_to_open_a_plans_missed_period(city, points, login, settings):
    """A plan imported after its quarter's opening day: the dispatch page says which month to give, and
    the quarter it opens counts its copies against 上期, not 上月."""
    settings.GANDANG_TODAY = "2023-12-01"  # the day the office opens it by hand, before its deadline
    office = login(city.users["office"])
    listing = office.get("/dispatch/").content.decode()
    assert 'id="id_month_helptext"' in listing
    assert "按季度、半年或年报送的方案，填该期的最后一个月（如一季度填3）" in listing
    assert "错过了开启的，在这里选择方案和该期最后一个月，手动开启" in listing
    response = office.post(
        "/dispatch/periods/new/", {"year": 2023, "month": 12, "plan": points.pk, "deadline": "2023-12-25"}
    )
    q4 = Period.objects.get(plan=points, month=12)
    assert response.status_code == 302 and response.url == q4.get_absolute_url()
    assert _items(q4) == {"Y1", "Y2"}
    detail = office.get(q4.get_absolute_url()).content.decode()
    assert "疑似照抄上期" in detail and "疑似照抄上月" not in detail


def test_a_period_opened_by_hand_past_its_deadline_is_refused_in_words(city, points, login, settings):
    """A plan imported in December, its fourth quarter due 11月25日 (the day the box is filled with): opened
    so, every report would be missing at once and no unit told; the office is asked for a later day."""
    settings.GANDANG_TODAY = "2023-12-05"
    client = login(city.users["office"])
    for deadline in ("2023-11-25", ""):  # typed, or left to the plan's own day
        response = client.post(
            "/dispatch/periods/new/",
            {"year": 2023, "month": 12, "plan": points.pk, "deadline": deadline},
            follow=True,
        )
        body = response.content.decode()
        assert (
            "报送截止日期2023年11月25日已过：开启后全部报告会立即记为未报送，请填写今天以后的截止日期" in body
        )
        assert not Period.objects.exists()
        # The form comes back as it was sent: the plan and month chosen, the date typed, to be changed.
        assert response.status_code == 400
        assert f'<option value="{points.pk}" selected>' in body
        assert re.search(r'<input[^>]*name="deadline"[^>]*value="2023-11-25"', body) or not deadline
    response = client.post(
        "/dispatch/periods/new/", {"year": 2023, "month": 12, "plan": points.pk, "deadline": "2023-12-15"}
    )
    assert response.status_code == 302 and Period.objects.get(plan=points, month=12).deadline == date(
        2023, 12, 15
    )
