"""Pages of the monthly standing (月度晾晒), a tab beside the annual assessment: the list, a standing's
table by unit kind, a unit's explained line; the office computes, publishes, shows it on the showcase."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gandang.assessment import excel
from gandang.assessment import standing_selectors as selectors
from gandang.assessment import standing_services as services
from gandang.assessment.access import require_office, schemes_visible_to
from gandang.assessment.forms import StandingComputeForm, StandingPublishForm, StandingShowcaseForm
from gandang.assessment.models import Scheme
from gandang.assessment.standing_access import get_standing_for_user, get_standing_result_for_user
from gandang.core.errors import ServiceError
from gandang.core.paging import deferred_page, query_without_page
from gandang.org.types import AuthedHttpRequest

SECTION = "assessment"
TAB = "standings"


@require_GET
def standing_index(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    page = deferred_page(
        selectors.standing_list(user), request.GET.get("page"), rows=lambda qs: qs.select_related("period")
    )
    mine = selectors.own_results(user, list(page.object_list))
    ctx = {
        "page": page,
        "rows": [(s, mine.get(s.pk)) for s in page.object_list],
        "compute_form": StandingComputeForm() if user.is_office else None,
        "schemes": list(
            schemes_visible_to(user).filter(purpose=Scheme.Purpose.STANDING).order_by("-year", "name")[:5]
        ),
        "section": SECTION,
        "tab": TAB,
    }
    return render(request, "assessment/standing_index.html", ctx)


@require_POST
def standing_compute(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = StandingComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors.get("period", [_("请选择调度期")])[0]))
        return redirect("assessment:standing_index")
    try:
        standing = services.standing_compute(actor=request.user, period=form.cleaned_data["period"])
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("assessment:standing_index")
    messages.success(request, _("已计算%(s)s，请核对后发布") % {"s": standing})
    return redirect(standing)


@require_GET
def standing_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, pk)
    kinds = selectors.kinds_of(standing)
    kind = request.GET.get("kind") or (kinds[0][0] if kinds else "")
    if kinds and kind not in {k for k, _label, _n in kinds}:
        raise BadRequest(_("单位类型参数不正确：请从页面上的单位类型中选择"))
    user = request.user
    ctx = {
        "standing": standing,
        "kinds": kinds,
        "kind": kind,
        "table": selectors.table(standing, kind, request.GET.get("page")) if kinds else None,
        "query": query_without_page(request),
        "publish_form": StandingPublishForm() if user.is_office and not standing.is_published else None,
        "no_movement": services.no_movement_note(standing),
        "section": SECTION,
        "tab": TAB,
    }
    return render(request, "assessment/standing_detail.html", ctx)


@require_GET
def standing_unit(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    result = get_standing_result_for_user(request.user, pk, unit_pk)
    ctx = {
        "standing": result.standing,
        "result": result,
        "sheet": selectors.sheet(result, request.user),
        "movement": services.movement_words(result),
        "section": SECTION,
        "tab": TAB,
    }
    return render(request, "assessment/standing_unit.html", ctx)


@require_GET
def standing_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, pk)
    body = excel.standing_workbook(standing)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{standing}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response


@require_POST
def standing_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, pk, write=True)
    form = StandingPublishForm(request.POST)
    on_showcase = form.cleaned_data["on_showcase"] if form.is_valid() else False
    try:
        services.standing_publish(actor=request.user, standing=standing, on_showcase=on_showcase)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布%(s)s，各单位已收到通知") % {"s": standing})
    return redirect(standing)


@require_POST
def standing_showcase(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, pk, write=True)
    form = StandingShowcaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择在公开专栏展示或撤下"))
        return redirect(standing)
    on = form.cleaned_data["on"]
    try:
        services.standing_showcase(actor=request.user, standing=standing, on=on)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已在公开专栏展示摘要") if on else _("已从公开专栏撤下摘要"))
    return redirect(standing)
