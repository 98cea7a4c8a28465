"""Pages of listed supervision: the office's board, a listing with its letters and rectification report."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import attachments, audit, clock
from gandang.core.errors import ServiceError
from gandang.core.params import int_param
from gandang.core.views import save_or_submit
from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.ledger.access import get_item_for_user
from gandang.ledger.models import joint_lead_prefetch
from gandang.org.models import Unit
from gandang.org.types import AuthedHttpRequest
from gandang.supervision import flow, services
from gandang.supervision.access import (
    get_attachment_for_user,
    get_letter_for_user,
    get_listing_for_user,
    get_proposal,
    listings_visible_to,
    require_office,
)
from gandang.supervision.forms import (
    EscalateForm,
    ExtendForm,
    ListingForm,
    ReasonForm,
    RectificationForm,
)
from gandang.supervision.models import Listing, Proposal, Rectification

TABS = ["open", "closed", "proposals", "letters"]


def _form_error(form: forms.Form, default: str) -> str:
    """Why the form was refused: a value that was given but is wrong says what is wrong (“理由不能超过
    500字”, “没有2023年2月30日这一天”); a value left out gets `default`, which names what to fill in."""
    for name, errors in form.errors.items():
        if name in form.data and str(form.data.get(name, "")).strip():
            return str(errors[0])
    return default


def index(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "open")
    if tab not in TABS or (tab == "proposals" and not user.is_office):
        tab = "open"
    listings = listings_visible_to(user).select_related("item", "unit", "rectification")
    ctx: dict = {"tab": tab, "today": clock.today()}
    unit_id = int_param(request.GET, "unit")
    level = request.GET.get("level", "")
    if unit_id:
        listings = listings.filter(unit_id=unit_id)
    if level in Listing.Level.values:
        listings = listings.filter(level=level)
    if tab == "proposals":
        ctx["proposals"] = (
            Proposal.objects.filter(state=Proposal.State.OPEN)
            .select_related("item", "item__lead_unit", "period")
            .prefetch_related(joint_lead_prefetch("item__"))
        )
        ctx["decided"] = (
            Proposal.objects.exclude(state=Proposal.State.OPEN)
            .select_related("item", "decided_by")
            .order_by("-decided_at")[:20]
        )
    elif tab == "letters":
        from gandang.supervision.models import Letter

        letters = Letter.objects.filter(listing__in=listings).select_related("listing__item", "unit")
        ctx["page"] = Paginator(letters, 30).get_page(request.GET.get("page"))
    else:
        states = [Listing.State.LISTED] if tab == "open" else [Listing.State.DELISTED, Listing.State.REVOKED]
        qs = (
            listings.filter(state__in=states)
            .order_by("deadline" if tab == "open" else "-closed_on", "id")
            .select_related("item__lead_unit")
            .prefetch_related(joint_lead_prefetch("item__"))
        )
        ctx["page"] = Paginator(qs, 30).get_page(request.GET.get("page"))
    visible = listings_visible_to(user)
    ctx["counts"] = {
        "open": visible.filter(state=Listing.State.LISTED).count(),
        "closed": visible.exclude(state=Listing.State.LISTED).count(),
        "proposals": Proposal.objects.filter(state=Proposal.State.OPEN).count() if user.is_office else 0,
    }
    if user.sees_all_units:
        ctx["units"] = Unit.objects.filter(pk__in=Listing.objects.values("unit_id")).order_by(
            "sort_order", "name"
        )
    ctx.update(unit=str(unit_id or ""), level=level, levels=Listing.Level.choices)
    ctx["query"] = urlencode({"tab": tab, "unit": ctx["unit"], "level": level})  # what the pager keeps
    return render(request, "supervision/index.html", ctx)


@require_http_methods(["GET", "POST"])
def listing_new(request: AuthedHttpRequest) -> HttpResponse:
    """List an item: from a proposal (?proposal=) or straight from the item's page (?item=)."""
    require_office(request.user)
    source = request.POST if request.method == "POST" else request.GET
    proposal = None
    if source.get("proposal"):
        try:
            proposal = get_proposal(request.user, int(source["proposal"]))
        except ValueError:
            raise Http404(_("没有找到该挂牌建议")) from None
        item = proposal.item
    elif source.get("item"):
        item = get_item_for_user(request.user, source["item"])
    else:
        return redirect("supervision:index")
    rules = services.rules()
    today = clock.today()
    initial = {
        "level": Listing.Level.OFFICE,
        "reason": proposal.reason if proposal else "",
        "deadline": today + timedelta(days=rules["deadline_days"]),
    }
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ListingInput(**form.cleaned_data)
        try:
            listing = services.listing_create(actor=request.user, item=item, data=data, proposal=proposal)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            letter = listing.letters.first()
            messages.success(
                request,
                _("已挂牌督办，提醒函%(number)s已生成并通知%(unit)s")
                % {"number": letter.doc_number if letter else "", "unit": listing.unit},
            )
            return redirect(listing)
    current = Listing.objects.filter(item=item, state=Listing.State.LISTED).first()
    return render(
        request,
        "supervision/listing_form.html",
        {"form": form, "item": item, "proposal": proposal, "current": current},
    )


