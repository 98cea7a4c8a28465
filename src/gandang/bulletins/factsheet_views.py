"""Pages of the press-conference fact sheet (发布会材料): the list and a new range, a draft with its figures
and editable sections, the choice of how figures are written, the Word download."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandang.bulletins import document, factsheet, factsheet_services, sections
from gandang.bulletins.access import get_factsheet_for_user, require_factsheet_read
from gandang.bulletins.forms import FactSheetForm, SectionForm, VersionForm
from gandang.bulletins.models import FactSheet
from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.views import run_service
from gandang.ledger.access import require_office
from gandang.org.types import AuthedHttpRequest


def _list(request: AuthedHttpRequest, form: FactSheetForm | None, status: int = 200) -> HttpResponse:
    page = Paginator(FactSheet.objects.select_related("created_by"), 30).get_page(request.GET.get("page"))
    ctx = {"page": page, "form": form, "section": "bulletins", "tab": "factsheets"}
    return render(request, "bulletins/factsheet_list.html", ctx, status=status)


def factsheet_list(request: AuthedHttpRequest) -> HttpResponse:
    require_factsheet_read(request.user)
    form = FactSheetForm(initial=FactSheetForm.initial_for_today()) if request.user.is_office else None
    return _list(request, form)


@require_POST
def factsheet_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = FactSheetForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: factsheet_services.factsheet_create(
            actor=request.user, start=d["start"], end=d["end"], since=d["since"], title=d["title"]
        ),
        success=_("已生成发布会材料草稿，数字随台账数据实时更新"),
    )
    if done:
        return done
    # What was typed stays in the form, with the reason it was refused.
    return _list(request, form, status=400)


def _context(request: AuthedHttpRequest, sheet: FactSheet) -> dict:
    built = factsheet.build(request.user, sheet)
    return {
        "sheet": sheet,
        "figures": list(built.figures.values()),
        "fig": built.figures,
        "parts": built.parts,
        "version": sheet.version,
        "can_edit": request.user.is_office,
        "section": "bulletins",
        "tab": "factsheets",
    }


def factsheet_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    sheet = get_factsheet_for_user(request.user, pk)
    ctx = _context(request, sheet)
    ctx["history"] = audit.labelled(audit.history_for(sheet)[:50]) if request.user.is_office else []
    return render(request, "bulletins/factsheet_detail.html", ctx)


def _part(ctx: dict, key: str):
    if key not in factsheet.SECTION_KEYS:
        raise Http404(_("没有这一部分"))
    return next(p for p in ctx["parts"] if p.key == key)


@require_http_methods(["GET", "POST"])
def section_edit(request: AuthedHttpRequest, pk: int, key: str) -> HttpResponse:
    sheet = get_factsheet_for_user(request.user, pk, write=True)
    ctx = _context(request, sheet)
    part = _part(ctx, key)
    form = SectionForm(request.POST or None, initial={"text": part.text, "version": sheet.version})
    saved = sections.save_view(
        request,
        form,
        key,
        save=lambda text, version: factsheet_services.factsheet_section_save(
            actor=request.user, sheet=sheet, key=key, text=text, expected_version=version
        ),
        respond=lambda s: _section_response(request, s, key, saved=True),
    )
    if saved:
        return saved
    status = 400 if request.method == "POST" else 200  # the typed text comes back with the reason
    ctx |= {"part": part, "form": form}
    if request.htmx:
        # htmx swaps only a 2xx answer: the form comes back in place, with the reason and the typed text.
        return render(request, "bulletins/factsheet_detail.html#section", ctx)
    return render(request, "bulletins/factsheet_section.html", ctx, status=status)


def _section_response(request: AuthedHttpRequest, sheet: FactSheet, key: str, **extra) -> HttpResponse:
    """The section re-rendered, and the page's version fields brought up to date (out of band)."""
    ctx = _context(request, sheet)
    ctx |= {"part": _part(ctx, key), "oob_version": True, **extra}
    return render(request, "bulletins/factsheet_detail.html#section", ctx)


@require_POST
def section_restore(request: AuthedHttpRequest, pk: int, key: str) -> HttpResponse:
    sheet = get_factsheet_for_user(request.user, pk, write=True)
    if key not in factsheet.SECTION_KEYS:
        raise Http404(_("没有这一部分"))
    return sections.restore_view(
        request,
        sheet,
        key,
        restore=lambda version: factsheet_services.factsheet_section_restore(
            actor=request.user, sheet=sheet, key=key, expected_version=version
        ),
        respond=lambda s: _section_response(request, s, key, restored=True),
    )


@require_POST
def wording_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    sheet = get_factsheet_for_user(request.user, pk, write=True)
    form = VersionForm(request.POST)
    choices = {key: request.POST[f"w_{key}"] for key in factsheet.FIGURE_KEYS if request.POST.get(f"w_{key}")}
    try:
        if not form.is_valid():
            raise ServiceError(_("页面已过期，请刷新后重试"))
        factsheet_services.factsheet_wording_save(
            actor=request.user, sheet=sheet, choices=choices, expected_version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(sheet.get_absolute_url() + "#figures")
    messages.success(request, _("已保存数字写法"))
    return redirect(sheet.get_absolute_url() + "#figures")


@require_GET
def factsheet_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    sheet = get_factsheet_for_user(request.user, pk)
    if fmt not in document.FORMATS:
        raise Http404(_("不支持的格式"))
    doc = factsheet.document(sheet, factsheet.build(request.user, sheet), on=clock.today())
    response = HttpResponse(document.render(doc, fmt), content_type=document.FORMATS[fmt])
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{sheet.title}.{fmt}") or ""
    )
    return response
