"""A matter's life: the unit answers through the monthly report's sign-off rules, the office closes it or
sends it back; every refusal says why in Chinese; nothing half-done."""

from datetime import date

import pytest

from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.matters import flow
from gandang.matters.models import Instruction, Matter
from gandang.notifications.models import Notification
from tests.matters.conftest import answer, record_directive, step

S = Matter.State


def test_a_directive_becomes_a_matter_and_the_units_liaisons_are_told(city):
    ins = record_directive(city)
    m = ins.matters.get()
    assert (m.state, m.unit, m.source, m.deadline) == (
        S.DRAFT,
        city.units["a"],
        "instruction",
        date(2023, 11, 30),
    )
    assert m.origin == "副省长王建国" and m.title.startswith("王建国批示：")
    assert list(m.items.all()) == [city.items["a"]]
    assert list(ins.units.all()) == [city.units["a"]]
    assert Notification.objects.filter(user=city.users["liaison_a"], url=m.get_absolute_url()).exists()
    assert not Notification.objects.filter(user=city.users["liaison_b"]).exists()
    assert AuditEntry.objects.filter(object_id=m.pk, content_type__model="matter", action="create").exists()


def test_the_whole_life_liaison_answers_head_signs_office_closes(city, matter):
    u = city.users
    answer(matter, u["liaison_a"])
    m = step(matter, u["liaison_a"], "submit")
    assert m.state == S.SUBMITTED
    assert Notification.objects.filter(user=u["head_a"], kind="to_sign").exists()
    m = step(m, u["head_a"], "approve")
    assert m.state == S.SIGNED and m.submitted_at is not None
    m = step(m, u["office"], "close", "办理到位")
    assert (m.state, m.close_note) == (S.CLOSED, "办理到位") and m.closed_at is not None
    assert [s.action for s in m.steps.all()] == ["submit", "approve", "close"]
    assert Notification.objects.filter(user=u["liaison_a"], title__startswith="督办事项已办结").exists()


def test_the_head_and_the_office_send_it_back_with_a_reason(city, matter):
    u = city.users
    answer(matter, u["liaison_a"])
    m = step(matter, u["liaison_a"], "submit")
    with pytest.raises(ServiceError, match="退回修改需要填写意见"):
        step(m, u["head_a"], "send_back")
    m = step(m, u["head_a"], "send_back", "请补充时间表")
    assert (m.state, m.return_reason) == (S.RETURNED, "请补充时间表")
    answer(m, u["liaison_a"], "补充了时间表。")
    m = step(m, u["liaison_a"], "submit")
    m = step(m, u["head_a"], "approve")
    m = step(m, u["office"], "return", "成效不具体")
    assert (m.state, m.return_reason) == (S.RETURNED, "成效不具体")
    assert Notification.objects.filter(
        user=u["liaison_a"],
        kind="matter",
        body="退回意见：成效不具体",  # filed under 督办事项, not 报告退回
    ).exists()


@pytest.mark.parametrize(
    ("who", "action", "why"),
    [
        ("head_a", "submit", "只有单位联络员可以提交签发"),
        ("liaison_b", "submit", "只能办理本单位牵头的督办事项"),
        ("office", "close", "督办事项当前状态为“办理中”，不能办结"),
        ("leader", "close", "只有改革办可以办结"),
        ("liaison_a", "approve", "只有单位负责人可以签发"),
        ("office", "itemize", "立项"),  # taken through its own form, never as a step button
        ("office", "nonsense", "未知的操作"),
    ],
)
def test_each_refusal_says_why(city, matter, who, action, why):
    if action not in ("itemize",):
        answer(matter, city.users["liaison_a"])
    with pytest.raises(ServiceError) as exc:
        step(matter, city.users[who], action)
    if action == "itemize":
        assert "未知的操作" in str(exc.value)
    else:
        assert why in str(exc.value)
    matter.refresh_from_db()
    assert matter.state == S.DRAFT and not matter.steps.exists()


def test_an_empty_answer_cannot_be_submitted(city, matter):
    with pytest.raises(ServiceError, match="请先填写“办理情况”再提交"):
        step(matter, city.users["liaison_a"], "submit")


def test_only_the_units_liaison_edits_the_answer_and_only_while_it_is_theirs(city, matter):
    u = city.users
    for who in ("head_a", "liaison_b", "office", "leader"):
        with pytest.raises(ServiceError, match="只有本单位联络员可以填写报告"):
            answer(matter, u[who])
    answer(matter, u["liaison_a"])
    step(matter, u["liaison_a"], "submit")
    with pytest.raises(ServiceError, match="不能修改"):
        answer(matter, u["liaison_a"])


def test_a_stale_answer_is_refused_not_overwritten(city, matter):
    from gandang.matters import services

    answer(matter, city.users["liaison_a"], "第一稿")
    with pytest.raises(ServiceError, match="已被他人修改"):
        services.matter_save(actor=city.users["liaison_a"], matter=matter, answer="旧页面", version=1)
    matter.refresh_from_db()
    assert matter.answer == "第一稿"


def test_a_unit_without_a_head_submits_straight_to_the_office(city):
    m = record_directive(city, unit="b").matters.get()
    answer(m, city.users["liaison_b"])
    m = step(m, city.users["liaison_b"], "submit")
    assert m.state == S.SIGNED
    assert Notification.objects.filter(user=city.users["office"], title__contains="待办结").exists()


def test_a_double_click_is_refused_the_second_time(city, matter):
    answer(matter, city.users["liaison_a"])
    stale = Matter.objects.get(pk=matter.pk)
    step(matter, city.users["liaison_a"], "submit")
    with pytest.raises(ServiceError, match="不能提交签发"):
        step(stale, city.users["liaison_a"], "submit")
    assert matter.steps.count() == 1


def test_buttons_follow_role_and_state(city, matter):
    u = city.users
    assert [n for n, _t in flow.actions_for(u["liaison_a"], matter)] == ["submit"]
    assert flow.actions_for(u["head_a"], matter) == flow.actions_for(u["liaison_b"], matter) == []
    answer(matter, u["liaison_a"])
    step(matter, u["liaison_a"], "submit")
    matter.refresh_from_db()
    assert [n for n, _t in flow.actions_for(u["head_a"], matter)] == ["approve", "send_back"]
    step(matter, u["head_a"], "approve")
    matter.refresh_from_db()
    assert [n for n, _t in flow.actions_for(u["office"], matter)] == ["close", "return"]
    assert flow.actions_for(u["leader"], matter) == []


def test_a_praise_is_not_a_matter_and_counts_for_its_year(city):
    from gandang.matters import selectors, services

    for on in (date(2023, 3, 1), date(2023, 6, 1), date(2022, 6, 1)):
        services.instruction_record(
            actor=city.users["office"],
            data=services.InstructionInput(
                leader_name="林武",
                leader_title="省委书记",
                level="province",
                kind="praise",
                on=on,
                text="很好",
            ),
        )
    assert not Matter.objects.exists()
    assert selectors.praise_count(year=2023) == 2
    assert selectors.praise_count(year=2023, level="city") == 0
    assert Instruction.objects.count() == 3
