"""The one list of a piece's allowed steps: the monthly report's sign-off by the unit, then the office's
采用, return (with its reason, back to the unit's liaison) or 存档 (read and kept for reference, not
adopted; the office may still adopt it later).

The unit's steps and the rule of who edits the text are the monthly report's own
(`gandang.dispatch.flow.unit_signoff`, `unit_edit_refusal`), run by the one engine (`gandang.core.flow`).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from gandang.core import flow as engine
from gandang.core.flow import Transition
from gandang.dispatch.flow import office_step, signoff_flow, unit_edit_refusal, unit_signoff
from gandang.information.models import Piece, PieceStep
from gandang.org.models import User

S = Piece.State
R = User.Role

TRANSITIONS: dict[str, Transition] = {
    **unit_signoff(S),  # as the monthly report: the liaison submits, the head signs or sends back
    "adopt": office_step(
        gettext_lazy("采用"),
        frozenset({S.SIGNED, S.FILED}),
        S.ADOPTED,
        done=gettext_lazy("“%(title)s”已采用"),
    ),
    "return": office_step(
        gettext_lazy("退回"),
        frozenset({S.SIGNED}),
        S.RETURNED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”已退回报送单位"),
    ),
    "file": office_step(
        gettext_lazy("存档不采用"),
        frozenset({S.SIGNED}),
        S.FILED,
        done=gettext_lazy("“%(title)s”已存档备查，未采用"),
        confirm=gettext_lazy("存档后该信息不计入采用，报送单位会收到通知。确定存档？"),
    ),
}

# In which states the unit's liaison may change the text: as for the monthly report.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# In which states the office edits it (编辑): once the unit has sent it, until it is printed.
OFFICE_EDITABLE = frozenset({S.SIGNED, S.ADOPTED})


FLOW = signoff_flow(
    TRANSITIONS,
    steps=PieceStep,
    field="piece",
    outsider=gettext_lazy("只能报送本单位的改革信息"),
    state_refusal=gettext_lazy("改革信息当前状态为“%(state)s”，不能%(action)s"),
    reason_missing=gettext_lazy("%(action)s需要填写原因"),
    stale=gettext_lazy("改革信息状态已变化，请刷新页面后查看"),
)


def refusal(user: User, piece: Piece, action: str) -> str | None:
    """Why `user` may not take `action` on `piece` now; None when the step is allowed."""
    return engine.refusal(user, piece, action, FLOW)


def actions_for(user: User, piece: Piece) -> list[tuple[str, Transition]]:
    """The step buttons `user` can press on `piece` now."""
    return engine.actions_for(user, piece, FLOW)


def edit_refusal(user: User, piece: Piece) -> str | None:
    """Why `user` may not change the title and text of `piece` now; None when allowed: the unit's liaison
    while it is a draft or returned, the office once it is sent and until its issue is printed."""
    if user.role == R.OFFICE:
        if piece.state not in OFFICE_EDITABLE:
            return gettext("改革信息当前状态为“%(state)s”，改革办不能编辑") % {
                "state": piece.get_state_display()
            }
        if piece.issue is not None and piece.issue.is_issued:
            return gettext("该信息已刊发，不能再修改")
        return None
    return unit_edit_refusal(user, piece, EDITABLE_STATES)
