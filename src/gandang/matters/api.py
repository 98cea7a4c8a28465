"""The JSON API of instructions and matters: the same gates and scopes as the pages."""

from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Field, Query, Router, Schema

from gandang.core import clock
from gandang.core.params import Id, Year
from gandang.matters import meeting_selectors, selectors
from gandang.matters.access import (
    get_instruction_for_user,
    get_matter_for_user,
    instructions_visible_to,
    matters_visible_to,
)
from gandang.matters.meeting_access import get_meeting_for_user, meetings_visible_to
from gandang.matters.meeting_models import Decision, Meeting, Topic
from gandang.matters.models import Instruction, Matter, MatterContribution, MatterStep, Source
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["批示督办 instructions and matters"])


class StepOut(Schema):
    at: datetime = Field(description="时间")
    action: str = Field(
        description="操作（如 submit 提交签发、approve 签发、close 办结、return 退回、remind 逾期催办、urge 发催办函）"
    )
    label: str = Field(description="操作名称")
    actor: str | None = Field(description="操作人（系统操作为空）")
    from_state: str = Field(description="操作前状态")
    to_state: str = Field(description="操作后状态")
    reason: str = Field(description="意见或原因")


class LetterOut(Schema):
    kind: str = Field(description="文种：urge 催办函，supervise 督办函")
    doc_number: str = Field(description="文号")
    title: str = Field(description="标题")
    issued_on: date = Field(description="发文日期")
    deadline: date = Field(description="答复时限")


class ContributionOut(Schema):
    unit: str = Field(description="配合单位")
    text: str = Field(description="配合办理情况")
    updated_at: datetime = Field(description="更新时间")


class MatterOut(Schema):
    id: int = Field(description="督办事项ID")
    source: str = Field(
        description="来源：instruction 领导批示，decision 会议议定事项，observer 列席旁听意见，suggestion 协商建议"
    )
    instruction_id: int | None = Field(description="来源批示ID")
    suggestion_id: int | None = Field(description="来源意见建议ID（协商建议）")
    decision_id: int | None = Field(description="来源会议议定事项ID")
    origin: str = Field(description="交办来源（领导或会议）")
    title: str = Field(description="事项名称")
    text: str = Field(description="督办要求")
    unit: str = Field(description="牵头单位")
    co_units: list[str] = Field(description="配合单位")
    deadline: date = Field(description="办理时限")
    state: str = Field(
        description="状态：draft 办理中，submitted 待签发，signed 待办结，returned 已退回，closed 已办结，itemized 已立项"
    )
    overdue: bool = Field(description="是否已逾期（超过办理时限且未办结）")
    answer: str = Field(description="办理情况")
    outcome: str = Field(
        description="采纳情况（协商建议）：adopted 采纳，partly 部分采纳，reference 留作参考"
    )
    outcome_reason: str = Field(description="采纳理由（协商建议）")
    submitted_at: datetime | None = Field(description="报送改革办时间")
    closed_at: datetime | None = Field(description="办结时间")
    created_item_id: int | None = Field(description="立项后的改革事项ID")
    contributions: list[ContributionOut] = Field(description="配合单位办理情况（已反馈的）")
    letters: list[LetterOut] = Field(description="催办函、督办函（按发文先后）")
    steps: list[StepOut] = Field(description="流转记录：谁在何时做了什么（含每一次逾期催办）")


class MatterQuery(Schema):
    state: Matter.State | None = Field(None, description="状态")
    source: Source | None = Field(None, description="来源")
    year: Year | None = Field(None, description="交办年度")
    unit: Id | None = Field(None, description="牵头单位ID")
    overdue: bool | None = Field(None, description="只看已逾期的")


class InstructionOut(Schema):
    id: int = Field(description="批示ID")
    leader_name: str = Field(description="批示领导")
    leader_title: str = Field(description="领导职务")
    level: str = Field(description="批示层级：central 中央，province 省级，city 市级")
    kind: str = Field(description="批示类型：praise 肯定性，directive 指示性")
    on: date = Field(description="批示日期")
    text: str = Field(description="批示内容")
    item_ids: list[int] = Field(description="相关改革事项ID")
    units: list[str] = Field(description="相关单位")
    matter_ids: list[int] = Field(description="由批示转成的督办事项ID")
    on_record: str = Field(
        description="网上批示所在记录的类别（dispatch.report 月度报告，supervision.listing 挂牌督办，"
        "bulletins.bulletin 季通报，achievements.experience 经验做法；在事项上或录入的批示为空）"
    )
    on_record_id: int | None = Field(description="批示所在记录的ID")
    on_record_title: str = Field(description="批示所在记录的名称（批示时）")


