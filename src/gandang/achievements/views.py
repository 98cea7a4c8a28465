"""Pages of achievements: the counts and their lists, experiences, promotions, pilots, honors, the showcase."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.achievements import excel, selectors, services
from gandang.achievements.access import (
    get_attachment_for_user,
    get_experience_for_user,
    get_honor_for_user,
    get_pilot_for_user,
    get_pilot_step_for_user,
    get_promotion_for_user,
    is_member_of,
    public_experiences,
)
from gandang.achievements.flow import EXPERIENCE_FLOW, PILOT_FLOW
from gandang.achievements.forms import (
    ExperienceFilterForm,
    ExperienceForm,
    HonorFilterForm,
    HonorForm,
    PilotCreateForm,
    PilotFilterForm,
    PilotForm,
    PilotStepForm,
    PromotionForm,
    ReasonForm,
    StatsForm,
)
from gandang.achievements.models import Experience, Promotion
from gandang.core import attachments, audit, clock
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.paging import query_without_page
from gandang.core.uploads import AttachmentForm, file_response
from gandang.org.access import deny_unless_office as require_office
from gandang.org.types import AuthedHttpRequest


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _reason(request: AuthedHttpRequest) -> str | None:
    """The reason posted with a step or a removal; None (with the form's error shown) when it is invalid."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"]
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return None


def index(request: AuthedHttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or {"year": clock.today().year})
    f = _filters(form)
    st = selectors.stats(request.user, year=f.get("year"), unit=f.get("unit"))
    return render(
        request, "achievements/index.html", {"form": form, "stats": st, "query": request.GET.urlencode()}
    )


def export_xlsx(request: AuthedHttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or {"year": clock.today().year})
    f = _filters(form)
    data = excel.workbook(request.user, year=f.get("year"), unit=f.get("unit"))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"改革成果统计{f.get('year') or ''}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ---------------------------------------------------------------- experiences


def experience_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ExperienceFilterForm(request.GET or None)
    filters = _filters(form)
    qs = (
        selectors.experiences_filtered(request.user, filters)
        .prefetch_related("units", Prefetch("promotions", queryset=Promotion.objects.select_related("level")))
        .order_by("-adopted_on", "-id")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "achievements/experience_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "counted": bool(filters.get("counted")),
            "can_create": request.user.is_office or request.user.role == "liaison",
        },
    )


def _experience_input(form: ExperienceForm) -> services.ExperienceInput:
    d = form.cleaned_data
    return services.ExperienceInput(
        title=d["title"], summary=d["summary"], body=d["body"], units=list(d["units"]), items=list(d["items"])
    )


@require_http_methods(["GET", "POST"])
def experience_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_office or user.role == "liaison"):
        raise PermissionDenied(_("只有单位联络员或改革办可以填报经验做法"))
    initial = {"units": [user.unit_id]} if user.unit_id else {}
    form = ExperienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exp = services.experience_create(actor=user, data=_experience_input(form))
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("经验做法已保存为草稿"))
            return redirect(exp)
    return render(request, "achievements/experience_form.html", {"form": form})


