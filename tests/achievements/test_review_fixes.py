"""Regressions from the review: who reads an experience's history, lists behind figures, bad filters,
the Excel export (pilots by year, formula text), stored text language, reasons too long, duplicates."""

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gandang.achievements import selectors, services
from gandang.achievements.models import Experience, Honor, Pilot, Promotion
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from tests.achievements.conftest import make_experience, promote


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"


def _pilot(city, name="试点", *, state="undertaken", on=date(2023, 2, 1), unit="a"):
    return services.pilot_create(
        actor=city.users["office"],
        data=services.PilotInput(
            name=name,
            level="national",
            granted_by="国家发展改革委",
            lead_unit=city.units[unit],
            description="",
            items=[],
        ),
        state=state,
        on=on,
    )


def _honor(city, name="省级督查激励", on=date(2023, 4, 1)):
    return services.honor_create(
        actor=city.users["office"],
        data=services.HonorInput(
            name=name,
            level="province_incentive",
            unit=city.units["a"],
            granted_by="省政府办公厅",
            on=on,
            note="",
            items=[],
        ),
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- 1. the history of an experience -----------------------------------------------------------------


def test_the_history_is_for_city_wide_roles_and_the_experiences_own_units(city, login):
    u = city.users
    exp = make_experience(city, adopt=False, title="审批“一链办理”")
    services.experience_step(actor=u["liaison_a"], experience=exp, action="submit")
    services.experience_step(actor=u["office"], experience=exp, action="return", reason="成效数据不足请补充")
    services.experience_step(actor=u["liaison_a"], experience=exp, action="submit")
    services.experience_step(actor=u["office"], experience=exp, action="adopt")

    other = login(u["liaison_b"]).get(exp.get_absolute_url())
    page = other.content.decode()
    assert other.status_code == 200 and "审批“一链办理”" in page  # adopted: other units read it
    assert "变更记录" not in page and "成效数据不足请补充" not in page
    for who in ("liaison_a", "head_a", "office", "leader", "observer"):
        page = login(u[who]).get(exp.get_absolute_url()).content.decode()
        assert "变更记录" in page and "成效数据不足请补充" in page, who


# -- 2. the list behind "采用的经验做法" ---------------------------------------------------------------


@pytest.mark.parametrize("year", [2023, None])
def test_the_adopted_figure_and_its_list_count_the_same(city, levels, login, year):
    u = city.users
    make_experience(city, title="经验一")
    make_experience(city, title="经验二", publish=True)
    make_experience(city, who="liaison_b", title="经验三")
    submitted = make_experience(city, title="已报送未采用", adopt=False)
    services.experience_step(actor=u["liaison_a"], experience=submitted, action="submit")
    returned = make_experience(city, who="liaison_b", title="已退回", adopt=False)
    services.experience_step(actor=u["liaison_b"], experience=returned, action="submit")
    services.experience_step(actor=u["office"], experience=returned, action="return", reason="补充")
    services.experience_create(
        actor=u["office"],
        data=services.ExperienceInput(
            title="改革办草稿", summary="摘要", body="正文", units=[city.units["a"]], items=[]
        ),
    )

    for who, unit in (("office", None), ("office", city.units["a"]), ("liaison_a", None)):
        st = selectors.stats(u[who], year=year, unit=unit)
        assert "counted=1" in st.adopted_url
        r = login(u[who]).get(st.adopted_url)
        titles = {e.title for e in r.context["page"].object_list}
        assert r.context["page"].paginator.count == st.adopted, (who, unit)
        assert not titles & {"已报送未采用", "已退回", "改革办草稿"}
    assert selectors.stats(u["office"], year=year).adopted == 3


# -- 3. the pilot list's year filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["undertaken=abc", "passed=abc", "undertaken=20x3", "passed=99999", "undertaken=%EF%BC%92"]
)
def test_a_bad_year_in_the_pilot_list_is_ignored(city, login, query):
    _pilot(city, "试点一")
    _pilot(city, "试点二", state="applied", on=date(2023, 3, 1))
    r = login(city.users["leader"]).get(reverse("achievements:pilot_list") + "?" + query)
    assert r.status_code == 200
    assert len(r.context["pilots"]) == 2


