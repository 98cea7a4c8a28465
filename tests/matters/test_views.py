"""The pages: the office records, a leader writes on an item, the unit answers and signs, the office closes;
bad input re-renders what was typed with a Chinese message, and nothing is half-saved."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.matters.models import Instruction, Matter
from tests.matters.conftest import answer, record_directive

S = Matter.State


def _directive_post(city, **over):
    data = {
        "leader_name": "王建国",
        "leader_title": "副省长",
        "level": "province",
        "kind": "directive",
        "on": "2023-11-01",
        "text": "请抓紧推进要素市场化配置改革",
        "items": [city.items["a"].pk],
        "unit": city.units["a"].pk,
        "deadline": "2023-11-30",
    }
    return data | over


def test_the_office_records_a_directive_and_its_matter_is_assigned(login, city):
    client = login(city.users["office"])
    response = client.post("/matters/instructions/new/", _directive_post(city))
    ins = Instruction.objects.get()
    assert response.status_code == 302 and response["Location"] == ins.get_absolute_url()
    m = ins.matters.get()
    assert (m.unit, m.deadline, m.state) == (city.units["a"], date(2023, 11, 30), S.DRAFT)
    page = client.get(ins.get_absolute_url()).content.decode()
    assert "副省长王建国批示" in page and "市发展改革委" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": ""}, "请填写办理时限"),
        ({"unit": ""}, "请选择牵头单位"),
        ({"deadline": "2023-02-30"}, "2023"),
        ({"on": "2099-01-01"}, "批示日期不能晚于今天"),
        ({"deadline": "2023-10-01"}, "办理时限不能早于批示日期"),
        ({"text": "长" * 2001}, "2000"),
        ({"unit": "99999999999999999999"}, "选择"),
    ],
)
def test_a_refused_instruction_keeps_what_was_typed(login, city, change, message):
    client = login(city.users["office"])
    response = client.post("/matters/instructions/new/", _directive_post(city, **change))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "王建国" in body and "副省长" in body  # the typed text survives
    assert not Instruction.objects.exists() and not Matter.objects.exists()


def test_a_praise_needs_no_unit_and_is_counted_on_the_list(login, city):
    client = login(city.users["office"])
    response = client.post(
        "/matters/instructions/new/",
        _directive_post(
            city, kind="praise", unit="", deadline="", leader_name="林武", leader_title="省委书记"
        ),
    )
    assert response.status_code == 302 and not Matter.objects.exists()
    page = client.get("/matters/instructions/?year=2023").content.decode()
    assert "2023年省级领导肯定性批示 1 项" in page


def test_a_leader_writes_on_an_item_and_the_liaison_answers_the_head_signs_the_office_closes(
    login, city, client
):
    item = city.items["a"]
    page = login(city.users["leader"]).get(item.get_absolute_url()).content.decode()
    assert "作出批示" in page and f'action="/matters/items/{item.pk}/instruct/"' in page
    response = client.post(
        f"/matters/items/{item.pk}/instruct/",
        {
            "instruct-text": "请市发改委抓紧推进，月底前报进展",
            "instruct-unit": city.units["a"].pk,
            "instruct-deadline": "2023-11-30",
        },
    )
    assert response.status_code == 302
    m = Matter.objects.get()
    assert m.instruction.written_online and m.instruction.leader == city.leader
    assert "请市发改委抓紧推进" in client.get(item.get_absolute_url()).content.decode()

    client = login(city.users["liaison_a"])
    assert m.title in client.get("/").content.decode()
    response = client.post(
        f"/matters/{m.pk}/answer/", {"answer": "已形成方案", "version": m.version, "then": "submit"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.state == S.SUBMITTED

    client = login(city.users["head_a"])
    assert m.title in client.get("/").content.decode()
    assert client.post(f"/matters/{m.pk}/step/approve/").status_code == 302

    client = login(city.users["office"])
    assert m.title in client.get("/").content.decode()
    client.post(f"/matters/{m.pk}/step/close/", {"reason": "办理到位"})
    m.refresh_from_db()
    assert m.state == S.CLOSED
    page = client.get(m.get_absolute_url()).content.decode()
    assert "办理到位" in page and "已办结" in page


def test_a_leaders_instruction_without_a_deadline_is_shown_again_with_the_text(login, city):
    client = login(city.users["leader"])
    item = city.items["a"]
    response = client.post(
        f"/matters/items/{item.pk}/instruct/",
        {"instruct-text": "请抓紧", "instruct-unit": city.units["a"].pk},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写办理时限" in body and "请抓紧" in body
    assert not Instruction.objects.exists()


def test_a_returned_answer_keeps_what_was_typed_when_stale(login, city, matter):
    client = login(city.users["liaison_a"])
    answer(matter, city.users["liaison_a"], "别人的版本")
    response = client.post(f"/matters/{matter.pk}/answer/", {"answer": "我的新版本", "version": 1})
    assert response.status_code == 400
    body = response.content.decode()
    assert "已被他人修改" in body and "我的新版本" in body


def test_the_step_refusal_is_a_message_not_an_error(login, city, matter):
    client = login(city.users["liaison_a"])
    response = client.post(f"/matters/{matter.pk}/step/submit/", follow=True)
    assert "请先填写“办理情况”再提交" in response.content.decode()
    response = client.post(f"/matters/{matter.pk}/step/approve/", {"reason": "x" * 600}, follow=True)
    assert response.status_code == 200 and "意见不能超过500字" in response.content.decode()


def test_overdue_matters_are_flagged_on_the_list_and_filtered(login, city, matter, settings):
    settings.GANDANG_TODAY = "2023-12-05"
    client = login(city.users["office"])
    page = client.get("/matters/").content.decode()
    assert "1项督办事项已超过办理时限，尚未办结" in page and "已逾期" in page
    assert matter.title in client.get("/matters/?overdue=1").content.decode()
    assert matter.title not in client.get("/matters/?state=closed").content.decode()
    assert "逾期未办结的督办事项（1项）" in client.get("/").content.decode()
    assert "已超过办理时限" in client.get(matter.get_absolute_url()).content.decode()


def test_the_list_reads_a_constant_number_of_queries(login, city):
    client = login(city.users["office"])
    record_directive(city)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/matters/").status_code == 200
    for n in range(5):
        record_directive(city, unit="b" if n % 2 else "a", text=f"第{n}件批示")
    with CaptureQueriesContext(connection) as six:
        assert client.get("/matters/").status_code == 200
    assert len(six) == len(one)
    with CaptureQueriesContext(connection) as ins_one:
        client.get("/matters/instructions/?year=2023")
    record_directive(city, text="再一件")
    with CaptureQueriesContext(connection) as ins_more:
        client.get("/matters/instructions/?year=2023")
    assert len(ins_more) == len(ins_one)


def test_the_office_makes_a_ledger_item_of_a_matter(login, city, matter):
    client = login(city.users["office"])
    assert client.get(f"/matters/{matter.pk}/itemize/").status_code == 200
    bad = client.post(
        f"/matters/{matter.pk}/itemize/", {"plan": city.plan.pk, "code": "1", "title": "新事项"}
    )
    assert bad.status_code == 400 and "已被使用" in bad.content.decode() and "新事项" in bad.content.decode()
    response = client.post(
        f"/matters/{matter.pk}/itemize/", {"plan": city.plan.pk, "code": "9", "title": "新事项"}
    )
    matter.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == matter.created_item.get_absolute_url()
    page = client.get(matter.created_item.get_absolute_url()).content.decode()
    assert "由督办事项立项：" in page and matter.title in page


def test_a_unit_sees_its_own_matters_only(login, city, matter):
    other = record_directive(city, unit="b", text="岱岳区的事").matters.get()
    page = login(city.users["liaison_a"]).get("/matters/").content.decode()
    assert matter.title in page and other.title not in page
    page = login(city.users["liaison_b"]).get("/matters/instructions/?year=2023").content.decode()
    assert "岱岳区" in page and matter.instruction.get_absolute_url() not in page


def test_the_leaders_workbench_shows_how_their_instructions_are_handled(login, city):
    from gandang.matters import services

    services.instruction_write(
        actor=city.users["leader"],
        item=city.items["a"],
        text="请推进",
        unit=city.units["a"],
        deadline=date(2023, 12, 1),
    )
    page = login(city.users["leader"]).get("/").content.decode()
    assert "我的批示办理情况" in page and "请推进" in page and "办理中" in page


def test_the_pages_read_in_english(login, city, matter):
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Tracked matters" in client.get("/matters/").content.decode()
    body = client.get(matter.get_absolute_url()).content.decode()
    assert "Requirement" in body and "Being handled" in body
    assert "Record an instruction" in client.get("/matters/instructions/").content.decode()
    step_names = client.get("/matters/instructions/new/").content.decode()
    assert "Kind of instruction" in step_names


def test_the_item_page_shows_the_praise_and_the_directives_on_it(login, city, matter):
    from gandang.matters import services

    services.instruction_record(
        actor=city.users["office"],
        data=services.InstructionInput(
            leader_name="林武",
            leader_title="省委书记",
            level="province",
            kind="praise",
            on=date(2023, 6, 20),
            text="就盐穴储能储气相关做法作出肯定性批示",
            items=[city.items["a"]],
        ),
    )
    page = login(city.users["observer"]).get(city.items["a"].get_absolute_url()).content.decode()
    assert "省委书记林武" in page and "肯定性批示" in page
    assert "副省长王建国" in page and matter.get_absolute_url() in page and "办理中" in page
    assert "作出批示" not in page  # the form is the city leaders'


def test_the_office_records_an_instruction_from_the_items_page(login, city):
    client = login(city.users["office"])
    item = city.items["a"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'href="/matters/instructions/new/?item={item.pk}"' in page
    form = client.get(f"/matters/instructions/new/?item={item.pk}").content.decode()
    assert f'<option value="{item.pk}" selected>' in form
    assert client.get("/matters/instructions/new/?item=abc").status_code == 200
    assert (
        "/matters/instructions/new/"
        not in login(city.users["leader"]).get(item.get_absolute_url()).content.decode()
    )
