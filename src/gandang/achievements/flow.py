"""The steps of an experience (报送 → 采用 → 公开) and of a pilot (申报 → 承接 → 推进 → 评估验收 → 通过/未通过).

Both are tables of the one engine (`gandang.core.flow`). An experience is submitted by a member
(liaison or head) of one of its units and judged by the office; a pilot is moved on by the office
alone, each step named by the state it reaches.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from gandang.achievements.models import Experience, Pilot
from gandang.core.flow import Flow, Transition
from gandang.org.access import role_label
from gandang.org.models import User

S = Experience.State
P = Pilot.State
R = User.Role


def _of_its_units(user: User, exp: Experience) -> bool:
    return user.unit_id is not None and exp.units.filter(pk=user.unit_id).exists()


def _submitted_first(user: User, exp: Experience) -> str | None:
    """A unit's draft reaches the office by being submitted; only the office's own draft is adopted as is."""
    if exp.state == S.DRAFT and exp.created_by.role != R.OFFICE:
        return "单位的草稿须先报送改革办"
    return None


EXPERIENCE_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        pgettext_lazy("button", "报送改革办"),
        frozenset({S.DRAFT, S.RETURNED}),
        S.SUBMITTED,
        (R.LIAISON, R.HEAD),
        who=gettext_lazy("报送单位"),
    ),
    "return": Transition(
        gettext_lazy("退回修改"),
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        (R.OFFICE,),
        own_unit=False,
        needs_reason=True,
    ),
    "adopt": Transition(
        gettext_lazy("采用"),
        frozenset({S.SUBMITTED, S.DRAFT}),
        S.ADOPTED,
        (R.OFFICE,),
        own_unit=False,
        guard=_submitted_first,
    ),
    "publish": Transition(
        gettext_lazy("公开展示"),
        frozenset({S.ADOPTED}),
        S.PUBLISHED,
        (R.OFFICE,),
        own_unit=False,
        confirm=gettext_lazy("公开后，任何人无需登录即可在“敢当”经验专栏阅读全文。确定公开？"),
    ),
    "unpublish": Transition(
        gettext_lazy("撤回公开"),
        frozenset({S.PUBLISHED}),
        S.ADOPTED,
        (R.OFFICE,),
        own_unit=False,
        needs_reason=True,
    ),
}

EXPERIENCE_FLOW = Flow(
    EXPERIENCE_TRANSITIONS,
    role_label=role_label,
    belongs=_of_its_units,
    outsider="只有报送单位可以报送",
)


def _to(state: P, *sources: P) -> Transition:
    return Transition(state.label, frozenset(sources), state, (R.OFFICE,), own_unit=False)


# Keyed by the state each step reaches; the step's label is that state's name.
PILOT_TRANSITIONS: dict[str, Transition] = {
    P.UNDERTAKEN: _to(P.UNDERTAKEN, P.APPLIED),
    P.IN_PROGRESS: _to(P.IN_PROGRESS, P.UNDERTAKEN),
    P.EVALUATING: _to(P.EVALUATING, P.UNDERTAKEN, P.IN_PROGRESS),
    P.PASSED: _to(P.PASSED, P.EVALUATING),
    P.FAILED: _to(P.FAILED, P.APPLIED, P.EVALUATING),
}

PILOT_FLOW = Flow(
    PILOT_TRANSITIONS,
    role_label=role_label,
    state_refusal="试点当前为“%(state)s”，不能变为“%(action)s”",
)