def test_the_pilot_lists_year_filters_still_work(city, login):
    _pilot(city, "二〇二三年承接", on=date(2023, 2, 1))
    _pilot(city, "二〇二二年承接", on=date(2022, 2, 1))
    _pilot(city, "只申报", state="applied", on=date(2023, 3, 1))
    c = login(city.users["leader"])
    got = c.get(reverse("achievements:pilot_list") + "?undertaken=2023")
    assert [p.name for p in got.context["pilots"]] == ["二〇二三年承接"]
    assert "2023年承接" in got.content.decode()
    got = c.get(reverse("achievements:pilot_list") + "?undertaken=any")
    assert len(got.context["pilots"]) == 2


def test_the_pilot_selector_ignores_what_is_not_a_year(city):
    _pilot(city)
    office = city.users["office"]
    for bad in ("abc", "", "12", "any ", None, True):
        assert selectors.pilots_filtered(office, {"undertaken": bad, "passed": bad}).count() in (0, 1)
    assert selectors.pilots_filtered(office, {"undertaken": "abc"}).count() == 1
    assert selectors.pilots_filtered(office, {"passed": "abc"}).count() == 1
    assert selectors.pilots_filtered(office, {"undertaken": 2023}).count() == 1
    assert selectors.pilots_filtered(office, {"undertaken": "2022"}).count() == 0


# -- 4. and 14. the Excel export ---------------------------------------------------------------------


