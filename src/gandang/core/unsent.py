"""What a person sent after their session ended is kept, and shown back to them once they sign in.

When a form is posted with an expired session, the login gate would drop the post on the floor.
Instead the posted fields are kept in the new (anonymous) session, which survives the sign-in, and
the page the form was on fills its form with them again (app.js), with a message: nothing is saved
behind the person's back, and nothing they typed is lost. Only the same person gets it back: the
browser carries a signed note of who was signed in, and a different sign-in discards the text.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

SESSION_KEY = "gandang_unsent"
WHO_COOKIE = "gandang_who"
MAX_AGE_SECONDS = 6 * 3600
MAX_CHARS = 500_000
SKIP = {"csrfmiddlewaretoken"}


def _who(request: HttpRequest) -> int | None:
    """The user the browser was last signed in as (a signed cookie; None when absent or forged)."""
    try:
        return int(signing.get_cookie_signer(salt=WHO_COOKIE).unsign(request.COOKIES[WHO_COOKIE]))
    except (KeyError, ValueError, signing.BadSignature):
        return None


def _same_site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.path.startswith("/") and not parts.path.startswith("//"):
        return parts.path
    return None


def keep(request: HttpRequest) -> str:
    """Keep the fields of a post the login gate refused; returns the page to come back to."""
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host()
    page = None
    if referer and urlsplit(referer).netloc == host:
        page = _same_site_path(referer)
    page = page or request.path
    fields = [[k, v] for k, values in request.POST.lists() for v in values if k not in SKIP]
    if sum(len(k) + len(v) for k, v in fields) <= MAX_CHARS and fields:
        request.session[SESSION_KEY] = {
            "page": page,
            "action": request.path,
            "fields": fields,
            "files": bool(request.FILES),
            "who": _who(request),
            "at": time.time(),
        }
    return page


def take(request: HttpRequest) -> dict[str, Any] | None:
    """The kept post for the page now shown, once, if the same person is signed in again."""
    kept = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not kept:
        return None
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return None
    if time.time() - kept.get("at", 0) > MAX_AGE_SECONDS or kept.get("who") not in (None, user.pk):
        del request.session[SESSION_KEY]
        return None
    if kept.get("who") is None or kept.get("page") != request.path:
        # Not known to be this person's, or not this page: left for the page it belongs to (or expiry).
        if kept.get("who") is None:
            del request.session[SESSION_KEY]
        return None
    del request.session[SESSION_KEY]
    return kept


class LoginGate(LoginRequiredMiddleware):
    """Django's login gate, except that it keeps what an expired session posted, and answers a
    page's background request (autosave) with a 401 the page can explain, not a login page."""

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:  # type: ignore[override]
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse(
                {"error": _("登录已过期，内容已保存在本机浏览器；请重新登录后继续，填写的内容不会丢失。")},
                status=401,
            )
        if request.method == "POST":
            page = keep(request)
            from django.contrib import messages

            messages.warning(
                request,
                _(
                    "登录已过期，请重新登录。您刚才填写的内容已保留，登录后将回到原页面并自动填回，请核对后再提交。"
                )
                if request.session.get(SESSION_KEY)
                else _("登录已过期，请重新登录。"),
            )
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(
                page, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
            )
        return super().handle_no_permission(request, view_func)


class WhoMiddleware:
    """Remember in a signed cookie who is signed in, so kept text goes back only to its author."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _who(request) != user.pk:
            response.set_cookie(
                WHO_COOKIE,
                signing.get_cookie_signer(salt=WHO_COOKIE).sign(str(user.pk)),
                max_age=30 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def as_json(kept: dict[str, Any] | None) -> str:
    return json.dumps(kept or {}, ensure_ascii=False)
