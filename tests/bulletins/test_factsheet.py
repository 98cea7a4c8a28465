"""The press-conference fact sheet (发布会材料): each figure equals an independent count and opens a list of
exactly that many rows; the seed's rounding (30余项) offered beside the exact number; the office edits the
text (audited, nothing lost), exports Word; leaders read; bad ranges are refused in Chinese."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation

from gandang.bulletins import factsheet, factsheet_services
from gandang.bulletins.factsheet import approx
from gandang.bulletins.models import FactSheet
from gandang.core import clock
from gandang.core.models import AuditEntry
from tests.achievements.conftest import levels, promote  # noqa: F401  (levels: a fixture)

TODAY = date(2023, 12, 5)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _pinned():
    with clock.pinned(TODAY):
        yield


def make_experience(city, *, title: str):
    """An experience of unit A the office adopted."""
    from gandang.achievements import services

    office = city.users["office"]
    exp = services.experience_create(
        actor=office,
        data=services.ExperienceInput(
            title=title, summary="摘要", body="正文", units=[city.units["a"]], items=[]
        ),
    )
    return services.experience_step(actor=office, experience=exp, action="adopt")


@pytest.fixture
def records(city, levels):  # noqa: F811  (the achievements fixture)
    """Promotions at each level inside and outside 2023, national pilots undertaken and passed, honors,
    a provincial praise: what a fact sheet for 2023 (cumulative since 2021) counts and what it must not."""
    from gandang.achievements import services
    from gandang.matters import services as matters
    from gandang.matters.models import Instruction

    office = city.users["office"]
    out = levels["outlets"]
    # 12 experiences promoted by the province: 11 in 2023, 1 in 2022 (cumulative only); one in 2020 (neither).
    for n in range(13):
        exp = make_experience(city, title=f"省级推广经验{n}")
        on = date(2023, 1 + n % 11, 10) if n < 11 else (date(2022, 5, 1) if n == 11 else date(2020, 5, 1))
        promote(city, exp, out["province"], on=on)
        if n < 3:  # the same experience twice at one level counts once
            promote(city, exp, out["province"], on=date(2023, 11, 20))
    for n in range(4):
        exp = make_experience(city, title=f"部委推广经验{n}")
        promote(city, exp, out["ministry"], on=date(2021 + n % 3, 3, 1))
    central = make_experience(city, title="链式发展“组合拳”")
    promote(city, central, out["central"], on=date(2023, 6, 1))
    # Not counted: a draft's experience cannot be promoted, an experience promoted after the range.
    late = make_experience(city, title="十二月之后")
    promote(city, late, out["province"], on=date(2023, 12, 5))

    def pilot(name, undertaken, passed=None, level="national"):
        p = services.pilot_create(
            actor=office,
            data=services.PilotInput(
                name=name, level=level, granted_by="某部", lead_unit=city.units["a"], description="", items=[]
            ),
            state="undertaken",
            on=undertaken,
        )
        if passed:
            from django.core.files.uploadedfile import SimpleUploadedFile

            for to, on in [("in_progress", undertaken), ("evaluating", passed), ("passed", passed)]:
                doc = SimpleUploadedFile("验收意见.pdf", PDF) if to == "passed" else None
                services.pilot_advance(actor=office, pilot=p, to=to, on=on, document=doc)
        return p

    pilot("二〇二三年承接甲", date(2023, 2, 1))
    pilot("二〇二三年承接乙", date(2023, 3, 1), passed=date(2023, 10, 1))
    pilot("往年承接今年验收", date(2022, 3, 1), passed=date(2023, 5, 1))
    pilot("往年承接往年验收", date(2021, 3, 1), passed=date(2022, 5, 1))
    pilot("省级试点不计", date(2023, 3, 1), level="province")

    def honor(level, on):
        services.honor_create(
            actor=office,
            data=services.HonorInput(
                name=f"{level}{on}",
                level=level,
                unit=city.units["a"],
                granted_by="",
                on=on,
                note="",
                items=[],
            ),
        )

    for m in range(1, 12):
        honor("province_incentive", date(2023, m, 1))
    honor("province_incentive", date(2022, 6, 1))
    honor("state_council", date(2023, 5, 1))
    honor("province", date(2023, 5, 1))
    praise = matters.InstructionInput(
        leader_name="林武",
        leader_title="省委书记",
        level=Instruction.Level.PROVINCE,
        kind=Instruction.Kind.PRAISE,
        on=date(2023, 6, 20),
        text="就盐穴储能储气相关做法作出肯定性批示（原件存改革办）。",
        items=[],
        units=[city.units["a"]],
    )
    matters.instruction_record(actor=office, data=praise)
    return city


@pytest.fixture
def sheet(records):
    return factsheet_services.factsheet_create(
        actor=records.users["office"], start=date(2023, 1, 1), end=date(2023, 11, 30), since=date(2021, 1, 1)
    )


def _expected() -> dict[str, int]:
    """Independent counts, straight from the tables, for 2023-01-01..2023-11-30 and cumulative since 2021."""
    from gandang.achievements.models import Honor, Pilot, Promotion
    from gandang.ledger.models import Item
    from gandang.matters.models import Instruction

    def exps(level, start):
        return (
            Promotion.objects.filter(level__key=level, date__gte=start, date__lte=date(2023, 11, 30))
            .values("experience")
            .distinct()
            .count()
        )

    in_range = {"gte": date(2023, 1, 1), "lte": date(2023, 11, 30)}
    return {
        "province_total": exps("province", date(2021, 1, 1)),
        "national_total": exps("ministry", date(2021, 1, 1)),
        "central": exps("central", date(2023, 1, 1)),
        "province": exps("province", date(2023, 1, 1)),
        "pilots_undertaken": Pilot.objects.filter(
            level="national", undertaken_on__gte=in_range["gte"], undertaken_on__lte=in_range["lte"]
        ).count(),
        "pilots_passed": Pilot.objects.filter(
            level="national",
            state="passed",
            evaluated_on__gte=in_range["gte"],
            evaluated_on__lte=in_range["lte"],
        ).count(),
        "province_incentive": Honor.objects.filter(
            level="province_incentive", date__gte=in_range["gte"], date__lte=in_range["lte"]
        ).count(),
        "state_council": Honor.objects.filter(level="state_council", date__year=2023).count(),
        "leader_led": Item.objects.filter(leaders__isnull=False, is_archived=False).distinct().count(),
        "praise": Instruction.objects.filter(kind="praise", level="province", on__year=2023).count(),
    }


def _rows(response) -> int:
    """How many rows the list page shows in all (its pages together)."""
    ctx = response.context
    if "page" in ctx:
        return ctx["page"].paginator.count
    for name in ("pilots", "honors"):
        if name in ctx:
            return len(ctx[name])
    raise AssertionError(f"no list in {response.request['PATH_INFO']}")


def test_each_figure_equals_an_independent_count(sheet, records):
    figures = factsheet.figures(records.users["office"], sheet)
    got = {k: f.n for k, f in figures.items()}
    assert got == _expected()
    assert got == {
        "province_total": 12,
        "national_total": 4,
        "central": 1,
        "province": 11,
        "pilots_undertaken": 2,
        "pilots_passed": 2,
        "province_incentive": 11,
        "state_council": 1,
        "leader_led": 1,
        "praise": 1,
    }


def test_each_figure_opens_a_list_of_exactly_that_many_rows(sheet, records, client, login):
    login(records.users["office"])
    for f in factsheet.figures(records.users["office"], sheet).values():
        response = client.get(f.url)
        assert response.status_code == 200, f.url
        assert _rows(response) == f.n, (f.key, f.url)


def test_the_page_shows_each_figure_as_a_link_with_its_rounding(sheet, records, client, login):
    login(records.users["office"])
    body = client.get(sheet.get_absolute_url()).content.decode()
    figures = factsheet.figures(records.users["office"], sheet)
    for f in figures.values():
        assert f'href="{f.url}"'.replace("&", "&amp;") in body, f.key
    assert "10余项" in body  # 11 promoted by the province this year, rounded by default
    assert "12项" in body and "省委书记林武就盐穴储能储气相关做法作出肯定性批示" in body


def test_the_figures_table_reads_in_english(sheet, records, client, login):
    # What each figure counts is the page's own wording (the paragraphs stay the Chinese text to be read out).
    login(records.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        body = client.get(sheet.get_absolute_url()).content.decode()
    finally:
        translation.deactivate()
    table = body[body.index('id="figures"') : body.index('class="paper')]
    assert "Experiences promoted by the provincial reform office, cumulative" in table
    assert "Reform items led by city leaders" in table
    for _key, label, *_rest in factsheet.FIGURES:
        assert label not in table, label


@pytest.mark.parametrize(
    "n,text",
    [
        (0, None),
        (8, None),
        (9, None),
        (10, None),
        (12, "10余项"),
        (20, None),
        (33, "30余项"),
        (85, "80余项"),
        (123, "120余项"),
    ],
)
def test_the_seeds_rounding(n, text):
    assert approx(n, "项") == text


def test_the_office_chooses_exact_or_rounded_per_figure(sheet, records, client, login):
    login(records.users["office"])
    url = reverse("bulletins:factsheet_wording", args=[sheet.pk])
    response = client.post(
        url, {"version": sheet.version, "w_province": "exact", "w_province_total": "rounded"}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.wording == {"province": "exact", "province_total": "rounded"}
    experiences = next(
        p for p in factsheet.build(records.users["office"], sheet).parts if p.key == "experiences"
    )
    assert "10余项经验做法被省委改革办刊发推广" in experiences.text  # 12 cumulative, rounded
    assert "11项经验做法被省委改革办刊发推广" in experiences.text  # this year's, exact
    entry = AuditEntry.objects.filter(object_id=sheet.pk, reason="调整数字写法").get()
    assert "约数" in str(entry.changes)
    # A stale page's choice is refused, not applied over the newer one.
    client.post(url, {"version": sheet.version - 1, "w_province": "rounded"}, follow=True)
    sheet.refresh_from_db()
    assert sheet.wording["province"] == "exact"
    # A forged choice is refused in words.
    response = client.post(url, {"version": sheet.version, "w_province": "about"}, follow=True)
    assert "数字写法的选项不正确" in response.content.decode()


def test_editing_a_section_keeps_the_text_and_its_history(sheet, records, client, login):
    office = records.users["office"]
    login(office)
    url = reverse("bulletins:factsheet_section_edit", args=[sheet.pk, "mechanisms"])
    assert client.get(url).status_code == 200
    text = "建立“两办两研”协同联动机制。\n建立深化改革协商座谈制度。"
    response = client.post(url, {"text": text, "version": sheet.version})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.sections["mechanisms"]["text"] == text
    assert AuditEntry.objects.filter(object_id=sheet.pk, reason="编辑发布会材料").count() == 1
    # A stale save is refused and what was typed comes back in the form.
    response = client.post(url, {"text": "迟到的修改", "version": sheet.version - 1})
    assert response.status_code == 400
    body = response.content.decode()
    assert "已被他人修改" in body and "迟到的修改" in body
    # Empty text is refused too, in Chinese.
    response = client.post(url, {"text": "  ", "version": sheet.version})
    assert response.status_code == 400
    sheet.refresh_from_db()
    assert sheet.sections["mechanisms"]["text"] == text
    # Restoring makes it generated again.
    restore = reverse("bulletins:factsheet_section_restore", args=[sheet.pk, "mechanisms"])
    assert client.post(restore, {"version": sheet.version}).status_code == 302
    sheet.refresh_from_db()
    assert "mechanisms" not in sheet.sections
    history = client.get(sheet.get_absolute_url()).content.decode()
    assert "恢复系统生成内容" in history and "两办两研" in history


def test_unknown_section_is_404(sheet, records, client, login):
    login(records.users["office"])
    assert client.get(reverse("bulletins:factsheet_section_edit", args=[sheet.pk, "nope"])).status_code == 404
    assert client.get(reverse("bulletins:factsheet_download", args=[sheet.pk, "odt"])).status_code == 404
    assert client.get(reverse("bulletins:factsheet_detail", args=[sheet.pk + 999])).status_code == 404


def test_word_export_opens_with_the_text(sheet, records, client, login):
    import docx

    office = records.users["office"]
    login(office)
    factsheet_services.factsheet_section_save(
        actor=office,
        sheet=sheet,
        key="mechanisms",
        text="建立“两办两研”协同联动机制。",
        expected_version=sheet.version,
    )
    response = client.get(reverse("bulletins:factsheet_download", args=[sheet.pk, "docx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(BytesIO(response.content)).paragraphs)
    assert sheet.title in text
    assert "坚持示范带动，打造了一批改革亮点经验" in text
    assert "10余项经验做法被省委改革办刊发推广" in text
    assert "新承接国家级试点2个" in text
    assert "建立“两办两研”协同联动机制。" in text


@pytest.mark.parametrize(
    "data,message",
    [
        ({"start": "2023-13-01", "end": "2023-11-30", "since": "2021-01-01"}, "日期"),
        ({"start": "明天", "end": "2023-11-30", "since": "2021-01-01"}, "日期格式不对"),
        ({"start": "2023-11-30", "end": "2023-01-01", "since": "2021-01-01"}, "截止日期不能早于起始日期"),
        ({"start": "2023-01-01", "end": "2023-11-30", "since": "2023-12-01"}, "累计起始日期不能晚于截止日期"),
        ({"start": "2023-01-01", "end": "2024-01-31", "since": "2021-01-01"}, "截止日期不能晚于今天"),
        ({"start": "", "end": "", "since": ""}, "必填"),
    ],
)
def test_bad_ranges_are_refused_in_chinese_and_kept(city, client, login, data, message):
    login(city.users["office"])
    response = client.post(reverse("bulletins:factsheet_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert not FactSheet.objects.exists()
    for value in data.values():
        assert f'value="{value}"' in body or not value


def test_the_office_drafts_a_sheet_from_the_page(city, client, login):
    login(city.users["office"])
    response = client.post(
        reverse("bulletins:factsheet_create"),
        {"start": "2023-01-01", "end": "2023-12-05", "since": "2021-01-01", "title": ""},
    )
    sheet = FactSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
    assert sheet.title == "2023年全面深化改革专题新闻发布会材料"
    assert AuditEntry.objects.filter(object_id=sheet.pk, action="create").exists()
    assert "发布会材料" in client.get(reverse("bulletins:list")).content.decode()  # the tab beside bulletins


@pytest.mark.parametrize("role", ["leader"])
def test_leaders_read_but_do_not_edit(sheet, records, client, login, role):
    login(records.users[role])
    assert client.get(reverse("bulletins:factsheet_list")).status_code == 200
    body = client.get(sheet.get_absolute_url()).content.decode()
    assert "编辑文字" not in body
    assert client.get(reverse("bulletins:factsheet_download", args=[sheet.pk, "docx"])).status_code == 200
    edit = reverse("bulletins:factsheet_section_edit", args=[sheet.pk, "intro"])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"text": "x", "version": sheet.version}).status_code == 403
    assert client.post(reverse("bulletins:factsheet_create"), {}).status_code == 403


@pytest.mark.parametrize("role", ["liaison_a", "head_a", "observer", "sysadmin"])
def test_units_and_others_cannot_open_fact_sheets(sheet, records, client, login, role):
    login(records.users[role])
    assert client.get(reverse("bulletins:factsheet_list")).status_code == 403
    assert client.get(sheet.get_absolute_url()).status_code == 403
    assert client.get(reverse("bulletins:factsheet_download", args=[sheet.pk, "docx"])).status_code == 403
    assert "发布会材料" not in client.get(reverse("bulletins:list")).content.decode()


def test_a_malformed_or_reversed_range_on_a_list_says_so(records, client, login):
    """The lists a figure opens take the range as typed; a bad one is explained, not applied half."""
    login(records.users["office"])
    body = client.get("/achievements/honors/?start=2023-13-01&end=2023-11-30").content.decode()
    assert "日期" in body and 'class="err"' in body
    body = client.get("/achievements/pilots/?start=2023-11-30&end=2023-01-01").content.decode()
    assert "截止日期不能早于起始日期" in body


def test_editing_with_htmx_swaps_only_the_section(sheet, records, client, login):
    login(records.users["office"])
    url = reverse("bulletins:factsheet_section_edit", args=[sheet.pk, "intro"])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()
    response = client.post(
        url,
        {"text": "今年以来，全市改革工作成效明显。", "version": sheet.version},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "已保存" in body and "今年以来，全市改革工作成效明显。" in body
    assert 'id="v-wording"' in body  # the page's other forms get the new version
    # A refused save comes back in place (htmx swaps a 200 only), with the reason and the typed text.
    response = client.post(url, {"text": "过期页面上的修改", "version": 1}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in body and "过期页面上的修改" in body
