"""The one list of a report's allowed steps: from which states, to which state, by whom.

Services consult `TRANSITIONS` and nothing else, so an illegal step (approving twice, a liaison
signing off, editing an accepted report) is refused in one place with one Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass

from gandang.dispatch.models import Report
from gandang.org.models import User

S = Report.State
R = User.Role


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    role: str
    needs_reason: bool = False
    own_unit: bool = True  # the actor must belong to the report's unit


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition("提交签发", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, R.LIAISON),
    "approve": Transition("签发", frozenset({S.SUBMITTED}), S.SIGNED, R.HEAD),
    "send_back": Transition("退回修改", frozenset({S.SUBMITTED}), S.RETURNED, R.HEAD, needs_reason=True),
    "accept": Transition("审核通过", frozenset({S.SIGNED}), S.ACCEPTED, R.OFFICE, own_unit=False),
    "return": Transition(
        "退回", frozenset({S.SIGNED}), S.RETURNED, R.OFFICE, needs_reason=True, own_unit=False
    ),
    "reopen": Transition(
        "更正", frozenset({S.ACCEPTED}), S.RETURNED, R.OFFICE, needs_reason=True, own_unit=False
    ),
}

# Who may change the report's text, and in which states.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
EDITOR_ROLE = R.LIAISON


def refusal(user: User, report: Report, action: str) -> str | None:
    """Why `user` may not take `action` on `report` now; None when the step is allowed."""
    t = TRANSITIONS.get(action)
    if t is None:
        return "未知的操作"
    if user.role != t.role:
        return f"只有{R(t.role).label}可以{t.label}"
    if t.own_unit and user.unit_id != report.unit_id:
        return "只能处理本单位的报告"
    if report.state not in t.sources:
        return f"报告当前状态为“{report.get_state_display()}”，不能{t.label}"
    return None


def edit_refusal(user: User, report: Report) -> str | None:
    """Why `user` may not change the text of `report` now; None when allowed."""
    if user.role != EDITOR_ROLE or user.unit_id != report.unit_id:
        return "只有本单位联络员可以填写报告"
    if report.state not in EDITABLE_STATES:
        return f"报告当前状态为“{report.get_state_display()}”，不能修改"
    return None


def actions_for(user: User, report: Report) -> list[tuple[str, Transition]]:
    """The steps `user` can take on `report` now, for the buttons on its page."""
    return [(name, t) for name, t in TRANSITIONS.items() if refusal(user, report, name) is None]
