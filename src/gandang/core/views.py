from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gandang.core.errors import ServiceError

T = TypeVar("T")


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"ok": True})


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # Our own BadRequest says what was wrong, in the user's language; Django's SuspiciousOperation
    # messages (a forged admin field, an overlong redirect) are for the log, not the page.
    said = isinstance(exception, BadRequest) and str(exception)
    msg = said or _("请求无效，请检查链接或表单后重试")
    return render(request, "core/error.html", {"code": 400, "message": msg}, status=400)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    msg = str(exception) if exception and str(exception) else _("您没有权限执行此操作")
    return render(request, "core/error.html", {"code": 403, "message": msg}, status=403)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (opened before a sign-in elsewhere, or its cookie cleared): say so in
    words and lead back to the form's page, where the browser's kept copy of the text offers itself."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    msg = _("页面已过期，表单未提交。您填写的内容仍保存在本机浏览器：请返回该页面，点“恢复”后再提交。")
    return render(
        request, "core/error.html", {"code": 403, "message": msg, "back": back, "stale": True}, status=403
    )


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(
        request, "core/error.html", {"code": 404, "message": _("页面不存在，或您无权查看")}, status=404
    )


@login_not_required
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A current CSRF token for a page opened before its person signed in again in another window."""
    return JsonResponse({"token": get_token(request)})


def signed_in(request: HttpRequest) -> HttpResponse:
    """Where a sign-in opened from an expired page lands: back to that page, whose work saves itself."""
    return render(request, "core/signed_in.html")


def run_service(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    to: Any = None,
) -> HttpResponse | None:
    """A form's save through a service: when `form` is valid, `call(form.cleaned_data)`; when that
    succeeds, `success` (or `success(result)`) as the message and a redirect to `to` (a URL or a record,
    or `to(result)`; the result itself by default). None when the form is invalid or the service refused
    (its reason is then the form's error): the caller shows the page again, with status 400, and the
    bound form keeps what was typed."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    target: Any = result if to is None else to(result) if callable(to) else to
    return redirect(target)


def attempt(request: HttpRequest, call: Callable[[], T], *, success: str | Callable[[T], str] = "") -> bool:
    """A service step from a button: a refusal becomes the page's error message (False); done, `success`
    (or `success(result)`), when given, its message (True). The caller redirects either way."""
    try:
        result = call()
    except ServiceError as exc:
        messages.error(request, str(exc))
        return False
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return True


def save_or_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    submit: Callable[[T], object],
    *,
    saved: str,
    submitted: Callable[[T], str],
    unsubmitted: str,
) -> HttpResponse | None:
    """保存, or 保存并提交签发 (its button posts then=submit): `save(form.cleaned_data)` as in run_service
    (None when the form is invalid or the save refused, the reason on the form); then, when asked,
    `submit(record)`, the text typed on the page being saved first. Its refusal is the message
    `unsubmitted` (with %(why)s), its success `submitted(record)`; either way back to the record."""
    if not form.is_valid():
        return None
    try:
        record: Any = save(form.cleaned_data)
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None
    if request.POST.get("then") != "submit":
        messages.success(request, saved)
        return redirect(record)
    try:
        submit(record)
    except ServiceError as exc:
        messages.error(request, unsubmitted % {"why": exc})
    else:
        messages.success(request, submitted(record))
    return redirect(record)
