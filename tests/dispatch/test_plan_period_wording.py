"""The pages of a plan's own period (a quarter) speak of 本期/上期 and 季度调度, never of 本月/上月 or 月调度;
the city's month pages read as before; the office opening a quarter by hand gets the plan's own deadline."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from gandang.dispatch import services
from gandang.dispatch.models import Period, Report
from gandang.ledger import services as ledger_services
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from tests.fixtures import plan_documents as docs

POINTS = "2023年全市优化营商环境改革工作要点"
DEADLINES = "04-20,07-10,10-15,12-20"  # none of them the city's 25th


@pytest.fixture
def plan(city):
    office = city.users["office"]
    p = ledger_services.plan_save(
        actor=office,
        plan=Plan(),
        fields={"year": 2023, "name": POINTS, "cycle": Cycle.QUARTERLY, "deadlines": DEADLINES},
    )
    ledger_services.item_create(
        actor=office,
        fields={"plan": p, "code": "Y1", "seq": 1, "title": "工作要点任务1", "lead_unit": city.units["a"]},
    )
    return p


def _copied(period: Period, unit) -> Report:
    report = Report.objects.filter(period=period, unit=unit).order_by("pk").first()
    Report.objects.filter(pk=report.pk).update(is_copy=True, similarity=0.96)
    return Report.objects.get(pk=report.pk)


def _crumb(body: str) -> str:
    return re.search(r'<nav class="crumbs"><a href="/dispatch/">([^<]*)</a>', body).group(1)


def test_a_quarters_pages_say_this_period_and_last_period(city, plan, login):
    quarter, _n = services.period_open(actor=None, year=2023, month=6, plan=plan)
    report = _copied(quarter, city.units["a"])
    liaison = login(city.users["liaison_a"])
    fill = liaison.get(reverse("dispatch:period_fill", args=[quarter.pk])).content.decode()
    assert _crumb(fill) == "季度调度"
    assert "与上期高度相似" in fill and "与上月高度相似" not in fill
    detail = liaison.get(report.get_absolute_url()).content.decode()
    assert _crumb(detail) == "季度调度"
    assert "本期报告与上期报告的相似度为 0.96，可能照抄了上期内容。" in detail
    assert "疑似照抄上期" in detail and "本期完成节点" in detail and "本月" not in detail
    # 全部提交签发 with nothing written: the refusal names the field as the page calls it.
    assert services.submittable(report) == "尚未填写“本期进展”"

    office = login(city.users["office"])
    page = office.get(quarter.get_absolute_url()).content.decode()
    assert _crumb(page) == "季度调度"
    assert f"<title>2023年第二季度（{POINTS}） 季度调度" in page
    response = office.post(
        reverse("dispatch:copy_verdict", args=[report.pk]), {"verdict": "confirm"}, follow=True
    )
    assert "已认定为照抄上期" in response.content.decode()
    # The item's page lists its quarters (and the city's months' lights) as 调度记录, not 月度调度.
    item = office.get(report.item.get_absolute_url()).content.decode()
    assert "<h2>调度记录</h2>" in item and "<h2>月度调度</h2>" not in item


def test_the_city_months_pages_read_as_before(city, plan, login):
    month, _n = services.period_open(actor=None, year=2023, month=6)
    report = _copied(month, city.units["a"])
    liaison = login(city.users["liaison_a"])
    fill = liaison.get(reverse("dispatch:period_fill", args=[month.pk])).content.decode()
    assert _crumb(fill) == "月调度" and "与上月高度相似" in fill
    detail = liaison.get(report.get_absolute_url()).content.decode()
    assert _crumb(detail) == "月调度"
    assert "本月报告与上月报告的相似度为 0.96，可能照抄了上月内容。" in detail and "本月完成节点" in detail
    assert services.submittable(report) == "尚未填写“本月进展”"
    page = login(city.users["office"]).get(month.get_absolute_url()).content.decode()
    assert "<title>2023年6月 月调度" in page
    item = login(city.users["office"]).get(report.item.get_absolute_url()).content.decode()
    assert "<h2>月度调度</h2>" in item


def test_opening_a_quarter_by_hand_takes_the_plans_own_deadline(city, plan, login, settings):
    settings.GANDANG_TODAY = "2023-06-01"  # the day the office opens it by hand, before its deadline
    office = login(city.users["office"])
    page = office.get(reverse("dispatch:period_list")).content.decode()
    # The deadline box carries each plan's own day per span, for the page to fill in when a plan is chosen.
    box = re.search(r'<input[^>]*name="deadline"[^>]*>', page).group(0)
    own = json.loads(re.search(r'data-plan-deadlines="([^"]*)"', box).group(1).replace("&quot;", '"'))
    assert own[str(plan.pk)] == {"3": "04-20", "6": "07-10", "9": "10-15", "12": "12-20"}
    # Left blank, the quarter is due on the plan's day (7月10日), not the city's 6月25日.
    office.post(
        reverse("dispatch:period_create"), {"year": 2023, "month": 6, "plan": plan.pk, "deadline": ""}
    )
    assert Period.objects.get(plan=plan, month=6).deadline == date(2023, 7, 10)
    office.post(reverse("dispatch:period_create"), {"year": 2023, "month": 7, "deadline": ""})
    assert Period.objects.get(plan__isnull=True, month=7).deadline == date(2023, 7, 25)
    # What the office typed is what it gets.
    office.post(
        reverse("dispatch:period_create"),
        {"year": 2023, "month": 9, "plan": plan.pk, "deadline": "2023-10-08"},
    )
    assert Period.objects.get(plan=plan, month=9).deadline == date(2023, 10, 8)


def test_the_import_previews_problem_kind_does_not_wrap(city, login, tmp_path):
    path = docs.write_docx(
        tmp_path / "要点.docx",
        ["2023年改革要点", "1.任务甲。年底前完成。（市发改委牵头）", "2.任务乙。年底前完成。"],
    )
    client = login(city.users["office"])
    with path.open("rb") as fh:
        body = client.post(reverse("ledger:import"), {"file": fh, "plan": city.plan.pk}).content.decode()
    assert '<th class="nowrap">类型</th>' in body and '<td class="nowrap">提示</td>' in body


def test_the_period_list_says_it_holds_plans_own_periods_once_there_are_some(city, plan, login):
    """月调度 lists the city's months; once a plan reports on a cycle of its own, its periods are in the
    same list, and the heading says so."""
    note = "含按季度、半年或年报送的方案的调度期"
    office = login(city.users["office"])
    services.period_open(actor=None, year=2023, month=10)
    assert note not in office.get(reverse("dispatch:period_list")).content.decode()
    services.period_open(actor=None, year=2023, month=6, plan=plan)
    body = office.get(reverse("dispatch:period_list")).content.decode()
    assert note in body and f"2023年第二季度（{POINTS}）" in body
