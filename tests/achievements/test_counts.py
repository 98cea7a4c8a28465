"""The seed's counts come from the records, and each count's list shows exactly what it counts."""

from datetime import date

import pytest
from openpyxl import load_workbook

from gandang.achievements import selectors, services
from gandang.achievements.models import Honor, Pilot
from tests.achievements.conftest import make_experience, promote


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"


@pytest.fixture
def records(city, levels):
    o = levels["outlets"]
    e1 = make_experience(city, title="经验一")
    e2 = make_experience(city, title="经验二", publish=True)
    e3 = make_experience(city, who="liaison_b", title="经验三")
    make_experience(city, title="草稿不计", adopt=False)
    promote(city, e1, o["province"], on=date(2023, 3, 1))
    promote(city, e1, o["province"], on=date(2023, 9, 1))  # twice at one level: one experience
    promote(city, e1, o["ministry"], on=date(2023, 4, 1))
    promote(city, e2, o["province"], on=date(2022, 11, 1))  # last year
    promote(city, e3, o["central"], on=date(2023, 7, 1))
    promote(city, e3, o["province"], on=date(2023, 8, 1))
    return {"e1": e1, "e2": e2, "e3": e3}


def test_counts_by_level_and_year(city, records):
    st = selectors.stats(city.users["office"], year=2023)
    got = {c.level.key: (c.experiences, c.promotions) for c in st.by_level}
    assert got == {"city": (0, 0), "province": (2, 3), "ministry": (1, 1), "central": (1, 1)}
    all_years = {c.level.key: c.experiences for c in selectors.stats(city.users["office"]).by_level}
    assert all_years["province"] == 3
    unit_b = {
        c.level.key: c.experiences
        for c in selectors.stats(city.users["office"], year=2023, unit=city.units["b"]).by_level
    }
    assert unit_b == {"city": 0, "province": 1, "ministry": 0, "central": 1}


def test_the_list_behind_a_count_is_exactly_what_it_counts(city, records, login):
    c = login(city.users["office"])
    st = selectors.stats(city.users["office"], year=2023)
    province = next(x for x in st.by_level if x.level.key == "province")
    page = c.get(province.url).content.decode()
    assert "经验一" in page and "经验三" in page and "经验二" not in page and "草稿不计" not in page
    assert f"共 {province.experiences} 项" in page


def test_pilot_and_honor_counts(city):
    office = city.users["office"]
    data = dict(
        level="national", granted_by="国家发展改革委", lead_unit=city.units["a"], description="", items=[]
    )
    p1 = services.pilot_create(
        actor=office, data=services.PilotInput(name="试点一", **data), state="undertaken", on=date(2023, 2, 1)
    )
    p2 = services.pilot_create(
        actor=office, data=services.PilotInput(name="试点二", **data), state="undertaken", on=date(2022, 5, 1)
    )
    services.pilot_create(
        actor=office, data=services.PilotInput(name="试点三", **data), state="applied", on=date(2023, 3, 1)
    )
    services.pilot_advance(actor=office, pilot=p2, to="evaluating", on=date(2023, 6, 1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Exception, match="验收结果文件"):
        services.pilot_advance(actor=office, pilot=p2, to="passed", on=date(2023, 10, 1))
    services.pilot_advance(
        actor=office,
        pilot=p2,
        to="passed",
        on=date(2023, 10, 1),
        document=SimpleUploadedFile("验收.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    with pytest.raises(Exception, match="不能变为"):
        services.pilot_advance(actor=office, pilot=p1, to="passed", on=date(2023, 10, 1))
    st = selectors.stats(office, year=2023)
    national = next(p for p in st.pilots if p["level"] == "national")
    assert (national["undertaken"], national["passed"], national["ongoing"]) == (1, 1, 1)
    assert Pilot.objects.get(pk=p2.pk).evaluated_on == date(2023, 10, 1)
    services.honor_create(
        actor=office,
        data=services.HonorInput(
            name="国务院督查激励",
            level="state_council",
            unit=city.units["a"],
            granted_by="国务院办公厅",
            on=date(2023, 4, 1),
            note="",
            items=[],
        ),
    )
    st = selectors.stats(office, year=2023)
    assert next(h for h in st.honors if h["level"] == "state_council")["n"] == 1
    assert Honor.objects.count() == 1


def test_excel_export_has_the_counts_and_the_promotions(city, records, login):
    r = login(city.users["office"]).get("/achievements/export.xlsx?year=2023")
    assert r.status_code == 200
    import io

    wb = load_workbook(io.BytesIO(r.content))
    stats = {row[0]: row[1] for row in wb["统计"].iter_rows(min_row=2, values_only=True)}
    assert stats["省级刊发推广（经验做法数）"] == 2 and stats["中央改革办刊发推广（经验做法数）"] == 1
    promos = list(wb["刊发推广"].iter_rows(min_row=2, values_only=True))
    assert len(promos) == 5 and {p[0] for p in promos} == {"经验一", "经验三"}


def test_the_api_gives_the_same_counts_and_lists(city, records, login):
    c = login(city.users["office"])
    stats = c.get("/api/achievements/stats?year=2023").json()
    province = next(x for x in stats["by_level"] if x["level"] == "province")
    assert (province["experiences"], province["promotions"]) == (2, 3)
    rows = c.get("/api/achievements/experiences?level=central&year=2023").json()
    assert [r["title"] for r in rows] == ["经验三"]
    assert {p["level"] for p in rows[0]["promotions"]} == {"central", "province"}


def test_the_published_count_links_to_exactly_the_published(city, records, login):
    c = login(city.users["office"])
    st = selectors.stats(city.users["office"], year=2023)
    page = c.get(st.published_url).content.decode()
    assert f"共 {st.published} 项" in page and "经验二" in page and "经验一" not in page
