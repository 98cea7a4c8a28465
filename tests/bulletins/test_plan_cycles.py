"""The quarter's bulletin counts each plan on its own cycle: a quarterly plan's 第三季度 period, due
9月25日, counts in Q3 with its reports (timeliness in the units' table and a line of its own), its items
at the quarter's end as that period judged them (completed, lagging, the distribution, the ledger list
behind 查看全部); a period not due yet is named as still being reported, a span never opened holds the
bulletin back, and a city with monthly plans only reads exactly as before (the other bulletin tests)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from gandang.bulletins import document, services
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.dispatch import services as dispatch
from gandang.dispatch.models import Period, Report, StatusSnapshot
from gandang.ledger import services as ledger
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Milestone, Plan

Q3 = Quarter(2023, 3)
POINTS = "2023年全市优化营商环境改革工作要点"


def _at(d):
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


def _plan(city, name, cycle=Cycle.QUARTERLY, deadlines="04-25,06-25,09-25,11-25"):
    office = city.users["office"]
    plan = ledger.plan_save(
        actor=office, plan=Plan(), fields={"year": 2023, "name": name, "cycle": cycle, "deadlines": deadlines}
    )
    items = []
    for n, (unit, title) in enumerate(
        ((city.units["a"], "推进企业开办“一件事”集成改革"), (city.units["b"], "完善惠企政策“免申即享”机制")),
        1,
    ):
        items.append(
            ledger.item_create(
                actor=office,
                fields={"plan": plan, "code": f"Y{n}", "seq": n, "title": title, "lead_unit": unit},
            )
        )
    return plan, items


@pytest.fixture
def points(q3):
    """Q3 of the test city (June–September closed) and a quarterly plan whose third quarter, due 9月25日,
    is closed: unit A's report on time and its item done; unit B's report late and its item lagging."""
    plan, items = _plan(q3, POINTS)
    period, _n = dispatch.period_open(actor=q3.users["office"], year=2023, month=9, plan=plan)
    reports = Report.objects.filter(period=period)
    reports.filter(item=items[0]).update(submitted_at=_at(date(2023, 9, 20)))
    reports.filter(item=items[1]).update(submitted_at=_at(date(2023, 9, 27)), is_late=True)
    dispatch.period_close(actor=q3.users["office"], period=period)
    StatusSnapshot.objects.filter(period=period, item=items[0]).update(
        status="done", percent=100, reason="已完成"
    )
    StatusSnapshot.objects.filter(period=period, item=items[1]).update(
        status="yellow", percent=40, reason="完成进度40%，低于计划进度75%"
    )
    q3.points, q3.points_items, q3.points_period = plan, items, period
    return q3


def _text():
    return document.draft(Bulletin(year=2023, quarter=3), charts=False).document.text()


def test_the_quarters_plan_period_counts_its_reports_with_its_own_deadline(points):
    months = Report.objects.filter(period__in=[points.periods[m] for m in (7, 8, 9)])
    due = months.count() + 2
    on_time = months.filter(submitted_at__isnull=False, is_late=False).count() + 1
    text = _text()
    assert f"本季度7—9月月度调度和按各自周期报送的方案共应报送进展报告{due}份，按时报送{on_time}份" in text
    assert f"其中，《{POINTS}》按季度报送，本季度应报2项，按时1项、逾期1项（9月25日截止）。" in text
    f = quarter_figures(Q3)
    rows = {r.unit: r for r in f.timeliness}
    b_months = months.filter(unit=points.units["b"])
    assert rows["岱岳区"].late == b_months.filter(is_late=True).count() + 1
    assert rows["岱岳区"].due == b_months.count() + 1
    assert f.complete


def test_the_plans_items_end_the_quarter_as_their_period_judged_them(points, login, client):
    done, lagging = points.points_items
    f = quarter_figures(Q3)
    # The September month knows nothing of them (their plan reports quarterly): its period does.
    assert not StatusSnapshot.objects.filter(period=points.periods[9], item__in=[done, lagging]).exists()
    assert f.figures.total == 6
    assert done.pk in {x.item_id for x in f.completed}
    assert lagging.pk in {x.item_id for x in f.lagging} and f.lagging_counts.yellow == 2
    text = _text()
    assert "推进企业开办“一件事”集成改革" in text and "完成进度40%，低于计划进度75%" in text
    # The bulletin's 查看全部 lists exactly what it counts.
    login(points.users["office"])
    page = client.get(f.lagging_counts.url).content.decode()
    assert "完善惠企政策“免申即享”机制" in page and "推进企业开办“一件事”集成改革" not in page
    page = client.get(f.completed_url).content.decode()
    assert "推进企业开办“一件事”集成改革" in page


def test_an_item_its_period_reported_done_is_completed_once(points):
    done = points.points_items[0]
    # The fourth quarter, with October–December closed: the item is still done, not completed again.
    for month in (10, 11, 12):
        period, _n = dispatch.period_open(actor=points.users["office"], year=2023, month=month)
        dispatch.period_close(actor=points.users["office"], period=period)
    q4, _n = dispatch.period_open(actor=points.users["office"], year=2023, month=12, plan=points.points)
    dispatch.period_close(actor=points.users["office"], period=q4)
    StatusSnapshot.objects.filter(period=q4, item=done).update(status="done", percent=100)
    f = quarter_figures(Quarter(2023, 4))
    assert done.pk not in {x.item_id for x in f.completed}


def test_an_open_plan_period_holds_the_bulletin_back_and_is_named(points, login, client):
    Period.objects.filter(pk=points.points_period.pk).update(state=Period.State.OPEN)
    f = quarter_figures(Q3)
    assert not f.complete
    bulletin, _created = services.bulletin_draft(actor=points.users["office"], quarter=Q3)
    with pytest.raises(ServiceError, match=f"2023年第三季度（{POINTS}）（未结束）"):
        services.bulletin_issue(
            actor=points.users["office"], bulletin=bulletin, expected_version=bulletin.version
        )
    login(points.users["office"])
    page = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert f"2023年第三季度（{POINTS}）调度期尚未结束（2023-09-25截止报送）" in page


def test_a_plan_period_not_due_yet_is_not_counted_and_says_so(points):
    plan = points.points
    q4, _n = dispatch.period_open(actor=points.users["office"], year=2023, month=12, plan=plan)
    with clock.pinned(date(2023, 11, 20)):
        f = quarter_figures(Quarter(2023, 4))
        assert f.plan_timeliness == [] and f.pending_plan_periods == [q4]
        text = document.draft(Bulletin(year=2023, quarter=4), charts=False).document.text()
    assert f"《{POINTS}》2023年第四季度进展报告11月25日截止，尚未计入。" in text
    with clock.pinned(date(2023, 11, 26)):
        f = quarter_figures(Quarter(2023, 4))
        assert [t.due for t in f.plan_timeliness] == [2] and f.plan_timeliness[0].missing == 2


def test_a_plan_span_never_opened_holds_the_bulletin_back(points):
    with clock.pinned(date(2023, 6, 1)):  # its tasks in the ledger before the quarter's report was due
        _plan(points, "2023年数字政府建设工作要点")
    f = quarter_figures(Q3)
    assert not f.complete
    assert f.plan_spans_missing == ["2023年第三季度（2023年数字政府建设工作要点）"]
    assert "2023年第三季度（2023年数字政府建设工作要点）调度期尚未开启" in _text()


def test_a_plan_imported_after_a_span_was_due_does_not_hold_that_quarter_back(points):
    """A 工作要点 imported in December: its third quarter was due (9月25日) before it had a task, so no
    period of it was ever to open; the third quarter's bulletin is not waiting for one."""
    with clock.pinned(date(2023, 12, 5)):
        _plan(points, "2023年数字政府建设工作要点")
    f = quarter_figures(Q3)
    assert f.plan_spans_missing == []
    assert "调度期尚未开启" not in _text()


