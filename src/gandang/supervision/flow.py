"""The rectification report's steps: the monthly report's sign-off flow, ending in the office's verification.

The same states and rules as the monthly report, its unit steps taken from it
(`gandang.dispatch.flow.unit_signoff`), run by the same engine: the liaison drafts and submits, the unit head signs off or sends back, the office
verifies — accepting it delists the item, returning it sends the unit back to work. No correction
step: a verified rectification closes the listing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandang.core import flow as engine
from gandang.core.flow import Transition
from gandang.dispatch.flow import office_step, signoff_flow, unit_edit_refusal, unit_signoff
from gandang.org.models import User
from gandang.supervision.models import Rectification, RectificationStep

S = Rectification.State
R = User.Role

TRANSITIONS: dict[str, Transition] = {
    **unit_signoff(S),  # as the monthly report: the liaison submits, the head signs
    "accept": office_step(
        gettext_lazy("核验通过并摘牌"),
        frozenset({S.SIGNED}),
        S.ACCEPTED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”整改已核验，已摘牌"),
    ),
    "return": office_step(
        gettext_lazy("退回继续整改"),
        frozenset({S.SIGNED}),
        S.RETURNED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”整改报告已退回"),
    ),
}

# In which states the unit's liaison may change the report's text: as for the monthly report.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


FLOW = signoff_flow(
    TRANSITIONS,
    steps=RectificationStep,
    field="rectification",
    outsider=gettext_lazy("只能处理本单位的报告"),
    state_refusal=gettext_lazy("报告当前状态为“%(state)s”，不能%(action)s"),
    reason_missing=gettext_lazy("%(action)s需要填写意见"),
    stale=gettext_lazy("整改报告状态已变化，请刷新页面后查看"),
)


def refusal(user: User, rect: Rectification, action: str) -> str | None:
    """Why `user` may not take `action` on `rect` now; None when the step is allowed."""
    return engine.refusal(user, rect, action, FLOW)


def actions_for(user: User, rect: Rectification) -> list[tuple[str, Transition]]:
    """The steps `user` can take on `rect` now, for the buttons on the listing's page."""
    return engine.actions_for(user, rect, FLOW)


def edit_refusal(user: User, rect: Rectification) -> str | None:
    """Why `user` may not change the text of `rect` now; None when allowed."""
    return unit_edit_refusal(user, rect, EDITABLE_STATES)