@require_POST
def proposal_dismiss(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, _("请填写不予挂牌的理由")))
        return redirect(_tab_url("proposals"))
    try:
        services.proposal_dismiss(
            actor=request.user, proposal=proposal, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已不予挂牌：%(item)s") % {"item": proposal.item.title})
    return redirect(_tab_url("proposals"))


@require_POST
def proposals_refresh(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    n = services.proposals_refresh()
    if n:
        messages.success(request, _("新增挂牌建议%(n)s项") % {"n": n})
    else:
        messages.info(request, _("没有新的挂牌建议"))
    return redirect(_tab_url("proposals"))


def _tab_url(tab: str) -> str:
    from django.urls import reverse

    return reverse("supervision:index") + f"?tab={tab}"


def _detail_ctx(request: AuthedHttpRequest, listing: Listing, form: RectificationForm | None = None) -> dict:
    rect = listing.rectification
    editable = listing.is_open and flow.edit_refusal(request.user, rect) is None
    if editable and form is None:
        form = RectificationForm(instance=rect, initial={"version": rect.version})
    return {
        "listing": listing,
        "rect": rect,
        "form": form if editable else None,
        "can_edit": editable,
        "actions": flow.actions_for(request.user, rect) if listing.is_open else [],
        "letters": listing.letters.select_related("issued_by"),
        "steps": rect.steps.select_related("actor"),
        "attachments": rect.attachments.all(),
        "history": audit.labelled(audit.history_for(listing)[:50]),
        "today": clock.today(),
        "is_office": request.user.is_office,
    }


def listing_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    return render(request, "supervision/listing_detail.html", _detail_ctx(request, listing))


@require_POST
def listing_escalate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    require_office(request.user)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("督办状态已变化，请刷新页面"))
        return redirect(listing)
    try:
        listing = services.listing_escalate(
            actor=request.user, listing=listing, expected=form.cleaned_data["escalation"]
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已升级督办：%(state)s") % {"state": listing.get_escalation_display()})
    return redirect(listing)


@require_POST
def listing_extend(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    require_office(request.user)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, _("请填写新的整改时限和理由")))
        return redirect(listing)
    try:
        services.listing_extend(actor=request.user, listing=listing, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("整改时限已调整"))
    return redirect(listing)


@require_POST
def listing_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    require_office(request.user)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, _("请填写撤销理由")))
        return redirect(listing)
    try:
        services.listing_revoke(
            actor=request.user, listing=listing, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销挂牌"))
    return redirect(listing)


@require_POST
def rectification_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    rect = listing.rectification
    why = flow.edit_refusal(request.user, rect)
    if why:
        raise PermissionDenied(why)
    form = RectificationForm(request.POST, instance=rect)

    def save(d: dict) -> Rectification:
        data = dict(d)
        version = data.pop("version")
        return services.rectification_save(actor=request.user, rectification=rect, data=data, version=version)

    done = save_or_submit(
        request,
        form,
        save,
        lambda saved: services.rectification_step(actor=request.user, rectification=saved, action="submit"),
        saved=_("整改报告已保存"),
        submitted=lambda saved: str(flow.TRANSITIONS["submit"].done) % {"title": listing.item.title},
        unsubmitted=_("整改报告已保存，但未能提交：%(why)s"),
    )
    if done:
        return done
    listing.refresh_from_db()
    return render(request, "supervision/listing_detail.html", _detail_ctx(request, listing, form), status=400)


@require_POST
def rectification_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, _("请填写意见")))
        return redirect(listing.get_absolute_url() + "#rectification")
    try:
        services.rectification_step(
            actor=request.user,
            rectification=listing.rectification,
            action=action,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(flow.TRANSITIONS[action].done) % {"title": listing.item.title})
    return redirect(listing.get_absolute_url() + "#rectification")


@require_POST
def attachment_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    attachments.upload(
        request,
        lambda f: services.rectification_attachment_add(
            actor=request.user, rectification=listing.rectification, upload=f
        ),
    )
    return redirect(listing.get_absolute_url() + "#rectification")


def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_attachment_for_user)


@require_POST
def attachment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = get_attachment_for_user(request.user, pk)
    try:
        services.rectification_attachment_remove(actor=request.user, attachment=att)
    except ServiceError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("已删除附件“%(name)s”") % {"name": att.name})
    return redirect(att.rectification.listing.get_absolute_url() + "#rectification")


FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def letter_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The letter as issued, in Word or PDF, for the office, city leaders and the letter's unit."""
    letter = get_letter_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    doc = services.letter_as_document(letter)
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"{letter.doc_number}{letter.get_kind_display()}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
