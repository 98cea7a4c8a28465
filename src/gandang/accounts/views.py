"""Everyone's own password page, and the page a locked account sees."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gandang.accounts import policy


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reason"] = policy.change_reason(self.request.user)
        ctx["password_rules"] = password_validation.password_validators_help_texts()
        ctx["next"] = self._next()
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
