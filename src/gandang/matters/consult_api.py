"""The JSON API of the consultation (under /api/matters/): sessions and suggestions, with the same gates and
scopes as the pages."""

from datetime import date

from ninja import Field, Query, Router, Schema

from gandang.core.params import Id, Year
from gandang.matters import consult_selectors as selectors
from gandang.matters.consult_access import (
    consultations_visible_to,
    get_consultation_for_user,
    get_suggestion_for_user,
    suggestions_visible_to,
)
from gandang.matters.models import Consultation, Outcome, Suggestion
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["协商座谈 consultations"])


class ConsultationOut(Schema):
    id: int = Field(description="协商座谈会ID")
    title: str = Field(description="会议名称")
    on: date = Field(description="召开日期")
    place: str = Field(description="地点")
    host: str = Field(description="主持领导")
    parties: list[str] = Field(description="参加党派团体")
    suggestion_ids: list[int] = Field(description="意见建议ID（按用户可见范围）")


class SuggestionOut(Schema):
    id: int = Field(description="意见建议ID")
    consultation_id: int = Field(description="协商座谈会ID")
    party: str = Field(description="党派团体")
    person: str = Field(description="提出人")
    title: str = Field(description="建议名称")
    text: str = Field(description="建议内容")
    state: str = Field(description="状态：received 待交办，handling 办理中，handled 待答复，replied 已答复")
    matter_id: int | None = Field(description="交办后的督办事项ID")
    unit: str | None = Field(description="牵头单位")
    outcome: str = Field(description="采纳情况（办结后）：adopted 采纳，partly 部分采纳，reference 留作参考")
    reply_number: str | None = Field(description="答复函文号")
    reply_on: date | None = Field(description="答复函发文日期")


class SuggestionQuery(Schema):
    year: Year | None = Field(None, description="年度（按协商座谈会召开日期）")
    party: Id | None = Field(None, description="党派团体ID")
    outcome: Outcome | None = Field(None, description="采纳情况")
    state: Suggestion.State | None = Field(None, description="状态")


class ConsultationQuery(Schema):
    year: Year | None = Field(None, description="年度")


def _suggestion(s: Suggestion) -> dict:
    m, r = s.tracked, s.letter
    return {
        "id": s.pk,
        "consultation_id": s.consultation_id,
        "party": s.party.name,
        "person": s.person,
        "title": s.title,
        "text": s.text,
        "state": s.state,
        "matter_id": m.pk if m else None,
        "unit": m.unit.name if m else None,
        "outcome": s.outcome,
        "reply_number": r.doc_number if r else None,
        "reply_on": r.issued_on if r else None,
    }


def _consultation(c: Consultation, ids: list[int]) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "on": c.on,
        "place": c.place,
        "host": c.host,
        "parties": [p.name for p in c.parties.all()],
        "suggestion_ids": ids,
    }


@router.get("/consultations", response=list[ConsultationOut], summary="协商座谈会（按用户可见范围）")
def list_consultations(request: AuthedHttpRequest, query: Query[ConsultationQuery]):
    qs = consultations_visible_to(request.user).prefetch_related("parties").order_by("-on", "-id")
    if query.year:
        qs = qs.filter(on__year=query.year)
    ids: dict[int, list[int]] = {}
    for pk, cid in (
        suggestions_visible_to(request.user).filter(consultation__in=qs).values_list("pk", "consultation_id")
    ):
        ids.setdefault(cid, []).append(pk)
    return [_consultation(c, sorted(ids.get(c.pk, []))) for c in qs]


@router.get("/consultations/{consultation_id}", response=ConsultationOut, summary="协商座谈会详情")
def get_consultation(request: AuthedHttpRequest, consultation_id: Id):
    c = get_consultation_for_user(request.user, consultation_id)
    ids = suggestions_visible_to(request.user).filter(consultation=c).order_by("pk")
    return _consultation(c, list(ids.values_list("pk", flat=True)))


@router.get("/suggestions", response=list[SuggestionOut], summary="意见建议（按用户可见范围）")
def list_suggestions(request: AuthedHttpRequest, query: Query[SuggestionQuery]):
    qs = suggestions_visible_to(request.user)
    if query.year:
        qs = qs.filter(consultation__on__year=query.year)
    if query.party:
        qs = qs.filter(party_id=query.party)
    if query.outcome:
        qs = qs.filter(selectors.outcome_q(query.outcome))
    if query.state:
        qs = qs.filter(selectors.state_q(query.state))
    return [_suggestion(s) for s in selectors.suggestion_rows(qs.order_by("consultation_id", "id"))]


@router.get("/suggestions/{suggestion_id}", response=SuggestionOut, summary="意见建议详情")
def get_suggestion(request: AuthedHttpRequest, suggestion_id: Id):
    return _suggestion(get_suggestion_for_user(request.user, suggestion_id))
