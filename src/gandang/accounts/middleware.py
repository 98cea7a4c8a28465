"""Session limits and forced password changes, before any page runs.

Placed before the login gate (gandang.core.unsent.LoginGate): a session that ran out is ended here,
so the gate then treats the request as signed out — a post is kept and shown back after signing in,
a background save is answered 401 — and nothing typed is lost to a timeout.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from gandang.accounts import policy
from gandang.accounts.signals import SESSION_SEEN, SESSION_STARTED

# Paths a person who must change their password may still reach.
ALWAYS_OPEN = ("/account/password/", "/logout/", "/login/", "/i18n/", "/static/", "/csrf/", "/healthz")


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._session_ended(request, user)
            if ended:
                logout(request)
                messages.warning(request, ended)
            else:
                reason = policy.change_reason(user)
                if reason and not request.path.startswith(ALWAYS_OPEN):
                    if request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "fetch":
                        return JsonResponse({"error": reason}, status=403)
                    messages.warning(request, reason)
                    return redirect(reverse("accounts:password_change") + "?next=" + request.get_full_path())
        return self.get_response(request)

    def _session_ended(self, request: HttpRequest, user) -> str | None:
        session = request.session
        now = time.time()
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None:  # a session from before these rules: it starts now
            session[SESSION_STARTED] = started = now
        if seen is not None and now - seen > policy.idle_seconds(user):
            return _("长时间未操作，已自动退出登录，请重新登录。")
        if now - started > policy.absolute_seconds():
            return _("本次登录已超过最长使用时间，请重新登录。")
        if seen is None or now - seen > 30:  # written at most twice a minute
            session[SESSION_SEEN] = now
        return None
