"""The one list of a report's allowed steps: from which states, to which state, by whom.

Services consult `TRANSITIONS` and nothing else, so an illegal step (approving twice, a liaison
signing off, editing an accepted report) is refused in one place with one message (Chinese by default,
translated for a user who chose English).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandang.dispatch.models import Report
from gandang.org.models import User

S = Report.State
R = User.Role


@dataclass(frozen=True)
class Transition:
    label: str | Promise  # the button, in the user's language
    sources: frozenset[str]
    target: str
    role: str
    needs_reason: bool = False
    own_unit: bool = True  # the actor must belong to the report's unit
    done: str | Promise = ""  # the confirmation, with %(title)s for the item's title


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        gettext_lazy("提交签发"),
        frozenset({S.DRAFT, S.RETURNED}),
        S.SUBMITTED,
        R.LIAISON,
        done=gettext_lazy("“%(title)s”已提交签发"),
    ),
    "approve": Transition(
        gettext_lazy("签发"),
        frozenset({S.SUBMITTED}),
        S.SIGNED,
        R.HEAD,
        done=gettext_lazy("“%(title)s”已签发"),
    ),
    "send_back": Transition(
        gettext_lazy("退回修改"),
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        R.HEAD,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”已退回修改"),
    ),
    "accept": Transition(
        gettext_lazy("审核通过"),
        frozenset({S.SIGNED}),
        S.ACCEPTED,
        R.OFFICE,
        own_unit=False,
        done=gettext_lazy("“%(title)s”已审核通过"),
    ),
    "return": Transition(
        gettext_lazy("退回"),
        frozenset({S.SIGNED}),
        S.RETURNED,
        R.OFFICE,
        needs_reason=True,
        own_unit=False,
        done=gettext_lazy("“%(title)s”已退回"),
    ),
    "reopen": Transition(
        gettext_lazy("更正"),
        frozenset({S.ACCEPTED}),
        S.RETURNED,
        R.OFFICE,
        needs_reason=True,
        own_unit=False,
        done=gettext_lazy("“%(title)s”已更正"),
    ),
}

# Who may change the report's text, and in which states.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
EDITOR_ROLE = R.LIAISON


class Flowing(Protocol):
    """A record that moves through the sign-off flow: a monthly report or a rectification report."""

    state: str
    unit_id: int

    def get_state_display(self) -> str: ...


def refusal(
    user: User, report: Flowing, action: str, transitions: dict[str, Transition] | None = None
) -> str | None:
    """Why `user` may not take `action` on `report` now; None when the step is allowed."""
    t = (TRANSITIONS if transitions is None else transitions).get(action)
    if t is None:
        return _("未知的操作")
    if user.role != t.role:
        return _("只有%(role)s可以%(action)s") % {"role": R(t.role).label, "action": t.label}
    if t.own_unit and user.unit_id != report.unit_id:
        return _("只能处理本单位的报告")
    if report.state not in t.sources:
        return _("报告当前状态为“%(state)s”，不能%(action)s") % {
            "state": report.get_state_display(),
            "action": t.label,
        }
    return None


def edit_refusal(user: User, report: Flowing) -> str | None:
    """Why `user` may not change the text of `report` now; None when allowed."""
    if user.role != EDITOR_ROLE or user.unit_id != report.unit_id:
        return _("只有本单位联络员可以填写报告")
    if report.state not in EDITABLE_STATES:
        return _("报告当前状态为“%(state)s”，不能修改") % {"state": report.get_state_display()}
    return None


def actions_for(
    user: User, report: Flowing, transitions: dict[str, Transition] | None = None
) -> list[tuple[str, Transition]]:
    """The steps `user` can take on `report` now, for the buttons on its page."""
    table = TRANSITIONS if transitions is None else transitions
    return [(name, t) for name, t in table.items() if refusal(user, report, name, table) is None]
