"""Pages of the partners' uses (两办两研采用): recording a use on a piece's page, withdrawing or correcting
it, and the list of uses (a partner's own unit's; every partner's for the office)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.core.paging import deferred_page
from gandang.core.params import int_param
from gandang.information import partner_services as services
from gandang.information import selectors
from gandang.information.access import get_piece_for_user, get_use_for_user, require_office, uses_visible_to
from gandang.information.forms import UseCorrectForm, UseForm, WithdrawForm
from gandang.information.views import detail_response
from gandang.org.models import Unit
from gandang.org.types import AuthedHttpRequest

YEARS = {"min_value": 2000, "max_value": 2100}


@require_POST
def use_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """采用登记 on an adopted piece, by a partner's reader; a refused entry comes back with what was typed."""
    piece = get_piece_for_user(request.user, pk)
    why = services.record_refusal(request.user, piece)
    if why:
        raise PermissionDenied(why)
    form = UseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            use = services.use_record(
                actor=request.user,
                piece=piece,
                publication=d["publication"],
                used_on=d["used_on"],
                note=d["note"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记：该信息被《%(pub)s》采用") % {"pub": use.publication})
            return redirect(use)
    return detail_response(request, piece, use_form=form, status=400)


@require_POST
def use_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    use = get_use_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, _("撤回原因不能超过300字"))
        return redirect(use)
    why = services.withdraw_refusal(request.user, use)
    if why:
        raise PermissionDenied(why)
    try:
        services.use_withdraw(actor=request.user, use=use, reason=reason)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("采用记录已撤回，不再计入统计"))
    return redirect(use)


@require_POST
def use_correct(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office corrects a use (publication, day, note) with a reason."""
    use = get_use_for_user(request.user, pk)
    require_office(request.user)
    form = UseCorrectForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.use_correct(
                actor=request.user,
                use=use,
                publication=d["publication"],
                used_on=d["used_on"],
                note=d["note"],
                reason=d["reason"],
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("采用记录已更正"))
    else:
        messages.error(request, _("更正未保存：请填写采用刊物、采用日期和更正原因"))
    return redirect(use)


def use_list(request: AuthedHttpRequest) -> HttpResponse:
    """两办两研采用: the uses the reader may see, by partner, the piece's unit and the year used (the counts
    table's figures open it)."""
    user = request.user
    qs = uses_visible_to(user)
    year = int_param(request.GET, "year", **YEARS)
    partner_id = int_param(request.GET, "partner")
    month = int_param(request.GET, "month", min_value=1, max_value=12) if year else None
    unit_id = int_param(request.GET, "unit")
    withdrawn = request.GET.get("withdrawn") == "1"
    qs = selectors.use_filter(
        qs, year=year, month=month, partner=partner_id, unit=unit_id, withdrawn=withdrawn
    )
    page = deferred_page(qs.order_by("-used_on", "-id"), request.GET.get("page"), rows=selectors.use_rows)
    ctx = {
        "page": page,
        "year": year,
        "this_year": clock.today().year,
        "partner": str(partner_id or ""),
        "unit": str(unit_id or ""),
        "month": month,
        # Opened from a figure of the counts page: the unit whose pieces it lists, named (with a way out).
        "unit_shown": Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        "withdrawn": withdrawn,
        "partners": Unit.objects.filter(kind=Unit.Kind.PARTNER, is_active=True)
        if user.sees_all_units
        else None,
        "tab": "uses",
        "query": urlencode(
            {
                k: v
                for k, v in {
                    "year": year,
                    "partner": partner_id,
                    "month": month,
                    "unit": unit_id,
                    "withdrawn": withdrawn and "1",
                }.items()
                if v
            }
        ),
    }
    return render(request, "information/use_list.html", ctx)