class InstructionQuery(Schema):
    year: Year | None = Field(None, description="年度")
    kind: Instruction.Kind | None = Field(None, description="批示类型")
    level: Instruction.Level | None = Field(None, description="批示层级")


def _matter(m: Matter) -> dict:
    return {
        "id": m.pk,
        "source": m.source,
        "instruction_id": m.instruction_id,
        "suggestion_id": m.suggestion_id,
        "decision_id": m.decision_id,
        "origin": m.origin,
        "title": m.title,
        "text": m.text,
        "unit": m.unit.name,
        "co_units": [u.name for u in m.co_units.all()],
        "deadline": m.deadline,
        "state": m.state,
        "overdue": m.is_overdue,
        "answer": m.answer,
        "outcome": m.outcome,
        "outcome_reason": m.outcome_reason,
        "submitted_at": m.submitted_at,
        "closed_at": m.closed_at,
        "created_item_id": m.created_item_id,
        "contributions": [
            {"unit": c.unit.name, "text": c.text, "updated_at": c.updated_at} for c in m.contributions.all()
        ],
        "letters": [
            {
                "kind": x.kind,
                "doc_number": x.doc_number,
                "title": x.title,
                "issued_on": x.issued_on,
                "deadline": x.deadline,
            }
            for x in m.letters.all()
        ],
        "steps": [
            {
                "at": st.at,
                "action": st.action,
                "label": st.get_action_label(),
                "actor": str(st.actor) if st.actor else None,
                "from_state": st.from_state,
                "to_state": st.to_state,
                "reason": st.reason,
            }
            for st in m.steps.all()
        ],
    }


def _instruction(ins: Instruction, matter_ids: list[int]) -> dict:
    return {
        "id": ins.pk,
        "leader_name": ins.leader_name,
        "leader_title": ins.leader_title,
        "level": ins.level,
        "kind": ins.kind,
        "on": ins.on,
        "text": ins.text,
        "item_ids": [i.pk for i in ins.items.all()],
        "units": [u.name for u in ins.units.all()],
        "matter_ids": matter_ids,
        "on_record": ins.on_record,
        "on_record_id": ins.on_record_id,
        "on_record_title": ins.on_record_title,
    }


@router.get("/matters", response=list[MatterOut], summary="督办事项（按用户可见范围）")
def list_matters(request: AuthedHttpRequest, query: Query[MatterQuery]):
    qs = matters_visible_to(request.user)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    if query.source:
        qs = qs.filter(source=query.source)
    if query.year:
        qs = qs.filter(created_at__year=query.year)
    if query.overdue:
        qs = qs.filter(selectors.overdue_q(clock.today()))
    return [_matter(m) for m in _with_history(selectors.matter_rows(qs.order_by("deadline", "id")))]


def _history() -> tuple[Prefetch, ...]:
    return (
        Prefetch("steps", queryset=MatterStep.objects.select_related("actor")),
        Prefetch("contributions", queryset=MatterContribution.objects.select_related("unit").order_by("id")),
    )


def _with_history(qs):
    return qs.prefetch_related(*_history())


@router.get("/matters/{matter_id}", response=MatterOut, summary="督办事项详情（含催办督办文书和流转记录）")
def get_matter(request: AuthedHttpRequest, matter_id: Id):
    m = get_matter_for_user(request.user, matter_id)  # unit, instruction and created item read with it
    prefetch_related_objects([m], *selectors.matter_prefetches(), *_history())
    return _matter(m)


@router.get("/instructions", response=list[InstructionOut], summary="领导批示（按用户可见范围）")
def list_instructions(request: AuthedHttpRequest, query: Query[InstructionQuery]):
    qs = instructions_visible_to(request.user)
    if query.year:
        qs = qs.filter(on__year=query.year)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.level:
        qs = qs.filter(level=query.level)
    visible = set(matters_visible_to(request.user).values_list("pk", flat=True))
    return [
        _instruction(ins, [m.pk for m in ins.matters.all() if m.pk in visible])
        for ins in selectors.instruction_rows(qs.order_by("-on", "-id"))
    ]


