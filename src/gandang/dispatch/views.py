from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import attachments, clock
from gandang.core.errors import ServiceError
from gandang.core.links import choice_label, pk_url
from gandang.core.paging import deferred_page, query_without_page
from gandang.core.params import id_list, int_param, parse_int
from gandang.dispatch import cards, flow, selectors, services
from gandang.dispatch.access import get_attachment_for_user, get_period, get_report_for_user
from gandang.dispatch.forms import (
    ContributionForm,
    NoEffectForm,
    PeriodForm,
    StepForm,
)
from gandang.dispatch.models import Report
from gandang.ledger.access import get_item_for_user, require_office
from gandang.org.models import User
from gandang.org.types import AuthedHttpRequest


def period_list(request: AuthedHttpRequest) -> HttpResponse:
    form = PeriodForm(initial=_next_period_initial()) if request.user.is_office else None
    return _period_list_page(request, form)


def _period_list_page(request: AuthedHttpRequest, form: PeriodForm | None, status: int = 200) -> HttpResponse:
    rows = selectors.period_list(request.user)
    # Plans with a cycle of their own report in the same list: the heading says so.
    cycles = any(r["period"].plan_id for r in rows)
    ctx = {"rows": rows, "form": form, "cycles": cycles}
    return render(request, "dispatch/period_list.html", ctx, status=status)


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
        # The page again with what was chosen and typed, each refusal said (a past deadline, a month
        # already open…), not a fresh form.
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return _period_list_page(request, form, status=400)
    d = form.cleaned_data
    try:
        period, n = services.period_open(
            actor=request.user, year=d["year"], month=d["month"], deadline=d["deadline"], plan=d.get("plan")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("dispatch:period_list")
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
    filters = {k: request.GET.get(k, "") for k in ("state", "flag")}
    filters["unit"] = str(int_param(request.GET, "unit") or "")  # a malformed unit is dropped
    rows = selectors.review_rows(request.user, period, filters)
    page = deferred_page(rows, request.GET.get("page"), rows=lambda qs: qs.select_related("item", "unit"))
    ctx = {
        "period": period,
        "rows": page,
        "page": page,
        "query": query_without_page(request),
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
    ids = id_list(request.POST.getlist("report"))
    reports = Report.objects.filter(period=period, pk__in=ids).select_related("item")
    done, refused = services.reports_step(actor=request.user, reports=reports, action="accept")
    if done:
        messages.success(
            request, ngettext("已审核通过%(n)d份报告", "已审核通过%(n)d份报告", done) % {"n": done}
        )
    for msg in refused:
        messages.error(request, msg)
    if not ids:
        messages.warning(request, _("请先勾选要审核通过的报告"))
    return redirect(period)


@require_http_methods(["GET", "POST"])
def period_fill(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A unit's month on one page: every report as a card; every button acts on what is on the screen."""
    period = get_period(pk)
    if not request.user.is_unit_member or not request.user.unit_id:
        return redirect(period)
    if request.method == "POST" and "confirm_submit" in request.POST:
        return _submit_confirmed(request, period)
    data = request.POST if request.method == "POST" else None
    # A form sent back saves the cards it carried (each names its report in "r<pk>-version"), whatever
    # page they were on; a GET shows one page of cards, those that need the liaison first.
    posted = None
    if data is not None:
        keys = (k[1 : -len("-version")] for k in data if k.startswith("r") and k.endswith("-version"))
        posted = [pk for pk in map(parse_int, keys) if pk]
    own = selectors.unit_reports(request.user, period, number=request.GET.get("page"), posted=posted)
    card_list = [cards.build(request.user, r, data, parts=own["parts"][r.pk]) for r in own["shown"]]
    if request.method == "GET":
        if request.GET.get("confirm") == "submit":
            return _confirm_page(request, period, list(own["own"].select_related("item", "period")))
        return _fill_page(request, period, card_list, own)
    return _act_on_cards(request, period, card_list, own)


def _co_rows(rows: list[dict]) -> list[dict]:
    """The co-unit table's rows as it writes them: the report, its item and lead unit, and what this
    unit wrote for it (cut to 40 characters; None when nothing)."""
    return [
        {
            "url": pk_url("dispatch:report_detail", r["pk"]),
            "heading": f"{r['item__code']} {r['item__title']}",
            "joint": r["joint"],  # this unit leads the item jointly (not a co-unit)
            "unit": r["unit__name"],
            "state": r["state"],
            "state_label": choice_label(Report.State, r["state"]),
            "part": None if r["part"] is None else Truncator(r["part"]).chars(40),
        }
        for r in rows
    ]


def _fill_page(request, period, card_list, own, status: int = 200) -> HttpResponse:
    # Whether a report may be edited depends on its state and unit alone: the counts go by state.
    by_state = own["by_state"]
    unit_id = request.user.unit_id
    co = selectors.co_reports(request.user, period, request.GET.get("co_page"))
    ctx = {
        "period": period,
        "cards": card_list,
        "co": co,
        "co_rows": _co_rows(co["rows"]),
        "co_qs": f"page={own['page'].number}" if own["page"] and own["page"].number > 1 else "",
        "page": own["page"],
        "n_own": sum(by_state.values()),
        "n_editable": sum(
            n
            for state, n in by_state.items()
            if flow.may_edit(request.user, Report(state=state, unit_id=unit_id))
        ),
        "editable": [c for c in card_list if c.form is not None],
    }
    return render(request, "dispatch/period_fill.html", ctx, status=status)


def _post_pk(request: AuthedHttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return parse_int(value)


def _act_on_cards(request: AuthedHttpRequest, period, card_list: list[cards.Card], own) -> HttpResponse:
    """Save every card the page sent, then take the button's step: save, submit one, submit all
    (after a confirmation page), or remove an attachment. A card that cannot be saved comes back
    as it was typed, with the reason, and no step is taken."""
    submit_pk = _post_pk(request, "submit")
    focus = submit_pk or _post_pk(request, "save")
    for card in card_list:
        cards.attach_files(request.user, card, request.FILES)
        cards.save(request.user, card, submit=card.report.pk == submit_pk)
    failed = [c for c in card_list if c.has_errors]
    remove_pk = _post_pk(request, "remove_attachment")
    if remove_pk and not failed:
        att = get_attachment_for_user(request.user, remove_pk)
        try:
            services.attachment_remove(actor=request.user, attachment=att)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已删除附件“%(name)s”") % {"name": att.name})
            focus = att.report_id
    for card in card_list:
        for notice in card.notices:
            messages.success(request, notice)
    if failed:
        messages.error(
            request,
            ngettext(
                "%(n)d份报告未能保存，请查看标红的提示；您输入的内容都还在页面上。",
                "%(n)d份报告未能保存，请查看标红的提示；您输入的内容都还在页面上。",
                len(failed),
            )
            % {"n": len(failed)},
        )
        return _fill_page(request, period, card_list, own, status=400)
    saved = [c for c in card_list if c.saved]
    url = reverse("dispatch:period_fill", args=[period.pk])
    back = parse_int(request.GET.get("page", ""))  # the page the form was on
    if back and back > 1:
        url += f"?page={back}"
    if "submit_all" in request.POST:
        return redirect(reverse("dispatch:period_fill", args=[period.pk]) + "?confirm=submit")
    if submit_pk:
        done = next((c for c in card_list if c.report.pk == submit_pk), None)
        if done is not None:
            messages.success(
                request, str(flow.TRANSITIONS["submit"].done) % {"title": done.report.item.title}
            )
    elif saved:
        messages.success(
            request, ngettext("已保存%(n)d份报告", "已保存%(n)d份报告", len(saved)) % {"n": len(saved)}
        )
        _copy_warnings(request, saved)
    elif not remove_pk:
        messages.info(request, _("没有需要保存的修改"))
    return redirect(url + (f"#report-{focus}" if focus else ""))


def _copy_warnings(request: AuthedHttpRequest, saved: list[cards.Card]) -> None:
    for card in saved:
        report = Report.objects.get(pk=card.report.pk)
        if report.is_copy:
            said = (
                _("“%(title)s”与上月相似度%(similarity)s，请补充本月新的进展，避免照抄上月内容")
                if report.period.is_monthly
                else _("“%(title)s”与上期相似度%(similarity)s，请补充本期新的进展，避免照抄上期内容")
            )
            messages.warning(
                request, said % {"title": report.item.title, "similarity": f"{report.similarity:.0%}"}
            )


def _confirm_page(request: AuthedHttpRequest, period, reports: list[Report]) -> HttpResponse:
    """全部提交签发, step two: the reports that will go, and those that cannot and why."""
    ready: list[dict] = []
    not_ready: list[dict] = []
    for r in reports:
        if flow.edit_refusal(request.user, r) is not None:
            continue
        why = services.submittable(r)
        (not_ready if why else ready).append({"report": r, "why": why})
    ctx = {"period": period, "ready": ready, "not_ready": not_ready}
    return render(request, "dispatch/submit_confirm.html", ctx)


def _submit_confirmed(request: AuthedHttpRequest, period) -> HttpResponse:
    """Submit the reports the confirmation listed, each only as it stood when it was listed."""
    listed, refused = [], []
    for value in request.POST.getlist("report"):
        pk_s, _sep, version_s = value.partition(":")
        pk, version = parse_int(pk_s), parse_int(version_s, min_value=0)
        if pk is None or version is None:
            continue
        report = (
            Report.objects.filter(pk=pk, period=period, unit_id=request.user.unit_id or 0)
            .select_related("item")
            .first()
        )
        if report is None:
            continue
        if report.version != version:
            refused.append(
                _("“%(title)s”在确认后又被修改，未提交，请重新确认") % {"title": report.item.title}
            )
            continue
        listed.append(report)
    done, failed = services.reports_step(actor=request.user, reports=listed, action="submit")
    refused += failed
    if done:
        messages.success(
            request, ngettext("已提交签发%(n)d份报告", "已提交签发%(n)d份报告", done) % {"n": done}
        )
    for msg in refused:
        messages.error(request, msg)
    if not done and not refused:
        messages.warning(request, _("没有提交任何报告"))
    return redirect("dispatch:period_fill", pk=period.pk)


def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    ctx = {
        "report": report,
        "actions": flow.actions_for(request.user, report),
        "can_edit": flow.edit_refusal(request.user, report) is None,
        # The box where the contribution service would take the part (contribution_refusal decides who).
        "can_contribute": report.state != Report.State.ACCEPTED
        and not services.contribution_refusal(request.user, report),
        "can_judge_copy": request.user.is_office and report.is_copy,
        **selectors.report_detail(report),
    }
    ctx["joint_lead"] = request.user.unit_id in {u.pk for u in ctx["joint_leads"]}
    # The unit's part as saved, in the box to be changed (saving again replaces it).
    ctx["own_part"] = next((c.text for c in ctx["contributions"] if c.unit_id == request.user.unit_id), "")
    return render(request, "dispatch/report_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def report_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One report's card on a page of its own; the same card, rules and buttons as the fill page."""
    report = get_report_for_user(request.user, pk)
    why = flow.edit_refusal(request.user, report)
    if why:
        raise PermissionDenied(why)
    card = cards.build(request.user, report, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        submit = _post_pk(request, "submit") == report.pk
        cards.attach_files(request.user, card, request.FILES)
        remove_pk = _post_pk(request, "remove_attachment")
        if cards.save(request.user, card, submit=submit):
            for notice in card.notices:
                messages.success(request, notice)
            if remove_pk:
                att = get_attachment_for_user(request.user, remove_pk)
                try:
                    services.attachment_remove(actor=request.user, attachment=att)
                except ServiceError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("已删除附件“%(name)s”") % {"name": att.name})
                return redirect("dispatch:report_edit", pk=report.pk)
            if submit:
                messages.success(request, str(flow.TRANSITIONS["submit"].done) % {"title": report.item.title})
            elif card.saved:
                messages.success(request, _("已保存"))
                _copy_warnings(request, [card])
            return redirect(report)
        for notice in card.notices:
            messages.success(request, notice)
        return render(request, "dispatch/report_form.html", {"report": report, "card": card}, status=400)
    return render(request, "dispatch/report_form.html", {"report": report, "card": card})


@require_POST
def report_autosave(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    """The fill page saves a draft as it is typed; the answer says what the card shows."""
    report = get_report_for_user(request.user, pk)
    result = cards.autosave(request.user, cards.build(request.user, report, request.POST))
    if result.get("ok"):
        result["saved_at"] = timezone.localtime(clock.now()).strftime("%H:%M")
    return JsonResponse(result, status=result.pop("status", 200))


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
    attachments.upload(
        request, lambda f: services.attachment_add(actor=request.user, report=report, upload=f)
    )
    return redirect(report)


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
    return redirect(att.report)


@require_POST
def contribution_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["text"]))
        return redirect(report)
    why = services.contribution_refusal(request.user, report)
    if why:
        raise PermissionDenied(why)
    try:
        services.contribution_save(actor=request.user, report=report, text=form.cleaned_data["text"])
    except ServiceError as exc:
        # Said on the report's page (too long, accepted meanwhile), where the browser
        # offers back what was typed; nothing is written.
        messages.error(request, str(exc))
    else:
        messages.success(request, _("本单位工作情况已保存"))
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


@require_http_methods(["GET", "POST"])
def sign(request: AuthedHttpRequest) -> HttpResponse:
    """The unit head's page: every report of the unit awaiting sign-off, readable in full; sign the
    ticked ones at once, or send one back with its reason."""
    if request.user.role != User.Role.HEAD or not request.user.unit_id:
        raise PermissionDenied(_("只有单位负责人可以签发报告"))
    rows = selectors.awaiting_sign_off(request.user)
    for row in rows:
        row["ticked"], row["reason"] = True, ""
    if request.method == "POST":
        outcome = _sign_post(request, rows)
        if outcome is None:
            return redirect("dispatch:sign")
        # Back with the problem, and every box and reason as the head left them.
        ticked = set(request.POST.getlist("report"))
        for row in rows:
            pk = row["report"].pk
            row["ticked"] = str(pk) in ticked
            row["reason"] = request.POST.get(f"reason-{pk}", "")
        return render(request, "dispatch/sign.html", {"rows": rows, **outcome}, status=400)
    return render(request, "dispatch/sign.html", {"rows": rows})


def _sign_post(request: AuthedHttpRequest, rows: list[dict]) -> dict | None:
    """Sign the ticked reports, or send one back; None when done, else what the page must show."""
    shown = {row["report"].pk: row["report"] for row in rows}

    def listed(pk: int) -> Report | None:
        report = shown.get(pk)
        version = request.POST.get(f"v{pk}", "")
        if report is None or report.version != parse_int(version, min_value=0):
            return None
        return report

    back_pk = _post_pk(request, "send_back")
    if back_pk is not None:
        reason = request.POST.get(f"reason-{back_pk}", "").strip()
        report = listed(back_pk)
        if report is None:
            messages.error(request, _("该报告已变化，请查看最新内容后再处理"))
            return None
        if not reason:
            return {"error_pk": back_pk, "error": _("退回修改需要填写原因")}
        if len(reason) > 500:
            return {"error_pk": back_pk, "error": _("退回原因不能超过500字")}
        try:
            services.report_step(actor=request.user, report=report, action="send_back", reason=reason)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(flow.TRANSITIONS["send_back"].done) % {"title": report.item.title})
        return None
    ticked = id_list(request.POST.getlist("report"))
    if not ticked:
        messages.warning(request, _("请先勾选要签发的报告"))
        return None
    # A reason typed for a ticked report means it was to go back: signing it would drop what was typed.
    for pk in ticked:
        if pk in shown and request.POST.get(f"reason-{pk}", "").strip():
            error = _("已填写退回原因：要退回请点“退回修改”；要签发请先清空原因或取消勾选该报告")
            # Said at the top too: the button pressed may be far from the report.
            messages.error(request, _("未签发：“%(title)s”") % {"title": shown[pk].item.title} + error)
            return {"error_pk": pk, "error": error}
    current = [r for r in map(listed, ticked) if r is not None]
    refused = (
        [_("有报告在您打开页面后发生了变化，未签发，请查看最新内容")] if len(current) < len(ticked) else []
    )
    done, failed = services.reports_step(actor=request.user, reports=current, action="approve")
    refused += failed
    if done:
        messages.success(request, ngettext("已签发%(n)d份报告", "已签发%(n)d份报告", done) % {"n": done})
    for msg in dict.fromkeys(refused):
        messages.error(request, msg)
    return None


@require_POST
def copy_verdict(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office confirms a copy flag (it then counts in the assessment) or clears it with a reason."""
    report = get_report_for_user(request.user, pk)
    require_office(request.user)
    verdict = request.POST.get("verdict", "")
    if verdict not in ("confirm", "clear"):
        messages.error(request, _("请选择“认定照抄”或“排除标记”"))
        return redirect(report)
    try:
        services.copy_verdict(
            actor=request.user,
            report=report,
            confirmed=verdict == "confirm",
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (_("已认定为照抄上月") if report.period.is_monthly else _("已认定为照抄上期"))
            if verdict == "confirm"
            else _("已排除“疑似照抄”标记"),
        )
    return redirect(report)
