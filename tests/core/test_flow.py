"""The flow engine: a table of steps, refused with a reason when illegal, listed only when allowed."""

from dataclasses import dataclass, replace

import pytest

from gandang.core.errors import ServiceError
from gandang.core.flow import Flow, Transition, actions_for, check, refusal, require_reason

LABELS = {"writer": "撰稿人", "chief": "主编"}


@dataclass
class Person:
    role: str
    unit_id: int = 1


@dataclass
class Paper:
    state: str = "draft"
    unit_id: int = 1
    locked: bool = False

    def get_state_display(self) -> str:
        return {"draft": "草稿", "sent": "已送审", "out": "已发出"}[self.state]


FLOW = Flow(
    {
        "send": Transition("送审", frozenset({"draft"}), "sent", ("writer",)),
        "publish": Transition(
            "发出",
            frozenset({"sent"}),
            "out",
            ("chief",),
            own_unit=False,
            guard=lambda actor, obj: "已锁定" if obj.locked else None,
        ),
        "back": Transition(
            "退回", frozenset({"sent"}), "draft", ("chief",), own_unit=False, needs_reason=True
        ),
    },
    role_label=LABELS.__getitem__,
    belongs=lambda actor, obj: actor.unit_id == obj.unit_id,
    outsider="只能处理本单位的稿件",
)


@pytest.mark.parametrize(
    ("person", "paper", "action", "why"),
    [
        (Person("chief"), Paper(), "send", "只有撰稿人可以送审"),
        (Person("writer", unit_id=2), Paper(), "send", "只能处理本单位的稿件"),
        (Person("chief"), Paper(), "publish", "当前状态为“草稿”，不能发出"),
        (Person("chief"), Paper(state="sent", locked=True), "publish", "已锁定"),
        (Person("chief"), Paper(), "fly", "未知的操作"),
    ],
)
def test_an_illegal_step_is_refused_with_a_reason(person, paper, action, why):
    assert refusal(person, paper, action, FLOW) == why
    with pytest.raises(ServiceError, match=why):
        check(person, paper, action, FLOW)


def test_a_legal_step_is_allowed():
    assert refusal(Person("writer"), Paper(), "send", FLOW) is None
    assert (
        check(Person("chief", unit_id=9), Paper(state="sent"), "publish", FLOW) is FLOW.transitions["publish"]
    )


def test_actions_for_lists_only_the_allowed_steps_in_the_tables_order():
    assert [n for n, _t in actions_for(Person("writer"), Paper(), FLOW)] == ["send"]
    assert [n for n, _t in actions_for(Person("writer"), Paper(state="sent"), FLOW)] == []
    assert [n for n, _t in actions_for(Person("chief"), Paper(state="sent"), FLOW)] == ["publish", "back"]
    assert [n for n, _t in actions_for(Person("chief"), Paper(state="sent", locked=True), FLOW)] == ["back"]


def test_a_step_that_needs_a_reason_refuses_without_one():
    back = FLOW.transitions["back"]
    with pytest.raises(ServiceError, match="退回需要填写原因"):
        require_reason(back, "  ", FLOW)
    assert require_reason(back, " 数据有误 ", FLOW) == "数据有误"
    assert require_reason(FLOW.transitions["send"], "", FLOW) == ""


def test_a_step_several_roles_may_take_says_who_they_are():
    with pytest.raises(ValueError, match="who"):
        Transition("送审", frozenset({"draft"}), "sent", ("writer", "chief"))
    t = Transition("送审", frozenset({"draft"}), "sent", ("writer", "chief"), who="编辑部")
    flow = Flow({"send": t}, role_label=LABELS.__getitem__, belongs=FLOW.belongs, outsider="")
    assert refusal(Person("reader"), Paper(), "send", flow) == "只有编辑部可以送审"


def test_a_flow_with_steps_for_the_records_own_unit_says_who_belongs_to_it():
    with pytest.raises(ValueError, match="belongs"):
        Flow(FLOW.transitions, role_label=LABELS.__getitem__)


def test_every_flow_of_the_platform_is_a_table_of_the_one_transition():
    from gandang.achievements.flow import EXPERIENCE_FLOW, PILOT_FLOW
    from gandang.dispatch.flow import FLOW as REPORT_FLOW
    from gandang.information.flow import FLOW as INFORMATION_FLOW
    from gandang.matters import meeting_flow
    from gandang.supervision.flow import FLOW as RECTIFICATION_FLOW

    meetings = (meeting_flow.MEETING, meeting_flow.TOPIC, meeting_flow.OBSERVER)
    for flow in (REPORT_FLOW, RECTIFICATION_FLOW, EXPERIENCE_FLOW, PILOT_FLOW, INFORMATION_FLOW, *meetings):
        assert isinstance(flow, Flow)
        assert flow.transitions
        assert all(type(t) is Transition for t in flow.transitions.values())


def test_the_buttons_listed_are_exactly_the_steps_not_refused_in_every_flow_of_the_product():
    """actions_for asks a quick yes/no of each step (core.flow._allowed); refusal words the reasons.
    On every flow of the product, for every role, own or other unit, state (and the test flow's guard),
    they agree."""
    from gandang.achievements.flow import EXPERIENCE_FLOW, PILOT_FLOW
    from gandang.dispatch.flow import FLOW as REPORTS
    from gandang.org.models import User
    from gandang.supervision.flow import FLOW as RECTIFICATION

    @dataclass
    class Thing:
        state: str
        unit_id: int = 1
        locked: bool = False

        def get_state_display(self) -> str:
            return self.state

    def same_unit(actor, obj) -> bool:
        return actor.unit_id == obj.unit_id

    def when_locked(actor, obj) -> str | None:
        return "已锁定" if obj.locked else None

    from gandang.matters import meeting_flow

    meetings = (meeting_flow.MEETING, meeting_flow.TOPIC, meeting_flow.OBSERVER)
    from gandang.information.flow import FLOW as INFORMATION

    for product_flow in (FLOW, REPORTS, RECTIFICATION, EXPERIENCE_FLOW, PILOT_FLOW, INFORMATION, *meetings):
        # The product's tables (roles, states, own unit, guards), with membership and guards read off
        # the test's records: the engine's two answers are what is compared.
        flow = replace(
            product_flow,
            belongs=same_unit,
            transitions={
                name: replace(t, guard=when_locked if t.guard else None)
                for name, t in product_flow.transitions.items()
            },
        )
        states = {s for t in flow.transitions.values() for s in (*t.sources, t.target)}
        roles = {*User.Role.values, *LABELS}
        for state in states:
            for role in roles:
                for unit_id in (1, 2):
                    for locked in (False, True):
                        who, what = Person(role), Thing(state, unit_id=unit_id, locked=locked)
                        listed = [name for name, _t in actions_for(who, what, flow)]
                        allowed = [
                            name for name in flow.transitions if refusal(who, what, name, flow) is None
                        ]
                        assert listed == allowed, (flow, role, state, unit_id, locked)