def experience_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    exp = get_experience_for_user(request.user, pk)
    user = request.user
    # The history holds the office's return reasons and earlier drafts: city-wide roles and the
    # experience's own units only, not every unit that reads it once adopted.
    sees_history = user.sees_all_units or is_member_of(user, exp)
    ctx = {
        "exp": exp,
        "units": list(exp.units.all()),
        "items": list(exp.items.all()),
        "promotions": list(exp.promotions.select_related("outlet", "level", "recorded_by")),
        "attachments": list(exp.attachments.all()),
        "steps": engine.actions_for(user, exp, EXPERIENCE_FLOW),
        "can_edit": services.can_edit(user, exp),
        "promotion_form": PromotionForm() if user.is_office and exp.state in selectors.COUNTED else None,
        "show_history": sees_history,
        "history": audit.labelled(audit.history_for(exp)[:100]) if sees_history else [],
    }
    return render(request, "achievements/experience_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def experience_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    exp = get_experience_for_user(request.user, pk)
    if not services.can_edit(request.user, exp):
        raise PermissionDenied(_("当前状态下不能修改该经验做法"))
    initial = {"version": exp.version, "units": list(exp.units.all()), "items": list(exp.items.all())}
    form = ExperienceForm(request.POST or None, instance=exp, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.experience_update(
                actor=request.user,
                experience=exp,
                data=_experience_input(form),
                version=form.cleaned_data.get("version") or 0,
            )
        except (StaleEdit, ServiceError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect(exp)
    return render(request, "achievements/experience_form.html", {"form": form, "exp": exp})


@require_POST
def experience_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    exp = get_experience_for_user(request.user, pk)
    reason = _reason(request)
    if reason is None:
        return redirect(exp)
    try:
        exp = services.experience_step(actor=request.user, experience=exp, action=action, reason=reason)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("“%(title)s”：%(state)s") % {"title": exp.title, "state": exp.get_state_display()}
        )
    return redirect(exp)


@require_POST
def promotion_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    exp = get_experience_for_user(request.user, pk)
    require_office(request.user)
    form = PromotionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择刊发载体并填写刊发日期"))
        return redirect(exp)
    d = form.cleaned_data
    try:
        p = services.promotion_add(
            actor=request.user,
            experience=exp,
            outlet=d["outlet"],
            on=d["on"],
            reference=d["reference"],
            note=d["note"],
            scan=d.get("scan"),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("已登记刊发推广：%(outlet)s（%(level)s）") % {"outlet": p.outlet, "level": p.level}
        )
    return redirect(exp.get_absolute_url() + "#promotions")


@require_POST
def promotion_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = get_promotion_for_user(request.user, pk)
    require_office(request.user)
    reason = _reason(request)
    if reason is None:
        return redirect(p.experience.get_absolute_url() + "#promotions")
    try:
        services.promotion_remove(actor=request.user, promotion=p, reason=reason)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除该刊发记录"))
    return redirect(p.experience.get_absolute_url() + "#promotions")


def promotion_scan(request: AuthedHttpRequest, pk: int) -> FileResponse:
    p = get_promotion_for_user(request.user, pk)
    return file_response(p.scan, p.scan_name, p.scan_type)


@require_POST
def attachment_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    exp = get_experience_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
    else:
        try:
            att = services.attachment_add(
                actor=request.user, experience=exp, upload=form.cleaned_data["file"]
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已上传附件“%(name)s”") % {"name": att.name})
    return redirect(exp)


def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_attachment_for_user)


@require_POST
def attachment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = get_attachment_for_user(request.user, pk)
    try:
        services.attachment_remove(actor=request.user, attachment=att)
    except ServiceError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("已删除附件“%(name)s”") % {"name": att.name})
    return redirect(att.experience)


# ---------------------------------------------------------------- pilots


def pilot_list(request: AuthedHttpRequest) -> HttpResponse:
    form = PilotFilterForm(request.GET or None)
    filters = _filters(form)
    qs = selectors.pilots_filtered(request.user, filters)
    return render(
        request,
        "achievements/pilot_list.html",
        {"form": form, "pilots": qs, "filters": filters, "filtered": bool(request.GET)},
    )


def _pilot_input(form: PilotForm) -> services.PilotInput:
    d = form.cleaned_data
    return services.PilotInput(
        name=d["name"],
        level=d["level"],
        granted_by=d["granted_by"],
        lead_unit=d["lead_unit"],
        description=d["description"],
        items=list(d["items"]),
    )


@require_http_methods(["GET", "POST"])
def pilot_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = PilotCreateForm(request.POST or None, initial={"on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.pilot_create(
                actor=request.user,
                data=_pilot_input(form),
                state=form.cleaned_data["state"],
                on=form.cleaned_data["on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记试点"))
            return redirect(pilot)
    return render(request, "achievements/pilot_form.html", {"form": form})


def pilot_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pilot = get_pilot_for_user(request.user, pk)
    nxt = engine.actions_for(request.user, pilot, PILOT_FLOW)
    step_form = None
    if nxt:
        step_form = PilotStepForm(initial={"on": clock.today()})
        to_field = step_form.fields["to"]
        assert isinstance(to_field, forms.ChoiceField)
        to_field.choices = [(name, t.label) for name, t in nxt]
    return render(
        request,
        "achievements/pilot_detail.html",
        {
            "pilot": pilot,
            "steps": pilot.steps.select_related("actor"),
            "items": pilot.items.all(),
            "step_form": step_form,
            "history": audit.labelled(audit.history_for(pilot)[:50]),
        },
    )


@require_http_methods(["GET", "POST"])
def pilot_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pilot = get_pilot_for_user(request.user, pk)
    require_office(request.user)
    form = PilotForm(
        request.POST or None,
        instance=pilot,
        initial={"version": pilot.version, "items": list(pilot.items.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_update(
                actor=request.user,
                pilot=pilot,
                data=_pilot_input(form),
                version=form.cleaned_data.get("version") or 0,
            )
        except (StaleEdit, ServiceError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect(pilot)
    return render(request, "achievements/pilot_form.html", {"form": form, "pilot": pilot})


@require_POST
def pilot_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pilot = get_pilot_for_user(request.user, pk)
    require_office(request.user)
    form = PilotStepForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择阶段并填写日期"))
        return redirect(pilot)
    d = form.cleaned_data
    try:
        services.pilot_advance(
            actor=request.user,
            pilot=pilot,
            to=d["to"],
            on=d["on"],
            note=d["note"],
            document=d.get("document"),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("试点状态已更新"))
    return redirect(pilot)


def pilot_document(request: AuthedHttpRequest, pk: int) -> FileResponse:
    step = get_pilot_step_for_user(request.user, pk)
    return file_response(step.document, step.document_name, step.document_type)


# ---------------------------------------------------------------- honors


def honor_list(request: AuthedHttpRequest) -> HttpResponse:
    form = HonorFilterForm(request.GET or None)
    qs = selectors.honors_filtered(request.user, _filters(form))
    return render(request, "achievements/honor_list.html", {"form": form, "honors": qs})


@require_http_methods(["GET", "POST"])
def honor_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = HonorForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.honor_create(
                actor=request.user,
                data=services.HonorInput(
                    name=d["name"],
                    level=d["level"],
                    unit=d["unit"],
                    granted_by=d["granted_by"],
                    on=d["on"],
                    note=d["note"],
                    items=list(d["items"]),
                ),
                evidence=d.get("evidence_file"),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记荣誉"))
            return redirect("achievements:honor_list")
    return render(request, "achievements/honor_form.html", {"form": form})


def honor_evidence(request: AuthedHttpRequest, pk: int) -> FileResponse:
    h = get_honor_for_user(request.user, pk)
    return file_response(h.evidence, h.evidence_name, h.evidence_type)


@require_POST
def honor_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = get_honor_for_user(request.user, pk)
    require_office(request.user)
    reason = _reason(request)
    if reason is None:
        return redirect("achievements:honor_list")
    try:
        services.honor_remove(actor=request.user, honor=h, reason=reason)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除该荣誉记录"))
    return redirect("achievements:honor_list")


# ---------------------------------------------------------------- the public showcase


@login_not_required
def showcase_list(request: HttpRequest) -> HttpResponse:
    """“敢当”经验: published experiences, for anyone (no login), searchable."""
    q = (request.GET.get("q") or "").strip()[:100]
    qs = public_experiences().prefetch_related("units").order_by("-published_on", "-id")
    for word in q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request, "achievements/showcase_list.html", {"page": page, "q": q, "query": urlencode({"q": q})}
    )


@login_not_required
def showcase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        exp = public_experiences().get(pk=pk)
    except (Experience.DoesNotExist, ValueError):
        raise Http404(_("没有找到该经验做法")) from None
    return render(request, "achievements/showcase_detail.html", {"exp": exp, "units": exp.units.all()})
