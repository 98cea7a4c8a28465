from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import clock
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.types import AuthedHttpRequest
from gandang.dispatch import flow, selectors, services
from gandang.dispatch.access import get_attachment_for_user, get_period, get_report_for_user
from gandang.dispatch.forms import (
    AttachmentForm,
    ContributionForm,
    NoEffectForm,
    PeriodForm,
    ReportForm,
    StepForm,
)
from gandang.dispatch.models import Report
from gandang.ledger.access import get_item_for_user, require_office


def period_list(request: AuthedHttpRequest) -> HttpResponse:
    form = PeriodForm(initial=_next_period_initial()) if request.user.is_office else None
    return render(
        request, "dispatch/period_list.html", {"rows": selectors.period_list(request.user), "form": form}
    )


def _next_period_initial() -> dict:
    today = clock.today()
    return {
        "year": today.year,
        "month": today.month,
        "deadline": services.default_deadline(today.year, today.month),
    }


@require_POST
def period_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("dispatch:period_list")
    d = form.cleaned_data
    period, n = services.period_open(
        actor=request.user, year=d["year"], month=d["month"], deadline=d["deadline"]
    )
    messages.success(
        request,
        ngettext(
            "%(period)s调度期已开启，生成进展报告%(n)d份",
            "%(period)s调度期已开启，生成进展报告%(n)d份",
            n,
        )
        % {"period": period, "n": n},
    )
    return redirect(period)


def period_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = get_period(pk)
    if request.user.is_unit_member:
        return redirect("dispatch:period_fill", pk=period.pk)
    filters = {k: request.GET.get(k, "") for k in ("state", "unit", "flag")}
    ctx = {
        "period": period,
        "rows": selectors.review_rows(request.user, period, filters),
        "summary": selectors.review_summary(period),
        "filters": filters,
        "states": Report.State.choices,
        "can_review": request.user.is_office,
        "past_deadline": clock.today() > period.deadline,
    }
    return render(request, "dispatch/period_detail.html", ctx)


@require_POST
def period_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    period = get_period(pk)
    ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()]
    reports = Report.objects.filter(period=period, pk__in=ids).select_related("item")
    done, refused = services.reports_accept(actor=request.user, reports=reports)
    if done:
        messages.success(
            request, ngettext("已审核通过%(n)d份报告", "已审核通过%(n)d份报告", done) % {"n": done}
        )
    for msg in refused:
        messages.error(request, msg)
    if not ids:
        messages.warning(request, _("请先勾选要审核通过的报告"))
    return redirect(period)


def period_fill(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = get_period(pk)
    if not request.user.is_unit_member or not request.user.unit_id:
        return redirect(period)
    data = selectors.unit_reports(request.user, period)
    cards = [_card(request, r) for r in data["own"]]
    return render(request, "dispatch/period_fill.html", {"period": period, "cards": cards, "co": data["co"]})


def _card(request: AuthedHttpRequest, report: Report, form: ReportForm | None = None) -> dict:
    editable = flow.edit_refusal(request.user, report) is None
    if editable and form is None:
        form = ReportForm(instance=report, initial={"version": report.version}, prefix=f"r{report.pk}")
    reached = {r.milestone_id: r for r in report.reached.all()}
    return {
        "report": report,
        "form": form if editable else None,
        "actions": flow.actions_for(request.user, report),
        "next": reverse("dispatch:period_fill", args=[report.period_id]) + f"#report-{report.pk}",
        "milestones": [{"m": m, "reached": reached.get(m.pk)} for m in report.item.milestones.all()],
    }


def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    ctx = {
        "report": report,
        "actions": flow.actions_for(request.user, report),
        "can_edit": flow.edit_refusal(request.user, report) is None,
        "can_contribute": request.user.role == "liaison"
        and report.unit_id != request.user.unit_id
        and report.state != Report.State.ACCEPTED,
        **selectors.report_detail(report),
    }
    return render(request, "dispatch/report_detail.html", ctx)


def _reached_from_post(request: AuthedHttpRequest, report: Report, prefix: str) -> list[services.Reached]:
    import datetime

    rows = []
    for m in report.item.milestones.all():
        if not request.POST.get(f"{prefix}-reach-{m.pk}"):
            continue
        raw = request.POST.get(f"{prefix}-reach-date-{m.pk}", "")
        try:
            done = datetime.date.fromisoformat(raw)
        except ValueError:
            raise ServiceError(_("请填写节点“%(title)s”的完成日期") % {"title": m.title}) from None
        rows.append(
            services.Reached(m.pk, done, request.POST.get(f"{prefix}-reach-evidence-{m.pk}", "")[:500])
        )
    return rows


@require_http_methods(["GET", "POST"])
def report_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    why = flow.edit_refusal(request.user, report)
    if why:
        raise PermissionDenied(why)
    prefix = f"r{report.pk}"
    form = ReportForm(
        request.POST or None, instance=report, initial={"version": report.version}, prefix=prefix
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            report = services.report_save(
                actor=request.user,
                report=report,
                expected_version=version,
                fields=data,
                reached=_reached_from_post(request, report, prefix),
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if request.htmx:
                # The card answers for itself (saved, or a copy warning); no page-level message.
                card = _card(request, get_report_for_user(request.user, pk)) | {"saved": True}
                return render(request, "dispatch/period_fill.html#card", {"card": card})
            if report.is_copy:
                messages.warning(
                    request,
                    _("本月报告与上月相似度%(similarity)s，请补充本月新的进展，避免照抄上月内容")
                    % {"similarity": f"{report.similarity:.0%}"},
                )
            else:
                messages.success(request, _("已保存"))
            return redirect(report)
    if request.htmx:
        return render(request, "dispatch/period_fill.html#card", {"card": _card(request, report, form)})
    return render(
        request, "dispatch/report_form.html", {"report": report, "card": _card(request, report, form)}
    )


@require_POST
def report_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = StepForm(request.POST)
    form.is_valid()
    try:
        services.report_step(
            actor=request.user, report=report, action=action, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(flow.TRANSITIONS[action].done) % {"title": report.item.title})
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else report.get_absolute_url())


@require_POST
def attachment_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
    else:
        try:
            att = services.attachment_add(actor=request.user, report=report, upload=form.cleaned_data["file"])
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已上传附件“%(name)s”") % {"name": att.name})
    return redirect(report)


def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    att = get_attachment_for_user(request.user, pk)
    response = FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )
    return response


@require_POST
def attachment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = get_attachment_for_user(request.user, pk)
    try:
        services.attachment_remove(actor=request.user, attachment=att)
    except ServiceError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("已删除附件“%(name)s”") % {"name": att.name})
    return redirect(att.report)


@require_POST
def contribution_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写配合工作情况"))
    else:
        try:
            services.contribution_save(actor=request.user, report=report, text=form.cleaned_data["text"])
        except ServiceError as exc:
            raise PermissionDenied(str(exc)) from exc
        messages.success(request, _("配合情况已保存"))
    return redirect(report)


@require_POST
def item_no_effect(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = NoEffectForm(request.POST)
    form.is_valid()
    try:
        services.no_effect_set(
            actor=request.user,
            item=item,
            flag=form.cleaned_data.get("flag", False),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已更新“成效不明显”认定"))
    return redirect(item)
