"""Regressions from the review: stored text in the product's language, the results notice's date, no new
run after the notice, the latest finalized run as the result, local dates, formula text in Excel."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from gandang.assessment import services
from gandang.assessment.models import Objection, Run, ScoreLine
from gandang.core.errors import ServiceError
from gandang.notifications.models import Notification
from gandang.org.models import Unit
from tests.assessment import factories as f


@pytest.fixture
def run(city):
    office = city.users["office"]
    nov = f.period(2023, 11)
    f.snapshot(city.items["a"], nov, "green")
    f.snapshot(city.items["b"], nov, "red")
    f.honor(city.units["a"], office, level="province")
    return f.computed_run(city)


def _finalize(city, run: Run, on: date) -> Run:
    """Finalize `run` as of `on` (the product's calendar pinned to that day)."""
    run = services.run_finalize(actor=city.users["office"], run=run)
    Run.objects.filter(pk=run.pk).update(finalized_at=datetime(on.year, on.month, on.day, 2, tzinfo=UTC))
    run.refresh_from_db()
    return run


# -- 5. the results notice is written in the product's language --------------------------------------


def test_the_notice_is_stored_in_chinese_whatever_the_actors_language(city, run, settings):
    settings.GANDANG_TODAY = "2024-01-10"
    run = _finalize(city, run, date(2024, 1, 5))
    with translation.override("en"):
        services.notice_issue(actor=city.users["office"], run=run, issued_on=date(2024, 1, 10))
    run.refresh_from_db()
    text = str(run.notice_content)
    assert "市直部门（2个）" in text and "县市区（1个）" in text
    assert "City department" not in text and "County" not in text
    n = Notification.objects.filter(key=f"assessment-notice:{run.pk}").first()
    assert n is not None and n.title == "改考〔2024〕1号《关于2023年度全面深化改革考核结果的通报》已印发"


# -- 7. notices of an objection's answer -------------------------------------------------------------


def test_the_answer_notice_is_chinese_whatever_the_actors_language(city, run, settings):
    settings.GANDANG_TODAY = "2024-01-06"
    run = _finalize(city, run, date(2024, 1, 5))
    o = services.objection_file(
        actor=city.users["liaison_a"], run=run, unit=city.units["a"], line=None, text="排名偏低"
    )
    with translation.override("en"):
        services.objection_answer(
            actor=city.users["office"], objection=o, state="answered", answer="计分无误"
        )
    n = Notification.objects.get(key=f"assessment-objection-answer:{o.pk}")
    assert n.title == "改革办已答复市发展改革委的考核异议：已说明"


# -- 8. the notice's issue date ----------------------------------------------------------------------


def test_the_notice_is_issued_between_the_finalizing_day_and_today(city, run, settings):
    office = city.users["office"]
    settings.GANDANG_TODAY = "2024-01-10"
    run = _finalize(city, run, date(2024, 1, 5))
    with pytest.raises(ServiceError, match="印发日期不能晚于今天"):
        services.notice_issue(actor=office, run=run, issued_on=date(2099, 1, 1))
    with pytest.raises(ServiceError, match="印发日期不能晚于今天"):
        services.notice_issue(actor=office, run=run, issued_on=date(2024, 1, 11))
    with pytest.raises(ServiceError, match=r"不能早于考核结果定稿日期（2024-01-05）"):
        services.notice_issue(actor=office, run=run, issued_on=date(2024, 1, 4))
    run.refresh_from_db()
    assert run.notice_doc_number == ""
    # The refused 2099 took no number: the notice issued on the finalizing day is this year's first.
    run = services.notice_issue(actor=office, run=run, issued_on=date(2024, 1, 5))
    assert run.notice_doc_number == "改考〔2024〕1号" and run.notice_issued_on == date(2024, 1, 5)
    from gandang.documents.models import DocumentKind
    from gandang.documents.services import number_next

    assert number_next(kind=DocumentKind.ASSESSMENT, year=2099) == 1


def test_a_future_issue_date_is_refused_on_the_page(client, city, run, settings):
    settings.GANDANG_TODAY = "2024-01-10"
    run = _finalize(city, run, date(2024, 1, 5))
    client.force_login(city.users["office"])
    r = client.post(f"/assessment/runs/{run.pk}/notice/", {"issued_on": "2099-01-01"}, follow=True)
    assert "印发日期不能晚于今天" in r.content.decode()
    run.refresh_from_db()
    assert run.notice_doc_number == ""


def test_with_no_date_the_notice_is_issued_today(city, run, settings):
    settings.GANDANG_TODAY = "2024-01-10"
    run = _finalize(city, run, date(2024, 1, 5))
    run = services.notice_issue(actor=city.users["office"], run=run)
    assert run.notice_issued_on == date(2024, 1, 10)


# -- 12. no new run once the result is published; the latest finalized run is the result ------------


def test_no_new_run_once_the_notice_is_issued(client, city, run, settings):
    office = city.users["office"]
    settings.GANDANG_TODAY = "2024-01-06"
    run = _finalize(city, run, date(2024, 1, 5))
    services.notice_issue(actor=office, run=run, issued_on=date(2024, 1, 6))
    with pytest.raises(ServiceError, match="已印发通报（改考〔2024〕1号），不能重新计算"):
        services.run_compute(actor=office, scheme=run.scheme)
    # Nor through an objection filed after the notice: the answer with a re-run is refused as a whole.
    o = services.objection_file(
        actor=city.users["liaison_a"], run=run, unit=city.units["a"], line=None, text="排名偏低"
    )
    with pytest.raises(ServiceError, match="不能重新计算"):
        services.objection_answer(actor=office, objection=o, state="upheld", answer="已更正", rerun=True)
    o.refresh_from_db()
    assert o.state == Objection.State.OPEN and Run.objects.filter(scheme=run.scheme).count() == 1
    client.force_login(office)
    page = client.get(f"/assessment/schemes/{run.scheme_id}/").content.decode()
    assert "按当前记录计算" not in page and "不再重新计算" in page
    r = client.post(f"/assessment/schemes/{run.scheme_id}/compute/", {"note": "复核"}, follow=True)
    assert "不能重新计算" in r.content.decode()
    assert Run.objects.filter(scheme=run.scheme).count() == 1


def test_the_pages_point_to_the_latest_finalized_run_as_the_result(client, city, run):
    office = city.users["office"]
    run = services.run_finalize(actor=office, run=run)
    o = services.objection_file(
        actor=city.users["liaison_a"], run=run, unit=city.units["a"], line=None, text="排名偏低"
    )
    o = services.objection_answer(actor=office, objection=o, state="upheld", answer="已更正", rerun=True)
    second = services.run_finalize(actor=office, run=o.rerun)
    services.run_compute(actor=office, scheme=run.scheme, note="试算")  # a newer trial: not the result
    client.force_login(office)
    old = client.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "考核结果以已定稿的第2次计算为准" in old and second.get_absolute_url() in old
    assert "考核结果以" not in client.get(second.get_absolute_url()).content.decode()
    index = client.get("/assessment/").content.decode()
    assert second.get_absolute_url() in index and "第2次计算" in index
    client.force_login(city.users["liaison_a"])
    sheet = client.get(f"/assessment/runs/{run.pk}/units/{city.units['a'].pk}/").content.decode()
    assert "考核结果以已定稿的第2次计算为准" in sheet
    assert f"/assessment/runs/{second.pk}/units/{city.units['a'].pk}/" in sheet
    # Only the result is announced.
    with pytest.raises(ServiceError, match="以已定稿的第2次计算为准"):
        services.notice_issue(actor=office, run=run)
    client.force_login(office)
    assert "取号并印发" not in client.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "取号并印发" in client.get(second.get_absolute_url()).content.decode()


# -- 13. a manual score's date is its local date -----------------------------------------------------


def test_a_manual_scores_evidence_shows_its_local_date(city):
    office = city.users["office"]
    s = f.scheme()
    ind = f.indicator(s, "manual", 3, name="改革特别奖")
    m = services.manual_add(
        actor=office, scheme=s, unit=city.units["a"], indicator=ind, points=Decimal(1), justification="特别奖"
    )
    # 31 December 18:30 UTC is 1 January 02:30 in Shanghai.
    type(m).objects.filter(pk=m.pk).update(at=datetime(2023, 12, 31, 18, 30, tzinfo=UTC))
    r = services.run_compute(actor=office, scheme=s)
    line = ScoreLine.objects.get(run=r, unit=city.units["a"], indicator=ind)
    assert line.evidence[0]["label"] == "特别奖（改革办甲，2024-01-01）"


# -- 14. formula text in the Excel export ------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_exported_as_text(client, city):
    office = city.users["office"]
    Unit.objects.create(name="=1+1", kind=Unit.Kind.DEPARTMENT)
    s = f.full_scheme(office)
    services.manual_add(
        actor=office,
        scheme=s,
        unit=city.units["a"],
        indicator=s.indicators.get(rule="manual"),
        points=Decimal(1),
        justification='=HYPERLINK("http://x","y")',
    )
    run = services.run_compute(actor=office, scheme=s)
    client.force_login(office)
    wb = load_workbook(io.BytesIO(client.get(f"/assessment/runs/{run.pk}/export.xlsx").content))
    ranking = [c for row in wb["市直部门排名"].iter_rows() for c in row]
    unit = next(c for c in ranking if c.value == "=1+1")
    assert unit.data_type == "s" and unit.quotePrefix
    detail = [c for row in wb["得分明细"].iter_rows() for c in row]
    label = next(c for c in detail if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert label.data_type == "s"
    assert label.value.startswith('=HYPERLINK("http://x","y")（')
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
