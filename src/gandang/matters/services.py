"""Every write of instructions and matters: record or write an instruction (a directive assigns its matter
at once), the unit's answer and its sign-off, the office's 办结, return or 立项, and the calendar's
overdue notices. Each is atomic and writes its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import translation
from django.utils.translation import gettext

from gandang.core import attachments, audit, clock, records
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch import flow as dispatch_flow
from gandang.dispatch.services import unit_has_head
from gandang.ledger import services as ledger_services
from gandang.ledger.models import Item, Plan
from gandang.matters import flow
from gandang.matters.access import can_instruct
from gandang.matters.models import (
    Decision,
    Instruction,
    InstructionScan,
    Matter,
    MatterAttachment,
    MatterContribution,
    MatterLetter,
    MatterStep,
    Outcome,
    Source,
    Suggestion,
)
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import Leader, Unit, User

Kind = Notification.Kind
S = Matter.State


@dataclass
class Assignment:
    """Who answers a matter and by when."""

    unit: Unit
    deadline: date
    co_units: list[Unit] = field(default_factory=list)


@dataclass
class InstructionInput:
    leader_name: str
    leader_title: str
    level: str
    kind: str
    on: date
    text: str
    items: list[Item] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    leader: Leader | None = None
    # Required for a directive: the matter it becomes.
    assignment: Assignment | None = None
    # Written on another app's record (gandang.core.records): its key, id and name.
    on_record: str = ""
    on_record_id: int | None = None
    on_record_title: str = ""


def _short(text: str, n: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1] + "…"


@transaction.atomic
def instruction_record(
    *, actor: User, data: InstructionInput, scan: UploadedFile | None = None
) -> Instruction:
    """The office records an instruction received on paper or by scan; a directive becomes a matter."""
    require_office(actor)
    return _instruction_create(actor=actor, data=data, scan=scan, online=False)


@transaction.atomic
def instruction_write(
    *,
    actor: User,
    item: Item,
    text: str,
    unit: Unit,
    deadline: date,
    co_units: Iterable[Unit] = (),
) -> Instruction:
    """A city leader writes an instruction on an item in Gandang: a directive whose matter is assigned at once."""
    if not can_instruct(actor):
        raise ServiceError(gettext("只有市级领导可以作出批示"))
    if item.is_archived:
        raise ServiceError(gettext("该事项已归档，不能批示"))
    return _leader_directive(
        actor=actor, text=text, unit=unit, deadline=deadline, co_units=co_units, items=[item]
    )


@transaction.atomic
def instruction_write_on(
    *,
    actor: User,
    key: str,
    record: Any,
    text: str,
    unit: Unit,
    deadline: date,
    co_units: Iterable[Unit] = (),
) -> Instruction:
    """A city leader writes an instruction on another app's record (a monthly report, a listing, a bulletin,
    an experience: gandang.core.records), as on an item: a directive whose matter is assigned at once, linked
    to the record by its key and id, and to the items the record is about."""
    if not can_instruct(actor):
        raise ServiceError(gettext("只有市级领导可以作出批示"))
    r = records.get(key)
    if r is None:
        raise ServiceError(gettext("不能对该页面作出批示"))
    with translation.override(settings.LANGUAGE_CODE):
        title = r.title(record)
    return _leader_directive(
        actor=actor,
        text=text,
        unit=unit,
        deadline=deadline,
        co_units=co_units,
        items=[i for i in r.items(record) if not i.is_archived],
        on_record=(key, record.pk, title),
    )


def _leader_directive(
    *,
    actor: User,
    text: str,
    unit: Unit,
    deadline: date,
    co_units: Iterable[Unit],
    items: list[Item],
    on_record: tuple[str, int, str] | None = None,
) -> Instruction:
    """The city leader's own directive, dated today, and its matter assigned at once."""
    leader = actor.leader
    assert leader is not None
    co = list(co_units)
    key, record_id, record_title = on_record or ("", None, "")
    data = InstructionInput(
        leader=leader,
        leader_name=leader.name,
        leader_title=leader.title,
        level=Instruction.Level.CITY,
        kind=Instruction.Kind.DIRECTIVE,
        on=clock.today(),
        text=text,
        items=items,
        units=[unit, *co],
        assignment=Assignment(unit=unit, deadline=deadline, co_units=co),
        on_record=key,
        on_record_id=record_id,
        on_record_title=record_title[:300],
    )
    return _instruction_create(actor=actor, data=data, scan=None, online=True)


