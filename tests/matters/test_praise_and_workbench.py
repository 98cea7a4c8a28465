"""The leaders' praising instructions counted beside the achievements and on the year's assessment scheme, and
a leader's workbench showing how their instructions are being handled."""

from datetime import date

from gandang.core import clock
from gandang.matters import letters, services
from gandang.matters.models import Instruction


def _praise(city, *, level="province", on=date(2023, 6, 20), units=("a",)):
    return services.instruction_record(
        actor=city.users["office"],
        data=services.InstructionInput(
            leader_name="林武",
            leader_title="省委书记",
            level=level,
            kind="praise",
            on=on,
            text="盐穴储能储气做法值得肯定。",
            units=[city.units[u] for u in units],
        ),
    )


def _tiles(body: str) -> str:
    return body[body.index('id="praise"') :]


def test_the_achievements_count_the_years_praise_by_level_each_linking_to_its_list(login, city):
    _praise(city)
    _praise(city, units=("b",))
    _praise(city, level="central")
    _praise(city, on=date(2022, 5, 1))  # another year: not counted
    client = login(city.users["office"])
    body = _tiles(client.get("/achievements/?year=2023").content.decode())
    assert "<b>2</b><span>省级领导肯定性批示</span>" in body
    assert (
        "<b>1</b><span>中央领导肯定性批示</span>" in body
        and "<b>0</b><span>市级领导肯定性批示</span>" in body
    )
    link = "/matters/instructions/?kind=praise&amp;level=province&amp;year=2023"
    assert link in body
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert listed.count('href="/matters/instructions/') >= 2 and "2022-05-01" not in listed


def test_a_units_figures_count_the_praise_naming_it(login, city):
    _praise(city)
    _praise(city, units=("b",))
    a = city.units["a"].pk
    body = _tiles(login(city.users["office"]).get(f"/achievements/?year=2023&unit={a}").content.decode())
    assert "<b>1</b><span>省级领导肯定性批示</span>" in body and f"unit={a}" in body
    listed = login(city.users["office"]).get(
        f"/matters/instructions/?kind=praise&level=province&year=2023&unit={a}"
    )
    assert len(listed.context["page"].object_list) == 1


def test_the_assessment_scheme_shows_its_years_praise(login, city):
    from tests.assessment.factories import scheme

    _praise(city)
    s = scheme(year=2023)
    body = _tiles(login(city.users["office"]).get(s.get_absolute_url()).content.decode())
    assert "<b>1</b><span>省级领导肯定性批示</span>" in body


def test_a_leaders_workbench_shows_how_each_instruction_is_handled(login, city):
    ins = services.instruction_write(
        actor=city.users["leader"],
        item=city.items["a"],
        text="请市发改委抓紧推进",
        unit=city.units["a"],
        deadline=date(2023, 11, 20),
    )
    m = ins.matters.get()
    letters.matter_urge(actor=city.users["office"], matter=m, today=date(2023, 11, 21))
    with clock.pinned(date(2023, 11, 22)):  # two days past the deadline, the 催办函 of the 21st unanswered
        body = login(city.users["leader"]).get("/").content.decode()
    section = body[body.index('id="my-instructions"') :]
    assert "办理中 1 项（其中逾期 1 项），已办结或立项 0 项" in section
    assert "请市发改委抓紧推进" in section and "已发催办函" in section and "改提〔2023〕1号" in section
    assert Instruction.objects.count() == 1


def test_a_leaders_workbench_names_the_item_or_record_each_instruction_was_written_on(login, city):
    services.instruction_write(
        actor=city.users["leader"],
        item=city.items["a"],
        text="请市发改委抓紧推进",
        unit=city.units["a"],
        deadline=date(2023, 11, 20),
    )
    client = login(city.users["leader"])
    section = client.get("/").content.decode()
    section = section[section.index('id="my-instructions"') :]
    item = city.items["a"]
    assert f"批示于{item.code} {item.title}" in section
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    section = client.get("/").content.decode()
    section = section[section.index('id="my-instructions"') :]
    assert f"Written on {item.code} {item.title}" in section
