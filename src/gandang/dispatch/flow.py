"""The one list of a report's allowed steps: from which states, to which state, by whom.

Services consult `FLOW` (run by `gandang.core.flow`) and nothing else, so an illegal step (approving
twice, a liaison signing off, editing an accepted report) is refused in one place with one message
(Chinese by default, translated for a user who chose English).
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandang.core import flow as engine
from gandang.core.flow import Flow, Transition
from gandang.dispatch.models import Report, ReportStep
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import of_unit, role_label
from gandang.org.models import User

S = Report.State
R = User.Role


def unit_signoff(states) -> dict[str, Transition]:
    """The unit's own steps on a report it answers with (the monthly report, the rectification report):
    the liaison submits, the unit head signs it off or sends it back. `states` is the record's State,
    with DRAFT, RETURNED, SUBMITTED and SIGNED."""
    S = states  # noqa: N806 (read as the tables below read)
    return {
        "submit": Transition(
            gettext_lazy("提交签发"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            (R.LIAISON,),
            done=gettext_lazy("“%(title)s”已提交签发"),
        ),
        "approve": Transition(
            gettext_lazy("签发"),
            frozenset({S.SUBMITTED}),
            S.SIGNED,
            (R.HEAD,),
            done=gettext_lazy("“%(title)s”已签发"),
        ),
        "send_back": Transition(
            gettext_lazy("退回修改"),
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            (R.HEAD,),
            needs_reason=True,
            done=gettext_lazy("“%(title)s”已退回修改"),
        ),
    }


def office_step(
    label: str | Promise,
    sources: frozenset[str],
    target: str,
    *,
    done: str | Promise,
    needs_reason: bool = False,
    confirm: str | Promise = "",
) -> Transition:
    """A step of the office (any unit's record) after the unit's own: accepting what was signed off,
    or returning it."""
    return Transition(
        label,
        sources,
        target,
        (R.OFFICE,),
        own_unit=False,
        needs_reason=needs_reason,
        done=done,
        confirm=confirm,
    )


def signoff_flow(
    transitions: dict[str, Transition],
    *,
    steps: type[models.Model],
    field: str,
    outsider: str | Promise,
    state_refusal: str | Promise,
    stale: str | Promise,
    reason_missing: str | Promise = Flow.reason_missing,
) -> Flow:
    """The Flow of a record a unit answers with (`unit_signoff`'s steps, then the office's): the unit is
    the record's (`of_unit`), and each step writes a `steps` row pointing at the record by `field`."""
    return Flow(
        transitions,
        role_label=role_label,
        belongs=of_unit,
        outsider=outsider,
        state_refusal=state_refusal,
        reason_missing=reason_missing,
        stale=stale,
        record=engine.step_recorder(steps, field),
    )


def notify_signoff_step(
    record,
    action: str,
    target: str,
    reason: str,
    *,
    key: str,
    to_sign: str,
    returned: str,
    reason_label: str = "退回原因",
    to_office: str = "",
    office_kind: str = Notification.Kind.OTHER,
    returned_kind: str = Notification.Kind.RETURNED,
    returns: tuple[str, ...] = ("send_back", "return"),
) -> None:
    """Whoever must act next on a record that goes through `unit_signoff` hears of its step: the unit's
    head when it awaits sign-off (`to_sign`), the office when it is signed off (`to_office`, when the
    flow tells the office), the liaison when one of `returns` sends it back (“单位负责人” or “改革办”, then
    `returned`, with the reason after `reason_label`). Any later step of the office is the caller's.
    The texts are stored in the product's language, as the caller words them; the office's and the
    returned notice are filed under the caller's kinds (`office_kind`, `returned_kind`)."""
    states = type(record).State
    unit_users = User.objects.filter(unit_id=record.unit_id, is_active=True)
    url = record.get_absolute_url()
    if action == "submit" and target == states.SUBMITTED:
        notify(
            users=unit_users.filter(role=R.HEAD),
            kind=Notification.Kind.TO_SIGN,
            title=to_sign[:200],
            url=url,
            key=key,
        )
    elif target == states.SIGNED:
        if to_office:
            notify(
                users=User.objects.filter(role=R.OFFICE, is_active=True),
                kind=office_kind,
                title=to_office[:200],
                url=url,
                key=key,
            )
    elif action in returns:
        who = "单位负责人" if action == "send_back" else "改革办"
        notify(
            users=unit_users.filter(role=R.LIAISON),
            kind=returned_kind,
            title=f"{who}{returned}"[:200],
            body=f"{reason_label}：{reason}",
            url=url,
            key=key,
        )


TRANSITIONS: dict[str, Transition] = {
    **unit_signoff(S),
    "accept": office_step(
        gettext_lazy("审核通过"),
        frozenset({S.SIGNED}),
        S.ACCEPTED,
        done=gettext_lazy("“%(title)s”已审核通过"),
    ),
    "return": office_step(
        gettext_lazy("退回"),
        frozenset({S.SIGNED}),
        S.RETURNED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”已退回"),
    ),
    "reopen": office_step(
        gettext_lazy("更正"),
        frozenset({S.ACCEPTED}),
        S.RETURNED,
        needs_reason=True,
        done=gettext_lazy("“%(title)s”已更正"),
    ),
}

# Who may change the report's text, and in which states.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
EDITOR_ROLE = R.LIAISON


FLOW = signoff_flow(
    TRANSITIONS,
    steps=ReportStep,
    field="report",
    outsider=gettext_lazy("只能处理本单位的报告"),
    state_refusal=gettext_lazy("报告当前状态为“%(state)s”，不能%(action)s"),
    stale=gettext_lazy("报告状态已变化，请刷新页面后查看"),
)


def refusal(user: User, report: Report, action: str) -> str | None:
    """Why `user` may not take `action` on `report` now; None when the step is allowed."""
    return engine.refusal(user, report, action, FLOW)


def actions_for(user: User, report: Report) -> list[tuple[str, Transition]]:
    """The steps `user` can take on `report` now, for the buttons on its page."""
    return engine.actions_for(user, report, FLOW)


def unit_may_edit(user: User, record, editable: frozenset[str]) -> bool:
    """Whether unit_edit_refusal allows it, without wording a refusal (to count a page of reports)."""
    return user.role == EDITOR_ROLE and of_unit(user, record) and record.state in editable


def unit_edit_refusal(user: User, record, editable: frozenset[str]) -> str | None:
    """Why `user` may not change the text of a report its unit answers with (`record`: a monthly or a
    rectification report) now; None when allowed: only the unit's liaison, in an `editable` state."""
    if unit_may_edit(user, record, editable):
        return None
    if user.role != EDITOR_ROLE or not of_unit(user, record):
        return _("只有本单位联络员可以填写报告")
    return _("报告当前状态为“%(state)s”，不能修改") % {"state": record.get_state_display()}


def edit_refusal(user: User, report: Report) -> str | None:
    """Why `user` may not change the text of `report` now; None when allowed."""
    return unit_edit_refusal(user, report, EDITABLE_STATES)


def may_edit(user: User, report: Report) -> bool:
    """edit_refusal(user, report) is None, without wording the refusal."""
    return unit_may_edit(user, report, EDITABLE_STATES)