def _instruction_create(
    *, actor: User, data: InstructionInput, scan: UploadedFile | None, online: bool
) -> Instruction:
    text, name = data.text.strip(), data.leader_name.strip()
    if not text:
        raise ServiceError(gettext("请填写批示内容"))
    if not name:
        raise ServiceError(gettext("请填写批示领导"))
    if data.level not in Instruction.Level.values or data.kind not in Instruction.Kind.values:
        raise ServiceError(gettext("请选择批示层级和类型"))
    if data.on > clock.today():
        raise ServiceError(gettext("批示日期不能晚于今天"))
    directive = data.kind == Instruction.Kind.DIRECTIVE
    if directive:
        a = data.assignment
        if a is None or a.unit is None or a.deadline is None:
            raise ServiceError(gettext("指示性批示需要选择牵头单位和办理时限"))
        if a.deadline < data.on:
            raise ServiceError(gettext("办理时限不能早于批示日期"))
    ins = Instruction(
        leader=data.leader,
        leader_name=name,
        leader_title=data.leader_title.strip(),
        level=data.level,
        kind=data.kind,
        on=data.on,
        text=text,
        written_online=online,
        recorded_by=actor,
        on_record=data.on_record,
        on_record_id=data.on_record_id,
        on_record_title=data.on_record_title,
    )
    ins.save()
    units = list(data.units)
    if directive and data.assignment is not None:
        units = [data.assignment.unit, *data.assignment.co_units, *units]
    ins.items.set(data.items)
    ins.units.set({u.pk: u for u in units}.values())
    audit.record(ins, actor=actor, action=AuditEntry.Action.CREATE)
    if scan is not None:
        att = attachments.new(InstructionScan, upload=scan, uploaded_by=actor, instruction=ins)
        att.save()
        audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=ins)
    if directive and data.assignment is not None:
        matter_create(
            actor=actor,
            source=Source.INSTRUCTION,
            instruction=ins,
            origin=ins.leader_label,
            title=gettext("%(leader)s批示：%(text)s") % {"leader": ins.leader_name, "text": _short(text)},
            text=text,
            assignment=data.assignment,
            items=data.items,
        )
    return ins


