"""Everyone's own password page, and the page a locked account sees."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from gandang.accounts import policy
from gandang.accounts import two_factor as two_factor_service


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reason"] = policy.change_reason(self.request.user)
        ctx["password_rules"] = password_validation.password_validators_help_texts()
        ctx["next"] = self._next()
        ctx["has_second_factor"] = two_factor_service.has_second_factor(self.request.user)
        return ctx

    def _next(self) -> str:
        nxt = self.request.POST.get("next") or self.request.GET.get("next") or ""
        ok = url_has_allowed_host_and_scheme(nxt, allowed_hosts={self.request.get_host()})
        return nxt if ok and not nxt.startswith("/account/password/") else ""

    def get_success_url(self) -> str:
        return self._next() or str(self.success_url)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改"))
        return response


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer: why, and until when (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt

    username = get_client_username(request, credentials) or ""
    last = (
        AccessAttempt.objects.filter(username=username)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    until = (last or timezone.now()) + timedelta(minutes=settings.GANDANG_LOGIN_COOLOFF_MINUTES)
    ctx = {
        "username": username,
        "until": timezone.localtime(until),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.GANDANG_LOGIN_COOLOFF_MINUTES,
    }
    return render(request, "core/locked_out.html", ctx, status=429)


# --- the second factor -------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) and not nxt.startswith(
        "/account/2fa/"
    ):
        return nxt
    return ""


def _event(request: HttpRequest, what: str, outcome: str = "success", user=None) -> None:
    from gandang.security.services import Kind, record_event

    record_event(kind=Kind.MFA_CHANGE, outcome=outcome, request=request, user=user, detail={"action": what})


def two_factor(request: HttpRequest) -> HttpResponse:
    """The person's own second factor: status, set up, new recovery codes, switch off (if not required)."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "codes" and two_factor_service.has_second_factor(user):
            codes = two_factor_service.new_recovery_codes(user)
            _event(request, "recovery_codes")
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})
        if action == "off":
            if two_factor_service.required(user):
                messages.error(request, _("您的角色必须使用双因素认证，不能关闭"))
            else:
                two_factor_service.reset(user)
                _event(request, "disabled")
                messages.success(request, _("已关闭双因素认证"))
        return redirect("accounts:two_factor")
    ctx = {
        "device": two_factor_service.authenticator(user),
        "required": two_factor_service.required(user),
    }
    return render(request, "accounts/two_factor.html", ctx)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: scan the QR code (or type the key), then type the code it shows."""
    user = request.user
    device = two_factor_service.start_enrolment(user)
    error = ""
    if request.method == "POST":
        codes = two_factor_service.confirm(user, device, request.POST.get("token", ""))
        if codes is not None:
            otp_login(request, two_factor_service.authenticator(user))
            _event(request, "enrolled")
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)}
            )
        error = _("验证码不正确，请核对手机上显示的6位数字后重试（注意手机时间须准确）")
    ctx = {
        "device": device,
        "qr": two_factor_service.qr_svg(device),
        "secret": two_factor_service.secret(device),
        "error": error,
        "required": two_factor_service.required(user),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", ctx, status=400 if error else 200)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The sign-in's second step: a code from the authenticator, or one recovery code."""
    error = ""
    if request.method == "POST":
        device = two_factor_service.verify(request, request.POST.get("token", ""))
        if device is not None:
            response = redirect(_safe_next(request) or "home")
            if request.POST.get("remember") and settings.GANDANG_2FA_REMEMBER_DAYS:
                response.set_cookie(
                    two_factor_service.TRUSTED_COOKIE,
                    two_factor_service.trusted_cookie_value(request.user, device),
                    max_age=settings.GANDANG_2FA_REMEMBER_DAYS * 86400,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        _event(request, "verify_failed", outcome="failure")
        error = _("验证码不正确或已使用过，请重试")
    ctx = {"error": error, "next": _safe_next(request), "remember_days": settings.GANDANG_2FA_REMEMBER_DAYS}
    return render(request, "accounts/two_factor_verify.html", ctx, status=400 if error else 200)
