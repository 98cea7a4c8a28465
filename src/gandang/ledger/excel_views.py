"""Excel import (upload → preview → confirm) and export of the ledger."""

from __future__ import annotations

import io
import json
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.ledger import selectors, services
from gandang.ledger.access import require_office
from gandang.ledger.document.reader import kind_of as document_kind
from gandang.ledger.document.sheet import edits_from, plan_identity
from gandang.ledger.excel import exporter, uploads
from gandang.ledger.excel.columns import COLUMNS
from gandang.ledger.excel.forms import ImportConfirmForm, ImportUploadForm
from gandang.ledger.excel.importer import DOCUMENT_REFUSALS, ImportResult, parse_ledger
from gandang.ledger.forms import ItemFilterForm
from gandang.ledger.models import Item, Plan
from gandang.org.types import AuthedHttpRequest

STALE_TOKEN = gettext_lazy(
    "上传的文件已过期或不存在（每个文件只能由上传人在 6 小时内确认导入），请重新上传。"
)


def _limits() -> dict[str, int]:
    return {
        "max_mb": settings.GANDANG_IMPORT_MAX_BYTES // (1024 * 1024),
        "max_rows": settings.GANDANG_IMPORT_MAX_ROWS,
    }


@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm())
    kept = uploads.find_upload(request.POST.get("upload_token", ""), user=request.user)
    form = ImportUploadForm(request.POST, request.FILES, kept=kept)
    valid = form.is_valid()
    if form.cleaned_data.get("file"):
        # A file that arrived is kept whatever else the form says, so an error never makes the
        # person choose it again (the form carries its token and shows its name).
        form.kept = uploads.save_upload(form.cleaned_data["file"], user=request.user)
    if form.kept is not None:
        data = request.POST.copy()
        data["upload_token"] = form.kept.token
        form.data = data
    if not valid and form.kept is not None and _plan_named_by_document(form):
        form = _named_from_document(form)
        valid = form.is_valid()
        if not valid and _plan_named_by_document(form):
            _refuse_unreadable_document(form)
    if valid and form.kept is not None:
        upload = form.kept
        target = form.target()
        plan = form.existing_plan()
        with upload.open() as workbook:
            result = parse_ledger(
                workbook,
                plan=plan,
                plan_year=form.plan_year(),
                filename=upload.filename,
                plans_from_file=target["plans_from_file"],
            )
        return _preview(request, upload, target, result, plan=plan)
    return _upload_page(request, form)


def _plan_named_by_document(form: ImportUploadForm) -> bool:
    """A new plan whose year or name was left blank: a plan document's title may give them."""
    errors = set(form.errors)
    return (
        form.cleaned_data.get("into") == "new"
        and bool(errors)
        and errors <= {"new_plan_year", "new_plan_name"}
    )


def _named_from_document(form: ImportUploadForm) -> ImportUploadForm:
    """The form again, with the blank new plan's year and name taken from the document's title."""
    assert form.kept is not None
    with form.kept.open() as source:
        if document_kind(source) is None:
            return form
        name, year = plan_identity(source, max_bytes=settings.GANDANG_IMPORT_MAX_BYTES)
    data = QueryDict(mutable=True)
    data.update(form.data)
    if name and not (data.get("new_plan_name") or "").strip():
        data["new_plan_name"] = name
    if year and not data.get("new_plan_year"):
        data["new_plan_year"] = str(year)
    return ImportUploadForm(data, kept=form.kept)


def _refuse_unreadable_document(form: ImportUploadForm) -> None:
    """A document that gave no title because it cannot be read: say why on the file and let it go,
    rather than ask for a name and year to import a file that would only be refused at the preview."""
    assert form.kept is not None
    upload = form.kept
    with upload.open() as source:
        if (
            document_kind(source) is None
            and PurePath(upload.filename).suffix.lower() not in DOCUMENT_REFUSALS
        ):
            return  # a workbook: its plan's name and year are asked for
        result = parse_ledger(source, plan=None, plan_year=None, filename=upload.filename)
    if result.rows or not result.has_errors:
        return
    form.errors.pop("new_plan_year", None)
    form.errors.pop("new_plan_name", None)
    form.add_error("file", result.errors[0].message)
    uploads.discard_upload(upload)
    form.kept = None
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["upload_token"] = ""
    form.data = data


def _upload_page(request: AuthedHttpRequest, form: ImportUploadForm, error: str = "") -> HttpResponse:
    if error:
        messages.error(request, error)
    columns = [(label, others) for label, others in COLUMNS.values()]
    return render(request, "ledger/import_form.html", {"form": form, "columns": columns, **_limits()})


