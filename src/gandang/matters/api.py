"""The JSON API of instructions and matters: the same gates and scopes as the pages."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from gandang.core import clock
from gandang.core.params import Id, Year
from gandang.matters import selectors
from gandang.matters.access import (
    get_instruction_for_user,
    get_matter_for_user,
    instructions_visible_to,
    matters_visible_to,
)
from gandang.matters.models import Instruction, Matter
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["批示督办 instructions and matters"])


class MatterOut(Schema):
    id: int = Field(description="督办事项ID")
    source: str = Field(description="来源：instruction 领导批示，decision 会议议定事项，suggestion 协商建议")
    instruction_id: int | None = Field(description="来源批示ID")
    suggestion_id: int | None = Field(description="来源意见建议ID（协商建议）")
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
    closed_at: datetime | None = Field(description="办结时间")
    created_item_id: int | None = Field(description="立项后的改革事项ID")


class MatterQuery(Schema):
    state: Matter.State | None = Field(None, description="状态")
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
        "closed_at": m.closed_at,
        "created_item_id": m.created_item_id,
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
    }


@router.get("/matters", response=list[MatterOut], summary="督办事项（按用户可见范围）")
def list_matters(request: AuthedHttpRequest, query: Query[MatterQuery]):
    qs = matters_visible_to(request.user)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    if query.overdue:
        qs = qs.filter(selectors.overdue_q(clock.today()))
    return [_matter(m) for m in selectors.matter_rows(qs.order_by("deadline", "id"))]


@router.get("/matters/{matter_id}", response=MatterOut, summary="督办事项详情")
def get_matter(request: AuthedHttpRequest, matter_id: Id):
    return _matter(get_matter_for_user(request.user, matter_id))


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
