"""What the sign-in controls remember about an account: when its password was set, whether it must
be changed, and the last few passwords (their hashes), so none of them is used again."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountState(models.Model):
    """One row per account. Times here are the machine's real time (django's timezone.now), never the
    demo's pinned business calendar: a password's age and a lock are about the real world."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_state",
        verbose_name=_("用户"),
    )
    password_changed_at = models.DateTimeField(_("密码设置时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("model name", "账号状态")
        verbose_name_plural = pgettext_lazy("model name, plural", "账号状态")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """A password the account had (its hash only)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model name", "密码历史")
        verbose_name_plural = pgettext_lazy("model name, plural", "密码历史")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d}"
