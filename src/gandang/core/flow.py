"""The one flow engine: a record's allowed steps declared as a table, checked and taken in one place.

Every flow of the platform (monthly reports, rectification reports, experiences, pilots, and the
ones still to come) is a `Flow`: a table of `Transition`s keyed by the action's name, plus the few
domain rules the engine cannot know, passed in by the app that owns the record — whether an actor
belongs to the record's unit (`belongs`), what a role is called (`role_label`) and how the
refusals of this flow read. The engine knows no domain: it sees roles as strings and records as
anything with `pk`, `state`, `version` and `get_state_display()`.

A new flow (say, leaders' instructions) declares, in its app's `flow.py`::

    from gandang.org.access import of_unit, role_label

    TRANSITIONS = {
        "assign": Transition(_("交办"), frozenset({S.DRAFT}), S.ASSIGNED, (R.OFFICE,), own_unit=False),
        "answer": Transition(_("报送办理结果"), frozenset({S.ASSIGNED}), S.ANSWERED, (R.LIAISON,)),
    }
    FLOW = Flow(TRANSITIONS, role_label=role_label, belongs=of_unit, outsider=_("只能办理本单位的批示"))

(`own_unit` steps need `belongs`; `record=` writes its history row). Its services take a step with
`check` → `require_reason` → `move` (state change, version bump, history row), and its pages list
the buttons with `actions_for` (rendered by core/_steps.html). See dispatch/flow.py for a whole one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gandang.core.errors import ServiceError


class Actor(Protocol):
    role: str


class Record(Protocol):
    state: str

    def get_state_display(self) -> str: ...


@dataclass(frozen=True)
class Transition:
    """One allowed step: from which states, to which state, by whom."""

    label: str | Promise  # the button, in the user's language
    sources: frozenset[str]
    target: str
    roles: tuple[str, ...]  # the roles that may take it
    own_unit: bool = True  # …and only for a record of the actor's own unit (Flow.belongs)
    needs_reason: bool = False
    done: str | Promise = ""  # the confirmation, with %(title)s for the record's title
    confirm: str | Promise = ""  # asked before a step that others will see at once
    who: str | Promise = ""  # who may take it, when more than one role may: "报送单位"
    # A further rule of the domain, checked last: why `actor` may not take it on `obj`, or None.
    guard: Callable[[Any, Any], str | Promise | None] | None = None

    def __post_init__(self) -> None:
        if len(self.roles) != 1 and not self.who:
            raise ValueError("a step several roles may take says who they are (Transition.who)")


# Writes the history row of a step: (record, action, from_state, to_state, actor, reason).
Recorder = Callable[[Any, str, str, str, Any, str], object]


def step_recorder(steps: type[models.Model], field: str) -> Recorder:
    """The Recorder that writes a `steps` row (ReportStep…) pointing at the record by `field`, with the
    action, both states, the actor and the reason."""

    def record(obj: Any, action: str, source: str, target: str, actor: Any, reason: str) -> None:
        steps._default_manager.create(
            **{field: obj}, action=action, from_state=source, to_state=target, actor=actor, reason=reason
        )

    return record


@dataclass(frozen=True, eq=False)
class Flow:
    """A table of transitions and the domain rules it runs with."""

    transitions: Mapping[str, Transition]
    role_label: Callable[[str], str]  # a role's name for the user: "单位负责人"
    # Whether the actor is of the record's unit, and the refusal to one who is not: needed when
    # some step is `own_unit`.
    belongs: Callable[[Any, Any], bool] | None = None
    outsider: str | Promise = ""
    state_refusal: str | Promise = _("当前状态为“%(state)s”，不能%(action)s")
    reason_missing: str | Promise = _("%(action)s需要填写原因")
    stale: str | Promise = _("状态已变化，请刷新页面后查看")  # another step got there first
    record: Recorder | None = None  # the flow's history (ReportStep…), written by `move`

    def __post_init__(self) -> None:
        if self.belongs is None and any(t.own_unit for t in self.transitions.values()):
            raise ValueError(
                "a flow with steps for the record's own unit says who belongs to it (Flow.belongs)"
            )


def _allowed(actor: Actor, obj: Record, t: Transition, flow: Flow) -> bool:
    """refusal() is None, without wording the refusals (a page's buttons ask it of every step of every
    record); tests/core/test_flow.py checks that the two agree on every flow, role and state."""
    return (
        actor.role in t.roles
        and (not t.own_unit or (flow.belongs is not None and flow.belongs(actor, obj)))
        and obj.state in t.sources
        and (t.guard is None or not t.guard(actor, obj))
    )


def refusal(actor: Actor, obj: Record, action: str, flow: Flow) -> str | None:
    """Why `actor` may not take `action` on `obj` now (in the user's language); None when allowed."""
    t = flow.transitions.get(action)
    if t is None:
        return gettext("未知的操作")
    if actor.role not in t.roles:
        who = t.who or flow.role_label(t.roles[0])
        return gettext("只有%(role)s可以%(action)s") % {"role": who, "action": t.label}
    if t.own_unit and not (flow.belongs is not None and flow.belongs(actor, obj)):
        return str(flow.outsider)
    if obj.state not in t.sources:
        return str(flow.state_refusal) % {"state": obj.get_state_display(), "action": t.label}
    if t.guard is not None:
        why = t.guard(actor, obj)
        if why:
            return str(why)
    return None


def actions_for(actor: Actor, obj: Record, flow: Flow) -> list[tuple[str, Transition]]:
    """The steps `actor` can take on `obj` now, in the table's order, for the buttons on its page."""
    return [(name, t) for name, t in flow.transitions.items() if _allowed(actor, obj, t, flow)]


def check(actor: Actor, obj: Record, action: str, flow: Flow) -> Transition:
    """The transition `action` if `actor` may take it on `obj` now; ServiceError with the reason if not."""
    why = refusal(actor, obj, action, flow)
    if why:
        raise ServiceError(why)
    return flow.transitions[action]


def require_reason(t: Transition, reason: str, flow: Flow) -> str:
    """`reason` stripped; ServiceError when the step needs one and none was given."""
    reason = reason.strip()
    if t.needs_reason and not reason:
        raise ServiceError(str(flow.reason_missing) % {"action": t.label})
    return reason


def move(
    obj: models.Model,
    flow: Flow,
    *,
    action: str,
    actor: Any,
    target: str | None = None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Take the step: `obj` goes from its state to `target` (the transition's unless given) with
    `changes`, its version bumped, and the flow's history row written; `obj` is then reloaded.

    The state in the WHERE clause makes a double-clicked or concurrent step a no-op for the second,
    which is refused with `flow.stale`.
    """
    source: str = obj.state  # type: ignore[attr-defined]
    target = target or flow.transitions[action].target
    moved = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, state=source)
        .update(**{**(changes or {}), "state": target, "version": F("version") + 1})
    )
    if not moved:
        raise ServiceError(str(flow.stale))
    if flow.record is not None:
        flow.record(obj, action, source, target, actor, reason)
    obj.refresh_from_db()
