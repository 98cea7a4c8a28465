"""The achievements pages as their users drive them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gandang.achievements.models import Experience, Outlet, Pilot, Promotion
from tests.achievements.conftest import make_experience


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"


def test_liaison_drafts_and_submits_through_the_pages(city, login):
    c = login(city.users["liaison_a"])
    r = c.post(
        reverse("achievements:experience_create"),
        {"title": "审批“一链办理”", "summary": "摘要", "body": "正文", "units": [city.units["a"].pk]},
    )
    exp = Experience.objects.get()
    assert r.status_code == 302 and r["Location"] == exp.get_absolute_url()
    page = c.get(exp.get_absolute_url()).content.decode()
    assert "报送改革办" in page and "编辑" in page
    c.post(reverse("achievements:experience_step", args=[exp.pk, "submit"]))
    exp.refresh_from_db()
    assert exp.state == "submitted"
    office = login(city.users["office"])
    assert "经验做法待审核" in office.get("/").content.decode()


def test_a_stale_edit_form_keeps_the_users_text(city, login):
    exp = make_experience(city, adopt=False)
    c = login(city.users["liaison_a"])
    form = {
        "title": "第一次",
        "summary": "s",
        "body": "b",
        "units": [city.units["a"].pk],
        "version": exp.version,
    }
    c.post(reverse("achievements:experience_edit", args=[exp.pk]), form)
    r = c.post(reverse("achievements:experience_edit", args=[exp.pk]), form | {"title": "旧页面的标题"})
    body = r.content.decode()
    assert r.status_code == 200 and "他人修改" in body and "旧页面的标题" in body
    exp.refresh_from_db()
    assert exp.title == "第一次"


def test_office_records_a_promotion_with_a_scan_and_anyone_downloads_it(city, login):
    exp = make_experience(city)
    outlet = Outlet.objects.get(name="省委改革办《改革情况交流》")
    c = login(city.users["office"])
    scan = SimpleUploadedFile("第35期.pdf", b"%PDF-1.4\n%%EOF\n")
    c.post(
        reverse("achievements:promotion_add", args=[exp.pk]),
        {"outlet": outlet.pk, "on": "2023-09-01", "reference": "第35期", "scan": scan},
    )
    p = Promotion.objects.get()
    assert p.level.key == "province" and p.scan_name == "第35期.pdf"
    r = login(city.users["liaison_b"]).get(reverse("achievements:promotion_scan", args=[p.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    # A wrong file type is refused in Chinese and nothing is recorded.
    c = login(city.users["office"])
    bad = SimpleUploadedFile("第36期.pdf", b"MZ\x90\x00not a pdf")
    r = c.post(
        reverse("achievements:promotion_add", args=[exp.pk]),
        {"outlet": outlet.pk, "on": "2023-09-02", "scan": bad},
        follow=True,
    )
    assert Promotion.objects.count() == 1
    assert "文件内容与扩展名“.pdf”不符" in r.content.decode()


def test_pilot_lifecycle_through_the_page(city, login):
    c = login(city.users["office"])
    c.post(
        reverse("achievements:pilot_create"),
        {
            "name": "国家级试点",
            "level": "national",
            "granted_by": "国家发展改革委",
            "lead_unit": city.units["a"].pk,
            "description": "",
            "state": "undertaken",
            "on": "2023-02-01",
        },
    )
    pilot = Pilot.objects.get()
    for to, on in (("in_progress", "2023-03-01"), ("evaluating", "2023-09-01")):
        c.post(reverse("achievements:pilot_step", args=[pilot.pk]), {"to": to, "on": on})
    r = c.post(
        reverse("achievements:pilot_step", args=[pilot.pk]), {"to": "passed", "on": "2023-10-01"}, follow=True
    )
    assert "验收结果文件" in r.content.decode()
    doc = SimpleUploadedFile("验收意见.pdf", b"%PDF-1.4\n%%EOF\n")
    c.post(
        reverse("achievements:pilot_step", args=[pilot.pk]),
        {"to": "passed", "on": "2023-10-01", "document": doc},
    )
    pilot.refresh_from_db()
    assert pilot.state == "passed" and pilot.evaluated_on == date(2023, 10, 1)
    page = c.get(pilot.get_absolute_url()).content.decode()
    assert "验收意见.pdf" in page and page.count("<tr>") >= 5


@pytest.mark.parametrize("url", ["/achievements/experiences/", "/achievements/", "/showcase/"])
def test_lists_do_not_grow_queries_with_rows(city, login, url, levels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.achievements.conftest import promote

    c = login(city.users["office"])

    def add(n):
        for i in range(n):
            e = make_experience(city, title=f"经验{i}", publish=True)
            promote(city, e, levels["outlets"]["province"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(8)
    assert count() == few


def test_date_fields_are_prefilled_in_the_format_browsers_accept(city, login):
    """Date fields show 年-月-日 (yyyy-mm-dd) whatever the language, as the calendar button expects."""
    import re

    from gandang.achievements import services

    c = login(city.users["office"])
    data = services.PilotInput(
        name="试点", level="national", granted_by="部委", lead_unit=city.units["a"], description="", items=[]
    )
    pilot = services.pilot_create(
        actor=city.users["office"], data=data, state="undertaken", on=date(2023, 2, 1)
    )
    for url in (reverse("achievements:pilot_create"), pilot.get_absolute_url()):
        page = c.get(url).content.decode()
        fields = re.findall(r"<input[^>]*data-date[^>]*>", page)
        values = [re.search(r'value="([^"]*)"', f) for f in fields]
        assert values and all(v and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.group(1)) for v in values), (
            url,
            fields,
        )
