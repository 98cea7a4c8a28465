"""The JSON API of reform information (under /api/information/): pieces and the periodical's issues, with
the same gates and scopes as the pages, and the counts of 报送/采用 by unit and month."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema

from gandang.core import clock
from gandang.core.paging import deferred_page
from gandang.core.params import Id, Page, Year
from gandang.information import selectors
from gandang.information.access import (
    get_issue_for_user,
    get_piece_for_user,
    issues_visible_to,
    pieces_visible_to,
    uses_visible_to,
)
from gandang.information.models import Issue, Piece
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["改革信息 information"])


class PieceOut(Schema):
    id: int = Field(description="改革信息ID")
    unit_id: int = Field(description="报送单位ID")
    unit: str = Field(description="报送单位")
    title: str = Field(description="标题")
    text: str = Field(description="正文")
    state: Piece.State = Field(description="状态")
    submitted_at: datetime | None = Field(description="报送改革办时间")
    adopted_at: datetime | None = Field(description="采用时间")
    issue_id: int | None = Field(description="刊发期次ID（已印发的）")
    experience_id: int | None = Field(description="转为的经验做法ID")


class PiecePage(Schema):
    count: int
    page: int
    pages: int
    pieces: list[PieceOut]


class PieceQuery(Schema):
    year: Year | None = Field(None, description="报送年度")
    month: int | None = Field(None, ge=1, le=12, description="报送月份（与年度同用）")
    unit: Id | None = Field(None, description="报送单位ID")
    state: Piece.State | None = Field(None, description="状态")
    adopted: bool = Field(False, description="只看已采用")
    printed: bool = Field(False, description="只看已刊发（在已印发的一期刊物中）")
    page: Page = 1


class IssueOut(Schema):
    id: int = Field(description="期次ID")
    name: str = Field(description="刊物名称")
    state: Issue.State = Field(description="状态")
    title: str = Field(description="本期主题")
    year: int | None = Field(description="年度")
    number: int | None = Field(description="期号")
    total: int | None = Field(description="总期号")
    issued_on: date | None = Field(description="印发日期")
    piece_ids: list[int] = Field(description="本期信息ID，按刊登顺序（按用户可见范围）")


class CountsOut(Schema):
    unit_id: int = Field(description="单位ID")
    unit: str = Field(description="单位")
    sent: list[int] = Field(description="1—12月报送条数")
    adopted: list[int] = Field(description="1—12月采用条数")
    printed: list[int] = Field(description="1—12月报送、已在印发的刊物中刊发的条数")
    used: int = Field(description="全年被两办两研采用次数（按采用日期）")


class UseOut(Schema):
    id: int = Field(description="采用记录ID")
    piece_id: int = Field(description="改革信息ID")
    piece_unit_id: int = Field(description="信息报送单位ID")
    partner_id: int = Field(description="采用单位（两办两研）ID")
    partner: str = Field(description="采用单位")
    publication: str = Field(description="采用刊物")
    used_on: date = Field(description="采用日期")
    note: str = Field(description="备注")
    withdrawn: bool = Field(description="是否已撤回（撤回的不计入统计）")


class UsePage(Schema):
    count: int
    page: int
    pages: int
    uses: list[UseOut]


def _piece(p: Piece) -> dict:
    printed = p.issue_id if p.issue is not None and p.issue.is_issued else None
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "unit": p.unit.name,
        "title": p.title,
        "text": p.text,
        "state": p.state,
        "submitted_at": p.submitted_at,
        "adopted_at": p.adopted_at,
        "issue_id": printed,
        "experience_id": p.experience_id,
    }


@router.get("/pieces", response=PiecePage, summary="改革信息（按用户可见范围）")
def list_pieces(request: AuthedHttpRequest, query: Query[PieceQuery]):
    qs = pieces_visible_to(request.user)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    if query.state:
        qs = qs.filter(state=query.state)
    qs = selectors.list_filter(
        qs, year=query.year, month=query.month, adopted=query.adopted, printed=query.printed
    )
    page = deferred_page(
        qs.order_by("-created_at", "-id"),
        query.page,
        rows=selectors.piece_rows,
        per_page=settings.GANDANG_PAGE_SIZE,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "pieces": [_piece(p) for p in page.object_list],
    }


@router.get("/pieces/{piece_id}", response=PieceOut, summary="改革信息详情")
def get_piece(request: AuthedHttpRequest, piece_id: Id):
    return _piece(get_piece_for_user(request.user, piece_id))


@router.get("/counts", response=list[CountsOut], summary="各单位信息报送、采用、刊发条数（按月）")
def information_counts(request: AuthedHttpRequest, year: Year | None = None):
    """By the month a piece first reached the office; `year` this year when left out."""
    rows = selectors.counts_by_unit(
        pieces_visible_to(request.user), year=year or clock.today().year, uses=uses_visible_to(request.user)
    )
    return [
        {
            "unit_id": c.unit.pk,
            "unit": c.unit.name,
            "sent": c.sent,
            "adopted": c.adopted,
            "printed": c.printed,
            "used": c.used,
        }
        for c in rows
    ]


@router.get("/uses", response=UsePage, summary="两办两研采用登记（按用户可见范围）")
def list_partner_uses(
    request: AuthedHttpRequest,
    year: Year | None = None,
    partner: Id | None = None,
    unit: Id | None = None,
    withdrawn: bool = False,
    page: Page = 1,
):
    """`year` by the day used; `unit` the piece's unit; withdrawn uses only with `withdrawn`."""
    qs = selectors.use_filter(
        uses_visible_to(request.user), year=year, partner=partner, unit=unit, withdrawn=withdrawn
    )
    p = deferred_page(
        qs.order_by("-used_on", "-id"), page, rows=selectors.use_rows, per_page=settings.GANDANG_PAGE_SIZE
    )
    return {
        "count": p.paginator.count,
        "page": p.number,
        "pages": p.paginator.num_pages,
        "uses": [
            {
                "id": u.pk,
                "piece_id": u.piece_id,
                "piece_unit_id": u.piece.unit_id,
                "partner_id": u.unit_id,
                "partner": u.unit.name,
                "publication": u.publication,
                "used_on": u.used_on,
                "note": u.note,
                "withdrawn": u.is_withdrawn,
            }
            for u in p.object_list
        ],
    }


def _issue(i: Issue, ids: list[int]) -> dict:
    return {
        "id": i.pk,
        "name": i.name,
        "state": i.state,
        "title": i.title,
        "year": i.year,
        "number": i.number,
        "total": i.total,
        "issued_on": i.issued_on,
        "piece_ids": ids,
    }


@router.get("/issues", response=list[IssueOut], summary="刊物期次（按用户可见范围）")
def list_periodical_issues(request: AuthedHttpRequest, year: Year | None = None):
    qs = issues_visible_to(request.user).order_by("-issued_on", "-total", "-id")
    if year:
        qs = qs.filter(year=year)
    issues = list(qs[: settings.GANDANG_PAGE_SIZE])
    ids: dict[int, list[int]] = {}
    for pk, issue_id in (
        Piece.objects.filter(issue__in=issues).order_by("position", "id").values_list("pk", "issue_id")
    ):
        ids.setdefault(issue_id, []).append(pk)
    return [_issue(i, ids.get(i.pk, [])) for i in issues]


@router.get("/issues/{issue_id}", response=IssueOut, summary="刊物期次详情")
def get_periodical_issue(request: AuthedHttpRequest, issue_id: Id):
    i = get_issue_for_user(request.user, issue_id)
    return _issue(i, list(i.pieces.order_by("position", "id").values_list("pk", flat=True)))
