"""The one list of a matter's allowed steps: the monthly report's sign-off by the unit, then the office's
办结 or return; or the office's 立项 (the matter becomes a ledger item).

The unit's steps and the rule of who edits the answer are the monthly report's own
(`gandang.dispatch.flow.unit_signoff`, `unit_edit_refusal`), run by the one engine (`gandang.core.flow`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandang.core import flow as engine
from gandang.core.flow import Transition
from gandang.dispatch.flow import office_step, signoff_flow, unit_edit_refusal, unit_signoff
from gandang.matters.models import Matter, MatterStep
from gandang.org.models import User

S = Matter.State
R = User.Role

TRANSITIONS: dict[str, Transition] = {
    **unit_signoff(S),  # as the monthly report: the liaison submits, the head signs or sends back
    "close": office_step(
        gettext_lazy("办结"), frozenset({S.SIGNED}), S.CLOSED, done=gettext_lazy("“%(title)s”已办结")
    ),
    "return": office_step(
        gettext_lazy("退回重办"),
        frozenset({S.SIGNED}),
        S.RETURNED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”已退回重办"),
    ),
    # Taken through its own form (the plan and code of the new item), not a step button.
    "itemize": office_step(
        gettext_lazy("立项"),
        frozenset({S.DRAFT, S.SUBMITTED, S.SIGNED, S.RETURNED}),
        S.ITEMIZED,
        done=gettext_lazy("“%(title)s”已立项，转入改革台账"),
    ),
}

# The steps shown as buttons on the matter's page (立项 has its own form).
BUTTONS = ("submit", "approve", "send_back", "close", "return")

# In which states the lead unit's liaison may change the answer: as for the monthly report.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


FLOW = signoff_flow(
    TRANSITIONS,
    steps=MatterStep,
    field="matter",
    outsider=gettext_lazy("只能办理本单位牵头的督办事项"),
    state_refusal=gettext_lazy("督办事项当前状态为“%(state)s”，不能%(action)s"),
    reason_missing=gettext_lazy("%(action)s需要填写意见"),
    stale=gettext_lazy("督办事项状态已变化，请刷新页面后查看"),
)


def refusal(user: User, matter: Matter, action: str) -> str | None:
    """Why `user` may not take `action` on `matter` now; None when the step is allowed."""
    return engine.refusal(user, matter, action, FLOW)


def actions_for(user: User, matter: Matter) -> list[tuple[str, Transition]]:
    """The step buttons `user` can press on `matter` now."""
    return [(n, t) for n, t in engine.actions_for(user, matter, FLOW) if n in BUTTONS]


def edit_refusal(user: User, matter: Matter) -> str | None:
    """Why `user` may not change the answer of `matter` now; None when allowed."""
    return unit_edit_refusal(user, matter, EDITABLE_STATES)