def test_a_half_yearly_plans_second_half_counts_in_the_fourth_quarter(points):
    plan, _items = _plan(points, "2023年法治政府建设实施方案", Cycle.HALFYEARLY, "07-10,12-20")
    h2, _n = dispatch.period_open(actor=points.users["office"], year=2023, month=12, plan=plan)
    Report.objects.filter(period=h2).update(submitted_at=_at(date(2023, 12, 18)))
    with clock.pinned(date(2023, 12, 21)):
        text = document.draft(Bulletin(year=2023, quarter=4), charts=False).document.text()
    assert "《2023年法治政府建设实施方案》按半年报送，下半年应报2项，按时2项（12月20日截止）" in text


# -- the dashboard -------------------------------------------------------------------------------------


def test_the_dashboard_of_a_quarterly_plan_shows_its_quarters_not_months(points, login, client):
    login(points.users["office"])
    response = client.get(f"/dashboard/?plan={points.points.pk}")
    d = response.context["d"]
    assert [g.label for g in d.trend] == ["2023年第三季度"]
    assert [(t.period.span_label, t.on_time, t.late, t.missing) for t in d.timeliness] == [
        ("2023年第三季度", 1, 1, 0)
    ]
    page = response.content.decode()
    assert "各期趋势" in page and f"《{POINTS}》按季度报送：趋势和报送及时性按其各期显示。" in page


