"""Session limits and forced password changes, before any page runs.

Placed before the login gate (gandang.core.unsent.LoginGate): a session that ran out is ended here,
so the gate then treats the request as signed out — a post is kept and shown back after signing in,
a background save is answered 401 — and nothing typed is lost to a timeout.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from gandang.accounts import policy, two_factor
from gandang.accounts.signals import SESSION_SEEN, SESSION_STARTED

# Paths a person may reach before the second factor (and before a forced password change).
BASIC = ("/logout/", "/login/", "/i18n/", "/static/", "/csrf/", "/healthz")
SECOND_FACTOR_OPEN = (*BASIC, "/account/2fa/setup/", "/account/2fa/verify/")
ALWAYS_OPEN = (*BASIC, "/account/password/")


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
                step = self._second_factor(request, user)
                if step is not None:
                    return step
                reason = policy.change_reason(user)
                if reason and not request.path.startswith(ALWAYS_OPEN):
                    return self._send(request, reason, "accounts:password_change")
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # A view hook, so that the refusal reaches the security log's middleware as a 403 (a denial).
        user = getattr(request, "user", None)
        if getattr(user, "is_admin_role", False) and policy.is_business(request.resolver_match):
            return self._refuse_business(request)
        if getattr(user, "is_partner", False) and policy.partner_refused(request.resolver_match):
            return self._refuse(request, _("协同单位读者只能查阅已印发的刊物、通报和已采用的改革信息"))
        return None

    def _refuse_business(self, request: HttpRequest) -> HttpResponse:
        """三权分立: the administrators run the platform and read no business records."""
        return self._refuse(request, _("系统、安全、审计管理员账号不处理改革业务数据（三权分立）"))

    def _refuse(self, request: HttpRequest, msg: str) -> HttpResponse:
        if request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"error": msg}, status=403)
        raise PermissionDenied(msg)

    def _send(self, request: HttpRequest, reason: str, where: str) -> HttpResponse:
        if request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"error": reason}, status=403)
        messages.warning(request, reason)
        return redirect(reverse(where) + "?next=" + request.get_full_path())

    def _second_factor(self, request: HttpRequest, user) -> HttpResponse | None:
        """A person with a second factor verifies it once per session (a remembered browser does it
        for them); a person whose role requires one and has none sets it up first."""
        if user.is_verified() or request.path.startswith(SECOND_FACTOR_OPEN):
            return None
        if two_factor.has_second_factor(user):
            device = two_factor.trusted_device(request)
            if device is not None:
                otp_login(request, device)
                return None
            return self._send(request, _("请输入双因素认证验证码。"), "accounts:two_factor_verify")
        if two_factor.required(user):
            return self._send(
                request, _("您的角色须使用双因素认证，请先完成设置。"), "accounts:two_factor_setup"
            )
        return None

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
        if seen is None or now - seen > policy.refresh_seconds(user):
            # Sliding expiry without a write per page: the session is saved (and its expiry moved on)
            # only once a tenth of its idle lifetime has passed since the last time.
            session[SESSION_SEEN] = now
        return None
