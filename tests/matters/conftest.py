from datetime import date

import pytest
from django.utils import translation

from gandang.core import clock

TODAY = date(2023, 11, 6)


@pytest.fixture(autouse=True)
def _pinned_day():
    with clock.pinned(TODAY):
        yield
    translation.deactivate()  # a page asked for in English leaves no language behind for the next test


def record_directive(
    city, *, unit="a", deadline=date(2023, 11, 30), text="请市发改委抓紧推进，月底前报进展。"
):
    """The office records a provincial directive on item a: unit A leads, the matter is assigned."""
    from gandang.matters import services

    data = services.InstructionInput(
        leader_name="王建国",
        leader_title="副省长",
        level="province",
        kind="directive",
        on=date(2023, 11, 1),
        text=text,
        items=[city.items["a"]],
        assignment=services.Assignment(unit=city.units[unit], deadline=deadline),
    )
    return services.instruction_record(actor=city.users["office"], data=data)


@pytest.fixture
def matter(city):
    """Unit A's matter from a directive, deadline 2023-11-30 (unit A has a head)."""
    return record_directive(city).matters.get()


def answer(matter, user, text="已召开专题会议研究，形成工作方案。"):
    from gandang.matters import services

    matter.refresh_from_db()
    return services.matter_save(actor=user, matter=matter, answer=text, version=matter.version)


def step(matter, user, action, reason=""):
    from gandang.matters import services

    return services.matter_step(actor=user, matter=matter, action=action, reason=reason)


def consultation(city, *, on=date(2023, 10, 20), title="深化改革协商座谈会"):
    """The office records a session hearing 民盟 and 无党派人士."""
    from gandang.matters import consult_services
    from gandang.matters.models import Party

    data = consult_services.ConsultationInput(
        title=title,
        on=on,
        place="市委常委会议室",
        host="市委副书记高振华",
        parties=list(Party.objects.filter(name__in=["民盟", "无党派人士"])),
    )
    return consult_services.consultation_create(actor=city.users["office"], data=data)


def suggestion(city, session=None, *, party="民盟", person="张伟", title="优化营商环境评价机制"):
    from gandang.matters import consult_services
    from gandang.matters.models import Party

    return consult_services.suggestion_add(
        actor=city.users["office"],
        consultation=session or consultation(city),
        party=Party.objects.get(name=party),
        person=person,
        title=title,
        text="建议引入第三方评估，按季度公开营商环境评价结果。",
    )


def assign(city, sug, *, unit="a", deadline=date(2023, 11, 30)):
    from gandang.matters import consult_services
    from gandang.matters.services import Assignment

    return consult_services.suggestion_assign(
        actor=city.users["office"],
        suggestion=sug,
        assignment=Assignment(unit=city.units[unit], deadline=deadline),
    )


def handle(city, sug, *, outcome="adopted", close=True, deadline=date(2023, 11, 30)):
    """Unit A answers (with the outcome), its head signs, the office closes."""
    from gandang.matters import services

    m = assign(city, sug, deadline=deadline)
    m = services.matter_save(
        actor=city.users["liaison_a"],
        matter=m,
        answer="已制定第三方评估办法，明年起按季度公开。",
        version=m.version,
        outcome=outcome,
        outcome_reason="与我市营商环境改革方向一致。",
    )
    step(m, city.users["liaison_a"], "submit")
    step(m, city.users["head_a"], "approve")
    if close:
        step(m, city.users["office"], "close", "办理到位")
    m.refresh_from_db()
    return m