def _passed(city, pilot, on):
    office = city.users["office"]
    services.pilot_advance(actor=office, pilot=pilot, to="evaluating", on=date(on.year, 1, 5))
    services.pilot_advance(
        actor=office,
        pilot=pilot,
        to="passed",
        on=on,
        document=SimpleUploadedFile("验收.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


def test_the_pilot_sheet_lists_what_the_years_figures_count(city, login):
    _pilot(city, "今年承接", on=date(2023, 2, 1))
    _passed(city, _pilot(city, "往年承接今年通过", on=date(2022, 2, 1)), date(2023, 10, 1))
    _passed(city, _pilot(city, "往年承接往年通过", on=date(2021, 2, 1)), date(2022, 10, 1))
    _pilot(city, "往年承接仍在推进", on=date(2022, 5, 1))
    _pilot(city, "今年申报", state="applied", on=date(2023, 3, 1))
    c = login(city.users["office"])

    def sheet(query):
        wb = load_workbook(io.BytesIO(c.get("/achievements/export.xlsx?" + query).content))
        return {row[0] for row in wb["改革试点"].iter_rows(min_row=2, values_only=True)}

    assert sheet("year=2023") == {"今年承接", "往年承接今年通过"}
    st = selectors.stats(city.users["office"], year=2023)
    national = next(p for p in st.pilots if p["level"] == "national")
    assert (national["undertaken"], national["passed"]) == (1, 1)
    assert sheet("year=2022") == {"往年承接今年通过", "往年承接仍在推进", "往年承接往年通过"}
    assert len(sheet("year=")) == 5  # no year: every pilot


def test_text_that_looks_like_a_formula_is_exported_as_text(city, levels, login):
    e = make_experience(city, title="=1+1")
    promote(city, e, levels["outlets"]["province"], on=date(2023, 3, 1), reference="@SUM(A1)")
    _pilot(city, "-2+3")
    _honor(city, name="+HYPERLINK(1)")
    r = login(city.users["office"]).get("/achievements/export.xlsx?year=2023")
    wb = load_workbook(io.BytesIO(r.content))
    promo = next(wb["刊发推广"].iter_rows(min_row=2))
    assert promo[0].value == "=1+1" and promo[0].data_type == "s" and promo[0].quotePrefix
    assert promo[5].value == "@SUM(A1)" and promo[5].data_type == "s"
    assert next(wb["改革试点"].iter_rows(min_row=2))[0].value == "-2+3"
    assert next(wb["荣誉"].iter_rows(min_row=2))[0].value == "+HYPERLINK(1)"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


# -- 6. stored text is in the product's language -----------------------------------------------------


def test_a_pilot_steps_audit_reason_is_chinese_whatever_the_actors_language(city):
    pilot = _pilot(city)
    with translation.override("en"):
        services.pilot_advance(actor=city.users["office"], pilot=pilot, to="in_progress", on=date(2023, 3, 1))
    entry = AuditEntry.objects.filter(object_id=pilot.pk, action="update").latest("id")
    assert entry.reason == "推进中 2023-03-01"


# -- 9. a reason too long is refused with the form's message -----------------------------------------


LONG = "理" * 501


def test_a_return_reason_over_500_characters_shows_the_forms_error(city, login):
    exp = make_experience(city, adopt=False)
    services.experience_step(actor=city.users["liaison_a"], experience=exp, action="submit")
    r = login(city.users["office"]).post(
        reverse("achievements:experience_step", args=[exp.pk, "return"]), {"reason": LONG}
    )
    assert _messages(r) == ["理由不能超过500字"]
    exp.refresh_from_db()
    assert exp.state == Experience.State.SUBMITTED


def test_an_unpublish_reason_over_500_characters_shows_the_forms_error(city, login):
    exp = make_experience(city, publish=True)
    r = login(city.users["office"]).post(
        reverse("achievements:experience_step", args=[exp.pk, "unpublish"]), {"reason": LONG}, follow=True
    )
    page = r.content.decode()
    assert "理由不能超过500字" in page and "需要填写原因" not in page
    exp.refresh_from_db()
    assert exp.state == Experience.State.PUBLISHED


def test_removal_reasons_over_500_characters_show_the_forms_error(city, levels, login):
    p = promote(city, make_experience(city), levels["outlets"]["province"])
    h = _honor(city)
    c = login(city.users["office"])
    r = c.post(reverse("achievements:promotion_remove", args=[p.pk]), {"reason": LONG})
    assert _messages(r) == ["理由不能超过500字"] and Promotion.objects.filter(pk=p.pk).exists()
    r = c.post(reverse("achievements:honor_remove", args=[h.pk]), {"reason": LONG})
    assert _messages(r)[-1] == "理由不能超过500字" and Honor.objects.filter(pk=h.pk).exists()
    r = c.post(reverse("achievements:honor_remove", args=[h.pk]), {"reason": "录入重复"})
    assert not Honor.objects.filter(pk=h.pk).exists()


# -- 10. a double submit records once ----------------------------------------------------------------


def test_the_same_promotion_is_not_recorded_twice(city, levels):
    exp = make_experience(city)
    outlet = levels["outlets"]["province"]
    promote(city, exp, outlet, on=date(2023, 9, 1), reference="第35期")
    with pytest.raises(ServiceError, match="该刊发记录已登记"):
        promote(city, exp, outlet, on=date(2023, 9, 1), reference=" 第35期 ")
    promote(city, exp, outlet, on=date(2023, 9, 1), reference="第36期")  # another issue the same day
    promote(city, exp, outlet, on=date(2023, 10, 1), reference="第35期")
    assert Promotion.objects.filter(experience=exp).count() == 3


def test_the_same_promotion_posted_twice_through_the_page_is_refused(city, levels, login):
    exp = make_experience(city)
    c = login(city.users["office"])
    form = {"outlet": levels["outlets"]["province"].pk, "on": "2023-09-01", "reference": "第35期"}
    c.post(reverse("achievements:promotion_add", args=[exp.pk]), form)
    r = c.post(reverse("achievements:promotion_add", args=[exp.pk]), form, follow=True)
    assert "该刊发记录已登记" in r.content.decode()
    assert Promotion.objects.count() == 1


def test_the_same_honor_is_not_recorded_twice(city):
    _honor(city)
    with pytest.raises(ServiceError, match="该荣誉已登记"):
        _honor(city)
    _honor(city, on=date(2023, 5, 1))
    _honor(city, name="国务院督查激励")
    assert Honor.objects.count() == 3


# -- 11. a pilot is not registered in the future -----------------------------------------------------


def test_a_pilot_is_not_registered_with_a_date_after_today(city, login):
    with pytest.raises(ServiceError, match="不能晚于今天"):
        _pilot(city, on=date(2023, 12, 6))
    with pytest.raises(ServiceError, match="不能晚于今天"):
        _pilot(city, state="applied", on=date(2024, 1, 1))
    assert _pilot(city, on=date(2023, 12, 5)).undertaken_on == date(2023, 12, 5)
    r = login(city.users["office"]).post(
        reverse("achievements:pilot_create"),
        {
            "name": "未来试点",
            "level": "province",
            "granted_by": "省发展改革委",
            "lead_unit": city.units["a"].pk,
            "description": "",
            "state": "applied",
            "on": "2024-02-01",
        },
    )
    assert r.status_code == 200 and "不能晚于今天" in r.content.decode()
    assert not Pilot.objects.filter(name="未来试点").exists()