def matter_create(
    *,
    actor: User,
    source: str,
    origin: str,
    title: str,
    text: str,
    assignment: Assignment,
    items: Iterable[Item] = (),
    instruction: Instruction | None = None,
    suggestion: Suggestion | None = None,
    decision: Decision | None = None,
) -> Matter:
    """Assign a matter to its lead unit (called inside its source's service, in its transaction), and tell
    the units' liaisons. The source's own service checks who may."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("matter_create runs inside its source's transaction")
    matter = Matter(
        source=source,
        instruction=instruction,
        suggestion=suggestion,
        decision=decision,
        origin=origin[:150],
        title=title[:200],
        text=text,
        unit=assignment.unit,
        deadline=assignment.deadline,
        created_by=actor,
    )
    matter.save()
    matter.co_units.set([u for u in assignment.co_units if u.pk != assignment.unit.pk])
    matter.items.set(list(items))
    audit.record(matter, actor=actor, action=AuditEntry.Action.CREATE)
    unit_ids = [assignment.unit.pk, *(u.pk for u in assignment.co_units)]
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=User.objects.filter(unit_id__in=unit_ids, role=User.Role.LIAISON, is_active=True),
            kind=Kind.MATTER,
            title=f"新的督办事项：{matter.title}"[:200],
            body=f"牵头单位：{assignment.unit}；办理时限：{matter.deadline:%Y-%m-%d}",
            url=matter.get_absolute_url(),
            key=f"matter:{matter.pk}:assigned",
        )
    return matter


@transaction.atomic
def matter_save(
    *,
    actor: User,
    matter: Matter,
    answer: str,
    version: int | None = None,
    outcome: str | None = None,
    outcome_reason: str | None = None,
) -> Matter:
    """The lead unit's liaison writes the answer (办理情况) while the matter is being handled or sent back;
    for a consultation's suggestion also whether it is adopted and why (`outcome`, `outcome_reason`;
    None leaves them as they are)."""
    m = Matter.objects.select_for_update().get(pk=matter.pk)
    why = flow.edit_refusal(actor, m)
    if why:
        raise ServiceError(why)
    if version is not None and version != m.version:
        raise StaleEdit(gettext("办理情况已被他人修改，请刷新页面后重新填写"))
    before = audit.snapshot(m)
    fields = ["answer", "version"]
    if m.asks_outcome:
        if outcome is not None:
            if outcome and outcome not in Outcome.values:
                raise ServiceError(gettext("请选择采纳情况"))
            m.outcome = outcome
            fields.append("outcome")
        if outcome_reason is not None:
            m.outcome_reason = outcome_reason.strip()
            fields.append("outcome_reason")
    m.answer = (answer or "").strip()
    m.version += 1
    m.save(update_fields=fields)
    audit.record(m, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return m


def contribution_refusal(user: User, matter: Matter) -> str | None:
    """Why `user` may not write a co-operating unit's part of `matter`, or None: a liaison or head of one of
    its co-units, while it is open."""
    if not (user.is_unit_member and user.unit_id) or user.unit_id == matter.unit_id:
        return gettext("只有配合单位可以填写配合办理情况")
    if not matter.co_units.filter(pk=user.unit_id).exists():
        return gettext("只有配合单位可以填写配合办理情况")
    if not matter.is_open:
        return gettext("该督办事项已办结或已立项，不能再填写配合办理情况")
    return None


@transaction.atomic
def contribution_save(*, actor: User, matter: Matter, text: str) -> MatterContribution:
    """A co-unit's liaison or head writes (or rewrites) its part of the answer; the lead unit's liaisons
    are told, so they can gather it into the answer they send."""
    m = Matter.objects.select_for_update(of=("self",)).select_related("unit").get(pk=matter.pk)
    why = contribution_refusal(actor, m)
    if why:
        raise ServiceError(why)
    text = (text or "").strip()
    limit = MatterContribution._meta.get_field("text").max_length or 2000
    if not text:
        raise ServiceError(gettext("请填写配合办理情况"))
    if len(text) > limit:
        raise ServiceError(gettext("配合办理情况不能超过%(n)d字") % {"n": limit})
    unit_id = actor.unit_id
    assert unit_id is not None  # contribution_refusal: a co-unit's member
    c = MatterContribution.objects.filter(matter=m, unit_id=unit_id).first()
    if c is None:
        c = MatterContribution.objects.create(matter=m, unit_id=unit_id, text=text, written_by=actor)
        audit.record(c, actor=actor, action=AuditEntry.Action.CREATE)
    else:
        before = audit.snapshot(c)
        c.text, c.written_by = text, actor
        c.save(update_fields=["text", "written_by", "updated_at"])
        audit.record(c, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=User.objects.filter(unit_id=m.unit_id, role=User.Role.LIAISON, is_active=True),
            kind=Kind.MATTER,
            title=f"配合单位{actor.unit}反馈了办理情况：{m.title}"[:200],
            body=text[:200],
            url=m.get_absolute_url() + "#contributions",
            key=f"matter:{m.pk}:contribution:{actor.unit_id}:{clock.today():%Y%m%d}",  # one notice a day
        )
    return c


@transaction.atomic
def matter_step(
    *, actor: User, matter: Matter, action: str, reason: str = "", now: datetime | None = None
) -> Matter:
    """One step of a matter: submit, approve, send_back (the unit), close or return (the office)."""
    if action not in flow.BUTTONS:
        raise ServiceError(gettext("未知的操作"))
    m = Matter.objects.select_related("unit").get(pk=matter.pk)
    t = engine.check(actor, m, action, flow.FLOW)
    reason = engine.require_reason(t, reason, flow.FLOW)
    if action == "submit" and not m.answer.strip():
        raise ServiceError(gettext("请先填写“办理情况”再提交"))
    if action == "submit" and m.asks_outcome and not (m.outcome and m.outcome_reason.strip()):
        raise ServiceError(gettext("协商建议的办理情况须选择采纳情况并说明理由后再提交"))
    now = now or clock.now()
    target = t.target
    if action == "submit" and not unit_has_head(m.unit_id):
        target = S.SIGNED
        reason = reason or "本单位未设单位负责人账号，提交即视为签发"
    changes: dict = {}
    if action in ("send_back", "return"):
        changes["return_reason"] = reason
    if action == "submit":
        changes["return_reason"] = ""
    if target == S.SIGNED:
        changes["submitted_at"] = now
    if action == "close":
        changes.update(closed_at=now, close_note=reason)
    before = audit.snapshot(m)
    engine.move(m, flow.FLOW, action=action, actor=actor, target=target, reason=reason, changes=changes)
    with translation.override(settings.LANGUAGE_CODE):
        audit.record(
            m, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason or str(t.label)
        )
        _notify_step(m, action, target, reason)
    return m


def _notify_step(m: Matter, action: str, target: str, reason: str) -> None:
    key = f"matter:{m.pk}:{MatterStep.objects.filter(matter=m).count()}"
    dispatch_flow.notify_signoff_step(
        m,
        action,
        target,
        reason,
        key=key,
        to_sign=f"督办事项办理情况待签发：{m.title}",
        to_office=f"督办事项办理情况待办结：{m.unit} {m.title}",
        returned=f"退回督办事项办理情况：{m.title}",
        reason_label="退回意见",
        office_kind=Kind.MATTER,
        returned_kind=Kind.MATTER,
    )
    if action == "close":
        leader_users = []
        if m.instruction_id and m.instruction and m.instruction.leader_id:
            leader_users = list(User.objects.filter(leader_id=m.instruction.leader_id, is_active=True))
        unit_users = User.objects.filter(unit_id=m.unit_id, is_active=True)
        notify(
            users=[*unit_users.filter(role__in=[User.Role.LIAISON, User.Role.HEAD]), *leader_users],
            kind=Kind.MATTER,
            title=f"督办事项已办结：{m.title}"[:200],
            body=f"办结意见：{reason}" if reason else "",
            url=m.get_absolute_url(),
            key=key,
        )


@transaction.atomic
def matter_itemize(*, actor: User, matter: Matter, plan: Plan, code: str, title: str) -> Item:
    """立项: the office turns a matter into a ledger item of `plan`, linked both ways; the item then lives in
    the monthly dispatch and the matter's own flow ends."""
    m = Matter.objects.select_related("unit").get(pk=matter.pk)
    engine.check(actor, m, "itemize", flow.FLOW)
    if plan.is_archived:
        raise ServiceError(gettext("该方案已归档，不能立项"))
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ServiceError(gettext("请填写事项编号和名称"))
    seq = (Item.objects.filter(plan=plan).aggregate(n=Max("seq"))["n"] or 0) + 1
    item = ledger_services.item_create(
        actor=actor,
        fields={
            "plan": plan,
            "code": code,
            "seq": seq,
            "title": title,
            "goal": m.text,
            "lead_unit": m.unit,
            "due_date": m.deadline,
            "notes": gettext("由督办事项立项：%(origin)s") % {"origin": m.origin},
        },
        leaders=[m.instruction.leader] if m.instruction and m.instruction.leader else [],
        co_units=list(m.co_units.all()),
    )
    before = audit.snapshot(m)
    engine.move(m, flow.FLOW, action="itemize", actor=actor, changes={"created_item": item})
    with translation.override(settings.LANGUAGE_CODE):
        audit.record(m, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=f"立项：{item}")
    return item


