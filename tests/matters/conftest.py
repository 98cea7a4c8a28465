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
