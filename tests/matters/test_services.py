"""Instructions written by leaders, recorded by the office, 立项, and the calendar's overdue notice."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.city.calendar import lines, run_tick
from gandang.core.errors import ServiceError
from gandang.ledger.models import Item
from gandang.matters import services
from gandang.matters.models import Instruction, Matter, MatterStep
from gandang.notifications.models import Notification
from tests.matters.conftest import answer, record_directive, step

S = Matter.State


def test_a_leader_writes_on_an_item_and_it_is_a_directive_with_its_matter_at_once(city):
    ins = services.instruction_write(
        actor=city.users["leader"],
        item=city.items["a"],
        text="请市发改委抓紧推进，月底前报进展",
        unit=city.units["a"],
        co_units=[city.units["b"]],
        deadline=date(2023, 11, 30),
    )
    assert (ins.kind, ins.level, ins.leader, ins.written_online) == ("directive", "city", city.leader, True)
    assert ins.leader_label == "副市长赵明远" and ins.on == date(2023, 11, 6)
    m = ins.matters.get()
    assert m.unit == city.units["a"] and list(m.co_units.all()) == [city.units["b"]]
    assert list(m.items.all()) == [city.items["a"]]
    told = set(Notification.objects.filter(url=m.get_absolute_url()).values_list("user__username", flat=True))
    assert told == {"liaison_a", "liaison_b"}  # the lead unit's and the co-unit's liaisons


@pytest.mark.parametrize("who", ["office", "liaison_a", "head_a", "observer"])
def test_only_a_city_leader_writes_an_instruction(city, who):
    with pytest.raises(ServiceError, match="只有市级领导可以作出批示"):
        services.instruction_write(
            actor=city.users[who],
            item=city.items["a"],
            text="请推进",
            unit=city.units["a"],
            deadline=date(2023, 12, 1),
        )
    assert not Instruction.objects.exists()


def test_an_archived_item_takes_no_instruction(city):
    from gandang.ledger.services import item_set_archived

    item = item_set_archived(actor=city.users["office"], item=city.items["a"], archived=True, reason="并入")
    with pytest.raises(ServiceError, match="该事项已归档，不能批示"):
        services.instruction_write(
            actor=city.users["leader"],
            item=item,
            text="请推进",
            unit=city.units["a"],
            deadline=date(2023, 12, 1),
        )
    assert not Instruction.objects.exists()


def test_only_the_office_records_an_instruction(city):
    with pytest.raises(ServiceError, match="只有改革办"):
        services.instruction_record(
            actor=city.users["leader"],
            data=services.InstructionInput(
                leader_name="林武",
                leader_title="省委书记",
                level="province",
                kind="praise",
                on=date(2023, 3, 1),
                text="好",
            ),
        )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"text": "  "}, "请填写批示内容"),
        ({"leader_name": ""}, "请填写批示领导"),
        ({"on": date(2023, 12, 1)}, "批示日期不能晚于今天"),
        ({"assignment": None}, "指示性批示需要选择牵头单位和办理时限"),
        ({"level": "galaxy"}, "请选择批示层级和类型"),
    ],
)
def test_a_refused_instruction_leaves_nothing_behind(city, change, why):
    data = services.InstructionInput(
        leader_name="王建国",
        leader_title="副省长",
        level="province",
        kind="directive",
        on=date(2023, 11, 1),
        text="请抓紧推进",
        assignment=services.Assignment(unit=city.units["a"], deadline=date(2023, 11, 30)),
    )
    for k, v in change.items():
        setattr(data, k, v)
    with pytest.raises(ServiceError, match=why):
        services.instruction_record(actor=city.users["office"], data=data)
    assert not Instruction.objects.exists() and not Matter.objects.exists()


def test_a_deadline_before_the_instruction_is_refused(city):
    with pytest.raises(ServiceError, match="办理时限不能早于批示日期"):
        record_directive(city, deadline=date(2023, 10, 1))
    assert not Instruction.objects.exists()


def test_the_scan_is_kept_with_the_instruction(city):
    scan = SimpleUploadedFile("批示.pdf", b"%PDF-1.4\n%%EOF\n")
    ins = services.instruction_record(
        actor=city.users["office"],
        data=services.InstructionInput(
            leader_name="林武",
            leader_title="省委书记",
            level="province",
            kind="praise",
            on=date(2023, 3, 1),
            text="好",
        ),
        scan=scan,
    )
    assert [s.name for s in ins.scans.all()] == ["批示.pdf"]


def test_a_matter_becomes_a_ledger_item_linked_both_ways(city, matter):
    item = services.matter_itemize(
        actor=city.users["office"], matter=matter, plan=city.plan, code="2023-1", title="推进要素改革新举措"
    )
    matter.refresh_from_db()
    assert matter.state == S.ITEMIZED and matter.created_item == item
    assert item.source_matter == matter
    assert (item.lead_unit, item.due_date, item.goal) == (city.units["a"], matter.deadline, matter.text)
    assert item.seq == 4  # after the plan's three items
    with pytest.raises(ServiceError):
        step(matter, city.users["liaison_a"], "submit")


def test_a_refused_itemize_creates_no_item(city, matter):
    n = Item.objects.count()
    with pytest.raises(ServiceError, match="编号“1”在该方案中已被使用"):
        services.matter_itemize(
            actor=city.users["office"], matter=matter, plan=city.plan, code="1", title="重复"
        )
    with pytest.raises(ServiceError, match="只有改革办可以立项"):
        services.matter_itemize(
            actor=city.users["leader"], matter=matter, plan=city.plan, code="9", title="新"
        )
    matter.refresh_from_db()
    assert matter.state == S.DRAFT and Item.objects.count() == n


def test_the_tick_marks_an_overdue_matter_and_tells_the_unit_once_a_day(city, matter):
    run = run_tick(today=date(2023, 11, 30))  # on the deadline: not yet late
    assert run.counts["matters_overdue"] == 0
    run = run_tick(today=date(2023, 12, 1))
    assert run.counts["matters_overdue"] == 1 and "督办事项逾期催办：1项" in lines(run)
    matter.refresh_from_db()
    assert matter.overdue_since == date(2023, 12, 1)
    notices = Notification.objects.filter(title__startswith="督办事项已逾期")
    assert list(notices.values_list("user__username", flat=True)) == ["liaison_a"]
    again = run_tick(today=date(2023, 12, 1))  # the same day again: nothing new
    assert again.counts["matters_overdue"] == 0 and notices.count() == 1
    assert MatterStep.objects.filter(matter=matter, action="remind").count() == 1
    run_tick(today=date(2023, 12, 2))  # the next day: told again
    assert notices.count() == 2
    matter.refresh_from_db()
    assert matter.overdue_since == date(2023, 12, 1)


def test_the_overdue_notice_goes_to_whoever_holds_it(city, matter):
    answer(matter, city.users["liaison_a"])
    step(matter, city.users["liaison_a"], "submit")
    run_tick(today=date(2023, 12, 1))
    late = Notification.objects.filter(title__startswith="督办事项已逾期")
    assert list(late.values_list("user__username", flat=True)) == ["head_a"]
    step(matter, city.users["head_a"], "approve")
    run_tick(today=date(2023, 12, 2))  # waiting for the office: overdue, but the unit is not told
    assert late.count() == 1


def test_a_closed_matter_is_never_overdue(city, matter):
    answer(matter, city.users["liaison_a"])
    for who, action in (("liaison_a", "submit"), ("head_a", "approve"), ("office", "close")):
        step(matter, city.users[who], action)
    run_tick(today=date(2023, 12, 5))
    matter.refresh_from_db()
    assert not matter.is_overdue and matter.overdue_since is None
