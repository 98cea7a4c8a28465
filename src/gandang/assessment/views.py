"""Pages of the annual assessment: schemes, runs and their ranking, a unit's score sheet, objections."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandang.assessment import excel, notice, selectors, services
from gandang.assessment.access import (
    get_objection_for_user,
    get_result_for_user,
    get_run_for_user,
    get_scheme_for_user,
    require_city_view,
    require_office,
    schemes_visible_to,
)
from gandang.assessment.forms import AnswerForm, ComputeForm, ManualForm, NoticeForm, ObjectionForm, VoidForm
from gandang.assessment.models import Indicator, ManualScore, Objection, Run, Scheme, ScoreLine, UnitResult
from gandang.assessment.rules import describe_params
from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.matters.selectors import praise_by_level
from gandang.org.types import AuthedHttpRequest

SECTION = "assessment"


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


def index(request: AuthedHttpRequest) -> HttpResponse:
    # The standings' schemes are shown on their own tab (standing_views).
    schemes = list(
        schemes_visible_to(request.user).filter(purpose=Scheme.Purpose.ANNUAL).prefetch_related("runs")
    )
    rows = [{"scheme": s, "current": selectors.current_run(s)} for s in schemes]
    return render(request, "assessment/index.html", {"rows": rows, "section": SECTION})


def scheme_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    scheme = get_scheme_for_user(request.user, pk)
    issued = services.issued_notice(scheme)
    indicators = [
        {"indicator": i, "params": describe_params(i.rule, i.params)}
        for i in scheme.indicators.order_by("order", "id")
    ]
    ctx = {
        "scheme": scheme,
        "indicators": indicators,
        "runs": list(selectors.runs_of(scheme)),
        "current": selectors.current_run(scheme),
        "issued": issued,
        "compute_form": ComputeForm()
        if request.user.is_office and issued is None and scheme.purpose == Scheme.Purpose.ANNUAL
        else None,
        "section": SECTION,
        # The year's leaders' praising instructions by level, beside the indicators (from matters).
        "praise": {"year": scheme.year, "levels": praise_by_level(year=scheme.year)},
    }
    return render(request, "assessment/scheme_detail.html", ctx)


@require_POST
def run_compute(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    scheme = get_scheme_for_user(request.user, pk, write=True)
    form = ComputeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        run = services.run_compute(actor=request.user, scheme=scheme, note=note)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(scheme)
    messages.success(request, _("已完成第%(n)s次计算") % {"n": run.number})
    return redirect(run)


@require_http_methods(["GET", "POST"])
def manual_scores(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    scheme = get_scheme_for_user(request.user, pk, write=True)
    form = ManualForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_add(actor=request.user, scheme=scheme, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已记录评定加减分；重新计算后计入得分"))
            return redirect("assessment:manual_scores", scheme.pk)
    rows = ManualScore.objects.filter(scheme=scheme).select_related("unit", "indicator", "by")
    ctx = {"scheme": scheme, "form": form, "rows": rows, "void_form": VoidForm(), "section": SECTION}
    return render(request, "assessment/manual_scores.html", ctx)


@require_POST
def manual_void(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    manual = get_object_or_404(ManualScore.objects.select_related("scheme"), pk=pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("作废理由：%(error)s") % {"error": form.errors["reason"][0]})
        return redirect("assessment:manual_scores", manual.scheme_id)
    try:
        services.manual_void(actor=request.user, manual=manual, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已作废；重新计算后生效"))
    return redirect("assessment:manual_scores", manual.scheme_id)


def run_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk)
    user = request.user
    if not user.sees_all_units:
        # A unit sees its own sheet only: the ranking page is the city's.
        if user.unit_id and UnitResult.objects.filter(run=run, unit_id=user.unit_id).exists():
            return redirect("assessment:sheet", run.pk, user.unit_id)
        raise Http404(_("没有找到本单位的考核结果"))
    ctx = {
        "run": run,
        "scheme": run.scheme,
        "ranking": selectors.ranking(run),
        "runs": list(selectors.runs_of(run.scheme)),
        "current": selectors.current_run(run.scheme),
        "open_objections": run.objections.filter(state=Objection.State.OPEN).count(),
        "objections": run.objections.count(),
        "notice_form": NoticeForm(initial={"issued_on": clock.today()}) if user.is_office else None,
        "section": SECTION,
    }
    return render(request, "assessment/run_detail.html", ctx)


@require_POST
def run_finalize(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk, write=True)
    try:
        run = services.run_finalize(actor=request.user, run=run)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已定稿；各单位可在%(d)s前对本单位得分提出异议") % {"d": f"{run.objection_deadline:%Y-%m-%d}"},
        )
    return redirect(run)


@require_GET
def run_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk)
    require_city_view(request.user)
    body = excel.workbook(run, base_url=request.build_absolute_uri("/").rstrip("/"))
    name = f"{run.scheme.name}-第{run.number}次计算.xlsx"
    return _attachment(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)


def sheet(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, unit_pk)
    run = result.run
    sh = selectors.sheet(run, result)
    user = request.user
    can_object = (
        user.is_unit_member
        and user.unit_id == result.unit_id
        and run.is_final
        and run.objection_open(clock.today())
    )
    ctx = {
        "run": run,
        "scheme": run.scheme,
        "sheet": sh,
        "result": result,
        "can_object": can_object,
        "objection_form": ObjectionForm(
            lines=ScoreLine.objects.filter(run=run, unit_id=result.unit_id),
            initial={"line": request.GET.get("line")},
        )
        if can_object
        else None,
        "latest": run.scheme.runs.order_by("-number").first(),
        "current": selectors.current_run(run.scheme),
        "section": SECTION,
    }
    return render(request, "assessment/sheet.html", ctx)


@require_POST
def objection_file(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, unit_pk)
    form = ObjectionForm(request.POST, lines=ScoreLine.objects.filter(run=result.run, unit_id=result.unit_id))
    if not form.is_valid():
        messages.error(request, _("请填写异议内容"))
        return redirect(result)
    try:
        services.objection_file(
            actor=request.user,
            run=result.run,
            unit=result.unit,
            line=form.cleaned_data["line"],
            text=form.cleaned_data["text"],
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("异议已提交改革办"))
    return redirect(result.get_absolute_url() + "#objections")


def objection_list(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk)
    require_city_view(request.user)
    ctx = {"run": run, "scheme": run.scheme, "rows": list(selectors.open_objections(run)), "section": SECTION}
    return render(request, "assessment/objection_list.html", ctx)


@require_http_methods(["GET", "POST"])
def objection_answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    o = get_objection_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            o = services.objection_answer(actor=request.user, objection=o, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if o.rerun:
                messages.success(request, _("已答复，并重新计算（第%(n)s次计算）") % {"n": o.rerun.number})
                return redirect(o.rerun)
            messages.success(request, _("已答复"))
            return redirect("assessment:objection_list", o.run_id)
    ctx = {
        "o": o,
        "run": o.run,
        "form": form,
        "is_manual": bool(o.line and o.line.rule == Indicator.Rule.MANUAL),
        "section": SECTION,
    }
    return render(request, "assessment/objection_answer.html", ctx)


@require_POST
def notice_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk, write=True)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的印发日期"))
        return redirect(run)
    try:
        run = services.notice_issue(actor=request.user, run=run, issued_on=form.cleaned_data["issued_on"])
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("考核结果通报已印发：%(n)s") % {"n": run.notice_doc_number})
    return redirect(run)


@require_GET
def notice_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    run: Run = get_run_for_user(request.user, pk)
    doc = notice.issued_document(run)
    if doc is None or fmt not in notice.FORMATS:
        raise Http404(_("没有找到该通报"))
    return _attachment(notice.render(doc, fmt), notice.FORMATS[fmt], f"{doc.doc_number}{doc.title}.{fmt}")
