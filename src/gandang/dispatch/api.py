from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Paginator
from ninja import Query, Router, Schema

from gandang.core.params import Id, Page
from gandang.dispatch.access import get_report_for_user, reports_visible_to
from gandang.dispatch.models import Period, Report
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["月调度 dispatch"])


class PeriodOut(Schema):
    id: int
    year: int
    month: int
    plan_id: int | None
    cycle: str
    label: str
    opens_on: date
    deadline: date
    state: str


class ReportOut(Schema):
    id: int
    period: str
    item_id: int
    item_code: str
    item_title: str
    unit: str
    state: str
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    coordination: str
    is_late: bool
    is_missing: bool
    is_copy: bool
    submitted_at: datetime | None
    accepted_at: datetime | None
    revision: int


class ReportPage(Schema):
    count: int
    page: int
    pages: int
    reports: list[ReportOut]


class ReportQuery(Schema):
    period: Id | None = None
    unit: Id | None = None
    state: Report.State | None = None
    page: Page = 1


def _report(r: Report) -> dict:
    return {
        "id": r.pk,
        "period": str(r.period),
        "item_id": r.item_id,
        "item_code": r.item.code,
        "item_title": r.item.title,
        "unit": r.unit.name,
        "state": r.state,
        "percent": r.percent,
        "progress": r.progress,
        "problems": r.problems,
        "next_steps": r.next_steps,
        "coordination": r.coordination,
        "is_late": r.is_late,
        "is_missing": r.is_missing and r.submitted_at is None,
        "is_copy": r.is_copy,
        "submitted_at": r.submitted_at,
        "accepted_at": r.accepted_at,
        "revision": r.revision,
    }


@router.get("/periods", response=list[PeriodOut], summary="调度期")
def list_periods(request: AuthedHttpRequest):
    return [
        {
            "id": p.pk,
            "year": p.year,
            "month": p.month,
            "plan_id": p.plan_id,
            "cycle": p.cycle,
            "label": str(p),
            "opens_on": p.opens_on,
            "deadline": p.deadline,
            "state": p.state,
        }
        for p in Period.objects.select_related("plan")
    ]


@router.get("/reports", response=ReportPage, summary="进展报告（按用户可见范围）")
def list_reports(request: AuthedHttpRequest, query: Query[ReportQuery]):
    qs = reports_visible_to(request.user).select_related("period", "item", "unit")
    if query.period:
        qs = qs.filter(period_id=query.period)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    if query.state:
        qs = qs.filter(state=query.state)
    qs = qs.order_by("-period__year", "-period__month", "item__seq", "item__code")
    page = Paginator(qs, settings.GANDANG_PAGE_SIZE).get_page(query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "reports": [_report(r) for r in page],
    }


@router.get("/reports/{report_id}", response=ReportOut, summary="进展报告详情")
def get_report(request: AuthedHttpRequest, report_id: int):
    return _report(get_report_for_user(request.user, report_id))
