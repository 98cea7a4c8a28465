"""The sign-in form (with the per-address layer of the lockout) and the administrator's password form."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm, AuthenticationForm
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gandang.accounts import policy


def address_blocked_until(ip: str | None):
    """When sign-ins from this address may resume, if it has failed too often lately; else None.

    The account lock (django-axes, per username, whatever the address) is the first layer; this is the
    second: many failures from one address, across any accounts, pause that address too.
    """
    from axes.models import AccessAttempt

    limit = settings.GANDANG_LOGIN_ADDRESS_LIMIT
    if not ip or not limit:
        return None
    window = timedelta(minutes=settings.GANDANG_LOGIN_COOLOFF_MINUTES)
    since = timezone.now() - window
    recent = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
    failures = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
    if failures < limit:
        return None
    last = recent.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    return (last or timezone.now()) + window


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _lazy("用户名或密码不正确，请重新输入。连续多次失败后账号将被暂时锁定。"),
    }

    def clean(self):
        from axes.helpers import get_client_ip_address

        until = address_blocked_until(get_client_ip_address(self.request)) if self.request else None
        if until is not None:
            raise forms.ValidationError(
                _("该地址登录失败次数过多，已暂停登录，请于%(t)s后再试，或联系安全管理员。")
                % {"t": timezone.localtime(until).strftime("%H:%M")},
                code="address_blocked",
            )
        return super().clean()


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """An administrator sets a person's password: its owner must change it at the next sign-in."""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            policy.password_set(user, by_admin=True)
        return user