@transaction.atomic
def attachment_add(*, actor: User, matter: Matter, upload: UploadedFile) -> MatterAttachment:
    m = Matter.objects.get(pk=matter.pk)
    why = flow.edit_refusal(actor, m)
    if why:
        raise ServiceError(why)
    att = attachments.new(MatterAttachment, upload=upload, uploaded_by=actor, matter=m)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=m)
    return att


@transaction.atomic
def attachment_remove(*, actor: User, attachment: MatterAttachment) -> None:
    m = Matter.objects.get(pk=attachment.matter_id)
    why = flow.edit_refusal(actor, m)
    if why:
        raise ServiceError(why)
    attachments.remove(attachment, actor=actor, scope=m)


# Whose turn a matter past its deadline is: they are the ones told (a matter waiting for the office's
# 办结 is overdue too, but the unit has done its part and is not told).
_TURN: dict[str, str] = {
    S.DRAFT: User.Role.LIAISON,
    S.RETURNED: User.Role.LIAISON,
    S.SUBMITTED: User.Role.HEAD,
}


@dataclass
class Overdue:
    matters: int = 0  # matters whose unit was told today
    notices: int = 0  # notices written


@transaction.atomic
def overdue_notices(*, today: date | None = None) -> Overdue:
    """The calendar's step: mark matters past their deadline and not closed as overdue, and tell the unit
    whose turn it is, at most once a day (each notice is a step in the matter's record)."""
    today = today or clock.today()
    late = Matter.objects.filter(state__in=Matter.OPEN_STATES, deadline__lt=today)
    fresh = list(late.filter(overdue_since__isnull=True, state__in=list(_TURN)).order_by("deadline", "id"))
    late.filter(overdue_since__isnull=True).update(overdue_since=today)
    due = late.filter(state__in=list(_TURN)).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
    told = Overdue()
    office = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
    for m in fresh:
        # The office hears once, on the first day, that it may now issue the numbered 催办函 (letters.py).
        told.notices += len(
            notify(
                users=office,
                kind=Kind.URGE,
                title=f"督办事项逾期未办结：{m.title}"[:200],
                body=f"办理时限{m.deadline:%Y-%m-%d}已过，牵头单位尚未报送办理情况，可发催办函。",
                url=m.get_absolute_url(),
                key=f"matter-overdue-office:{m.pk}",
            )
        )
    latest = _latest_letters([m.pk for m in due])
    for m in due.select_related("unit").order_by("deadline", "id"):
        days = (today - m.deadline).days
        letter = latest.get(m.pk)
        if letter is not None:  # the unit is reminded of the letter it has and the deadline it sets
            body = (
                f"已发{letter.get_kind_display()}{letter.doc_number}，请于{letter.deadline:%Y-%m-%d}前"
                "报送经单位负责人签发的办理情况，逾期将升级督办。"
            )
        else:
            body = f"办理时限：{m.deadline:%Y-%m-%d}；请抓紧办理并报送办理情况，逾期未报将发催办函。"
        with translation.override(settings.LANGUAGE_CODE):
            sent = notify(
                users=User.objects.filter(unit_id=m.unit_id, role=_TURN[m.state], is_active=True),
                kind=Kind.URGE,
                title=f"督办事项已逾期{days}天：{m.title}"[:200],
                body=body,
                url=m.get_absolute_url(),
                key=f"matter-overdue:{m.pk}:{today.isoformat()}",
            )
        MatterStep.objects.create(
            matter=m,
            action=MatterStep.REMIND,
            from_state=m.state,
            to_state=m.state,
            actor=None,
            reason=f"逾期{days}天，已催办{m.unit}",
        )
        Matter.objects.filter(pk=m.pk).update(reminded_on=today)
        told.matters += 1
        told.notices += len(sent)
    return told


def _latest_letters(matter_ids: list[int]) -> dict[int, MatterLetter]:
    """Each matter's latest letter (催办函 or 督办函), in one query."""
    out: dict[int, MatterLetter] = {}
    for letter in MatterLetter.objects.filter(matter_id__in=matter_ids).order_by("issued_on", "id"):
        out[letter.matter_id] = letter
    return out
