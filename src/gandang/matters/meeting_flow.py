"""The allowed steps of meetings, their topics and observers, in one table each for the one engine.

A meeting is prepared, held, then its minutes issued (the office alone). A unit's topic is reviewed by
the office: put on the agenda or returned with a reason, and a returned topic may be proposed again by
its unit. An observer is invited, confirms, and is recorded present or absent.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandang.core.flow import Flow, Transition
from gandang.matters.meeting_models import Meeting, Observer, Topic
from gandang.org.access import of_unit, role_label
from gandang.org.models import User

M = Meeting.State
T = Topic.State
O = Observer.State  # noqa: E741
R = User.Role

MEETING = Flow(
    {
        "hold": Transition(
            gettext_lazy("会议已召开"),
            frozenset({M.PREPARING}),
            M.HELD,
            (R.OFFICE,),
            own_unit=False,
            done=gettext_lazy("已记录“%(title)s”召开"),
        ),
        # Taken by the minutes' own service (number and document), not a step button.
        "issue": Transition(
            gettext_lazy("印发纪要"),
            frozenset({M.HELD}),
            M.ISSUED,
            (R.OFFICE,),
            own_unit=False,
        ),
    },
    role_label=role_label,
    state_refusal=gettext_lazy("会议当前状态为“%(state)s”，不能%(action)s"),
    stale=gettext_lazy("会议状态已变化，请刷新页面后查看"),
)

TOPIC = Flow(
    {
        "accept": Transition(
            gettext_lazy("列入议程"),
            frozenset({T.PROPOSED}),
            T.ACCEPTED,
            (R.OFFICE,),
            own_unit=False,
            done=gettext_lazy("议题“%(title)s”已列入议程"),
        ),
        "return": Transition(
            gettext_lazy("退回"),
            frozenset({T.PROPOSED}),
            T.RETURNED,
            (R.OFFICE,),
            own_unit=False,
            needs_reason=True,
            done=gettext_lazy("议题“%(title)s”已退回"),
        ),
        "resubmit": Transition(
            gettext_lazy("重新提报"),
            frozenset({T.RETURNED}),
            T.PROPOSED,
            (R.LIAISON, R.HEAD),
            who=gettext_lazy("提报单位"),
            done=gettext_lazy("议题“%(title)s”已重新提报"),
        ),
    },
    role_label=role_label,
    belongs=of_unit,
    outsider=gettext_lazy("只能办理本单位提报的议题"),
    state_refusal=gettext_lazy("议题当前状态为“%(state)s”，不能%(action)s"),
    reason_missing=gettext_lazy("%(action)s需要填写原因"),
    stale=gettext_lazy("议题状态已变化，请刷新页面后查看"),
)

OBSERVER = Flow(
    {
        "confirm": Transition(
            gettext_lazy("确认参会"),
            frozenset({O.INVITED}),
            O.CONFIRMED,
            (R.OFFICE,),
            own_unit=False,
        ),
        "present": Transition(
            gettext_lazy("到会"),
            frozenset({O.INVITED, O.CONFIRMED}),
            O.PRESENT,
            (R.OFFICE,),
            own_unit=False,
        ),
        "absent": Transition(
            gettext_lazy("未到会"),
            frozenset({O.INVITED, O.CONFIRMED}),
            O.ABSENT,
            (R.OFFICE,),
            own_unit=False,
        ),
    },
    role_label=role_label,
    state_refusal=gettext_lazy("当前状态为“%(state)s”，不能%(action)s"),
    stale=gettext_lazy("状态已变化，请刷新页面后查看"),
)