def _preview(
    request: AuthedHttpRequest,
    upload: uploads.Upload,
    target: dict,
    result: ImportResult,
    error: str = "",
    plan: Plan | None = None,
) -> HttpResponse:
    ctx = {
        "plan": plan or target["plan"],
        "result": result,
        "counts": result.counts,
        "token": upload.token,
        "target": target,
        "error": error,
        "can_commit": not result.has_errors,
    }
    return render(request, "ledger/import_preview.html", ctx)


@require_POST
def import_confirm(request: AuthedHttpRequest) -> HttpResponse:
    """Commit a previewed upload. A stale, foreign or missing token is answered with the upload page."""
    require_office(request.user)
    upload = uploads.find_upload(request.POST.get("token", ""), user=request.user)
    if upload is None:
        return _upload_page(request, ImportUploadForm(), str(STALE_TOKEN))
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return _upload_page(request, ImportUploadForm(), errors)
    action = request.POST.get("action")
    if action == "retitle":  # 改为导入到《title》: the plan the document's title names, corrections kept
        form = _retitled(form, upload)
        if not form.is_valid():
            errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
            return _upload_page(request, ImportUploadForm(), errors)
    target = form.target()
    edits = edits_from(request.POST)
    if action in ("preview", "retitle"):  # the office corrected the guesses: show them read again
        plan = form.existing_plan()
        with upload.open() as workbook:
            result = parse_ledger(
                workbook,
                plan=plan,
                plan_year=form.plan_year() if not target["plans_from_file"] else None,
                filename=upload.filename,
                plans_from_file=target["plans_from_file"],
                edits=edits,
            )
        return _preview(request, upload, target, result, plan=plan)
    try:
        with upload.open() as workbook:
            outcome = services.ledger_import(
                actor=request.user,
                workbook=workbook,
                filename=upload.filename,
                create_missing=form.cleaned_data["create_missing"],
                edits=edits,
                **target,
            )
    except services.ImportRefused as exc:
        return _preview(request, upload, target, exc.result, error=str(exc))
    except ServiceError as exc:
        return _upload_page(request, ImportUploadForm(), str(exc))
    uploads.discard_upload(upload)
    counts = outcome.result.counts
    messages.success(
        request,
        _("导入完成：新增 %(new)d 项，更新 %(update)d 项，未变 %(same)d 项")
        % {"new": counts["new"], "update": counts["update"], "same": counts["unchanged"]},
    )
    if len(outcome.batches) > 1:  # rows went to several plans (the file's 所属方案 column)
        return redirect("ledger:item_list")
    return redirect(f"{reverse('ledger:item_list')}?plan={outcome.batch.plan_id}")


def _retitled(form: ImportConfirmForm, upload: uploads.Upload) -> ImportConfirmForm:
    """The confirmation form aimed at a new plan named by the document's title (the plan of that name
    when it exists), in the chosen plan's year when the title gives none."""
    with upload.open() as source:
        name, year = plan_identity(source, max_bytes=settings.GANDANG_IMPORT_MAX_BYTES)
    data = QueryDict(mutable=True)
    data.update(form.data)
    for key in ("plan", "plans_from_file"):
        data.pop(key, None)
    data["into"] = "new"
    data["new_plan_name"] = name
    data["new_plan_year"] = str(year or form.plan_year() or "")
    return ImportConfirmForm(data)


@require_GET
def import_template(request: AuthedHttpRequest) -> HttpResponseBase:
    require_office(request.user)
    return _xlsx_response(Item.objects.none(), _("改革台账导入模板"), _("改革台账导入模板.xlsx"))


def _filtered(request: AuthedHttpRequest) -> tuple[QuerySet[Item], dict[str, Any]]:
    """Exactly the items the list page shows for the same query string."""
    form = ItemFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    return selectors.item_list(request.user, filters), filters


@require_GET
def export_xlsx(request: AuthedHttpRequest) -> HttpResponseBase:
    items, filters = _filtered(request)
    plan = filters.get("plan")
    title = exporter.export_title(str(plan) if plan else "")
    stamp = clock.today().strftime("%Y%m%d")
    return _xlsx_response(items, title, f"改革台账-{stamp}.xlsx")


def _xlsx_response(items: QuerySet[Item], title: str, filename: str) -> FileResponse:
    buf = io.BytesIO()
    exporter.write_xlsx(items, buf, title=title)
    buf.seek(0)
    return FileResponse(buf, as_attachment=True, filename=filename, content_type=exporter.XLSX_MIME)


@require_GET
def export_json(request: AuthedHttpRequest) -> HttpResponseBase:
    items, _filters = _filtered(request)
    body = json.dumps(exporter.to_json(items), ensure_ascii=False, indent=1).encode()
    stamp = clock.today().strftime("%Y%m%d")
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=f"改革台账-{stamp}.json",
        content_type="application/json; charset=utf-8",
    )
