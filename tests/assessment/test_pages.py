"""The pages: ranking, score sheets with their evidence, objections, the Excel export, the results notice."""

import io
from datetime import date

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from gandang.assessment import services
from gandang.assessment.models import Objection, Run
from tests.assessment import factories as f


@pytest.fixture
def run(city):
    office = city.users["office"]
    nov = f.period(2023, 11)
    f.snapshot(city.items["a"], nov, "green")
    f.snapshot(city.items["b"], nov, "red")
    f.report(city.items["b"], nov, is_late=True)
    f.honor(city.units["a"], office, level="province")
    return f.computed_run(city)


def test_the_ranking_shows_every_kind_the_green_channel_and_links_to_each_sheet(client, city, run):
    client.force_login(city.users["leader"])
    page = client.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "市直部门" in page and "县市区" in page
    assert "绿色通道" in page and "计入总分" in page
    assert f"/assessment/runs/{run.pk}/units/{city.units['b'].pk}/" in page


def test_a_sheet_explains_every_line_with_links_to_its_records(client, city, run):
    client.force_login(city.users["office"])
    page = client.get(f"/assessment/runs/{run.pk}/units/{city.units['b'].pk}/").content.decode()
    assert "第1名" in page
    assert city.items["b"].get_absolute_url() in page  # the red item behind completion
    report = city.items["b"].reports.get()
    assert report.get_absolute_url() in page and "逾期报送" in page  # the late report behind the deduction


def test_a_unit_sees_only_its_own_sheet(client, city, run):
    client.force_login(city.users["liaison_a"])
    own = f"/assessment/runs/{run.pk}/units/{city.units['a'].pk}/"
    assert client.get(f"/assessment/runs/{run.pk}/").url == own
    assert client.get(own).status_code == 200
    assert client.get(f"/assessment/runs/{run.pk}/units/{city.units['b'].pk}/").status_code == 404
    assert client.get(f"/assessment/runs/{run.pk}/export.xlsx").status_code == 403


def test_a_unit_files_an_objection_and_the_office_answers(client, city, run):
    services.run_finalize(actor=city.users["office"], run=run)
    client.force_login(city.users["liaison_a"])
    sheet = f"/assessment/runs/{run.pk}/units/{city.units['a'].pk}/"
    assert "提交异议" in client.get(sheet).content.decode()
    client.post(sheet + "objection/", {"text": "荣誉应为省级督查激励"})
    o = Objection.objects.get()
    client.force_login(city.users["office"])
    home = client.get("/").content.decode()
    assert "考核异议待答复" in home and f"/assessment/runs/{run.pk}/objections/" in home
    r = client.post(
        f"/assessment/objections/{o.pk}/answer/", {"state": "upheld", "answer": "已更正", "rerun": "on"}
    )
    o.refresh_from_db()
    assert o.state == "upheld" and o.rerun is not None and r.url == o.rerun.get_absolute_url()


def test_the_excel_export_has_a_ranking_per_kind_and_the_detail(client, city, run):
    client.force_login(city.users["office"])
    r = client.get(f"/assessment/runs/{run.pk}/export.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["市直部门排名", "县市区排名", "得分明细"]
    rows = [[c.value for c in row] for row in wb["县市区排名"].iter_rows()]
    header = next(row for row in rows if row and row[0] == "名次")
    b = next(row for row in rows if row and row[1] == "岱岳区")
    result = run.results.get(unit=city.units["b"])
    assert b[0] == 1 and b[header.index("总分")] == float(result.total)
    detail = [[c.value for c in row] for row in wb["得分明细"].iter_rows()]
    assert any(row[1] == "市发展改革委" and row[3] == "honors" and row[5] == 1.0 for row in detail)
    assert any(row[7] and "province荣誉" in row[7] for row in detail)


def test_the_results_notice_is_issued_with_a_number_after_finalizing(client, city, run, settings):
    from datetime import UTC, datetime

    settings.GANDANG_TODAY = "2024-01-10"
    client.force_login(city.users["office"])
    client.post(f"/assessment/runs/{run.pk}/notice/", {"issued_on": "2024-01-10"})
    run.refresh_from_db()
    assert run.notice_doc_number == ""  # not finalized yet: refused
    services.run_finalize(actor=city.users["office"], run=run)
    Run.objects.filter(pk=run.pk).update(finalized_at=datetime(2024, 1, 8, 2, tzinfo=UTC))
    client.post(f"/assessment/runs/{run.pk}/notice/", {"issued_on": "2024-01-10"})
    run.refresh_from_db()
    assert run.notice_doc_number == "改考〔2024〕1号" and run.notice_issued_on == date(2024, 1, 10)
    client.force_login(city.users["liaison_b"])
    r = client.get(f"/assessment/runs/{run.pk}/notice.docx")
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.content)).paragraphs)
    tables = "\n".join(
        c.text for t in Docx(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells
    )
    assert "关于2023年度全面深化改革考核结果的通报" in text and "改考〔2024〕1号" in text
    assert "岱岳区" in tables and "市发展改革委" in tables


def test_computing_from_the_scheme_page(client, city, run):
    client.force_login(city.users["office"])
    r = client.post(f"/assessment/schemes/{run.scheme_id}/compute/", {"note": "复核"})
    new = Run.objects.get(scheme=run.scheme, number=2)
    assert r.url == new.get_absolute_url() and new.note == "复核"
    assert "第2次" in client.get(f"/assessment/schemes/{run.scheme_id}/").content.decode()


@pytest.mark.parametrize("page", ["ranking", "sheet", "scheme"])
def test_pages_do_not_grow_queries_with_units_or_records(client, city, page):
    """The ranking, a sheet and the scheme page run a fixed number of queries however many units score."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gandang.org.models import Unit

    office = city.users["office"]
    client.force_login(office)
    nov = f.period(2023, 11)
    scheme = f.full_scheme(office)

    def add_units(n, start):
        for i in range(start, start + n):
            unit = Unit.objects.create(name=f"测试县{i}", kind=Unit.Kind.COUNTY)
            it = f.item(city.plan, f"t{i}", unit)
            f.snapshot(it, nov, "green")
            f.report(it, nov, is_late=True, returns=1)
            f.honor(unit, office, level="province")
            e = f.experience([unit, city.units["b"]], office, title=f"经验{i}")
            f.promotion(e, "province", office)

    def count():
        run = services.run_compute(actor=office, scheme=scheme)
        url = {
            "ranking": f"/assessment/runs/{run.pk}/",
            "sheet": f"/assessment/runs/{run.pk}/units/{city.units['b'].pk}/",
            "scheme": f"/assessment/schemes/{scheme.pk}/",
        }[page]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add_units(2, 0)
    few = count()
    add_units(8, 2)
    assert count() == few