def test_the_city_dashboard_lists_the_plans_periods_beside_the_months(points, login, client):
    login(points.users["office"])
    response = client.get("/dashboard/")
    d = response.context["d"]
    assert all(t.period.plan_id is None for t in d.timeliness)
    assert [(str(t.period), t.on_time, t.late) for t in d.plan_timeliness] == [
        (f"2023年第三季度（{POINTS}）", 1, 1)
    ]
    page = response.content.decode()
    assert "按各自周期报送的方案" in page and "2023-09-25" in page
    # A monthly city's dashboard has no such table.
    response = client.get(f"/dashboard/?plan={points.plan.pk}")
    assert (
        response.context["d"].plan_timeliness == []
        and "按各自周期报送的方案" not in response.content.decode()
    )


def test_the_months_trend_keeps_a_quarterly_item_out_of_the_lagging_until_its_report_is_due(
    city, login, client
):
    """A quarterly item whose milestone fell due on 15 February: February's and March's lights (closed
    before its first quarter's report, due 4月25日) do not show it lagging; April's does."""
    _plan_, items = _plan(city, POINTS)
    for item in items:
        Milestone.objects.create(item=item, title="印发工作方案", due_date=date(2023, 2, 15))
    office = city.users["office"]
    for month in (2, 3, 4):
        period, _n = dispatch.period_open(actor=office, year=2023, month=month)
        dispatch.period_close(actor=office, period=period)
    login(office)
    d = client.get(f"/dashboard/?plan={city.plan.pk}").context["d"]  # the monthly plan: unchanged
    trend = {g.label: g.counts for g in client.get("/dashboard/").context["d"].trend}
    assert trend["2023年2月"]["red"] + trend["2023年2月"]["yellow"] == (
        d.trend[0].counts["red"] + d.trend[0].counts["yellow"]
    )
    assert trend["2023年3月"]["red"] + trend["2023年3月"]["yellow"] == (
        d.trend[1].counts["red"] + d.trend[1].counts["yellow"]
    )
    assert trend["2023年4月"]["red"] == d.trend[2].counts["red"] + 2


@pytest.mark.parametrize("page", ["dashboard", "bulletin", "lagging list"])
def test_queries_do_not_grow_with_the_plans_periods(points, login, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = points.users["office"]
    client = login(office)
    bulletin, _created = services.bulletin_draft(actor=office, quarter=Q3)
    url = {
        "dashboard": "/dashboard/",
        "bulletin": f"/bulletins/{bulletin.pk}/",
        "lagging list": quarter_figures(Q3).lagging_counts.url,
    }[page]

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(3):
        plan, _items = _plan(points, f"2023年第{n + 2}批改革工作要点")
        period, _n = dispatch.period_open(actor=office, year=2023, month=9, plan=plan)
        dispatch.period_close(actor=office, period=period)
    assert len(quarter_figures(Q3).plan_timeliness) == 4
    assert queries() == few


def test_a_plans_own_period_is_a_dashboard_choice_with_its_plan(points, login, client):
    login(points.users["office"])
    q3 = points.points_period
    d = client.get(f"/dashboard/?plan={points.points.pk}&period={q3.pk}").context["d"]
    assert d.period == q3 and d.status.counts["done"] == 1 and d.status.counts["yellow"] == 1
    # Without its plan the period would count its plan's items only: refused in words, current shown.
    response = client.get(f"/dashboard/?period={q3.pk}")
    assert response.context["d"].period is None
    assert f"“2023年第三季度（{POINTS}）”是该方案按自身周期报送的调度期，请同时选择该方案" in (
        response.content.decode()
    )


def test_a_city_month_is_refused_in_words_with_a_plan_on_its_own_cycle(points, login, client):
    login(points.users["office"])
    september = points.periods[9]
    # The city's month holds no snapshot of a quarterly plan's items: every figure would read 0.
    response = client.get(f"/dashboard/?plan={points.points.pk}&period={september.pk}")
    d = response.context["d"]
    assert d.period is None and d.total == 2  # the plan's current figures instead
    assert f"“{POINTS}”按季度报送，全市的月调度期没有它的快照：请选择该方案自己的调度期" in (
        response.content.decode()
    )