@router.get("/instructions/{instruction_id}", response=InstructionOut, summary="领导批示详情")
def get_instruction(request: AuthedHttpRequest, instruction_id: Id):
    ins = get_instruction_for_user(request.user, instruction_id)
    ids = list(matters_visible_to(request.user).filter(instruction=ins).values_list("pk", flat=True))
    return _instruction(ins, ids)


# ---------------------------------------------------------------- reform-committee meetings


class DecisionOut(Schema):
    id: int = Field(description="议定事项ID")
    seq: int = Field(description="序号")
    text: str = Field(description="议定事项")
    unit: str = Field(description="牵头单位")
    co_units: list[str] = Field(description="配合单位")
    deadline: date = Field(description="完成时限")
    matter_id: int | None = Field(description="转成的督办事项ID")
    matter_state: str | None = Field(description="督办事项状态")
    item_id: int | None = Field(description="立项后的改革事项ID")
    item_status: str | None = Field(description="立项事项的状态（红黄绿灯）")
    open: bool = Field(description="是否尚未落实（未交办、督办事项未办结或立项事项未完成）")


class MeetingOut(Schema):
    id: int = Field(description="会议ID")
    number: int = Field(description="会议届次（第N次）")
    title: str = Field(description="会议名称")
    held_on: date = Field(description="会议日期")
    place: str = Field(description="会议地点")
    chair: str | None = Field(description="主持人")
    state: str = Field(description="状态：preparing 筹备中，held 已召开，issued 纪要已印发")
    doc_number: str = Field(description="纪要文号")
    agenda: list[str] = Field(description="列入议程的议题（按顺序）")
    observers: int = Field(description="列席旁听人数")
    decisions: list[DecisionOut] = Field(description="议定事项")


def _decision(d: Decision) -> dict:
    m = d.matter
    return {
        "id": d.pk,
        "seq": d.seq,
        "text": d.text,
        "unit": d.unit.name,
        "co_units": [u.name for u in d.co_units.all()],
        "deadline": d.deadline,
        "matter_id": m.pk if m else None,
        "matter_state": m.state if m else None,
        "item_id": d.created_item_id,
        "item_status": d.created_item.status if d.created_item else None,
        "open": d.is_open,
    }


class MeetingQuery(Schema):
    state: Meeting.State | None = Field(None, description="状态")


def _meeting(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "number": m.number,
        "title": m.title,
        "held_on": m.held_on,
        "place": m.place,
        "chair": m.chair.name if m.chair else None,
        "state": m.state,
        "doc_number": m.doc_number,
        "agenda": [t.title for t in m.agenda],  # type: ignore[attr-defined]  # (prefetched to_attr)
        "observers": len(m.observers.all()),
        "decisions": [_decision(d) for d in m.decisions.all()],
    }


def _meeting_rows(qs):
    return qs.select_related("chair").prefetch_related(
        Prefetch(
            "topics",
            queryset=Topic.objects.filter(state=Topic.State.ACCEPTED).order_by("order", "id"),
            to_attr="agenda",
        ),
        "observers",
        Prefetch("decisions", queryset=meeting_selectors.decision_rows(Decision.objects.order_by("seq"))),
    )


@router.get("/meetings", response=list[MeetingOut], summary="深改委会议（含议程和议定事项）")
def list_meetings(request: AuthedHttpRequest, query: Query[MeetingQuery]):
    qs = meetings_visible_to(request.user)
    if query.state:
        qs = qs.filter(state=query.state)
    return [_meeting(m) for m in _meeting_rows(qs.order_by("-number"))]


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="深改委会议详情")
def get_meeting(request: AuthedHttpRequest, meeting_id: Id):
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _meeting(_meeting_rows(Meeting.objects.filter(pk=meeting.pk)).get())


@router.get("/decisions/open", response=list[DecisionOut], summary="尚未落实的会议议定事项")
def list_open_decisions(request: AuthedHttpRequest):
    visible = meetings_visible_to(request.user)
    qs = Decision.objects.filter(meeting__in=visible).filter(meeting_selectors.open_q())
    return [_decision(d) for d in meeting_selectors.decision_rows(qs.order_by("meeting__number", "seq"))]
