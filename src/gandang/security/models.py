"""The security log (等保 8.1.4.3): who did what security-relevant thing, from where, when, with what outcome.

Entries are appended by `services.record_event` only. Each carries `hash`, a keyed SM3 digest over all
its fields and `prev_hash` (see `chain.py`), so a changed, removed or inserted entry breaks the chain;
database triggers (migration 0002) refuse UPDATE and DELETE besides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        LOCKOUT = "lockout", _("账号锁定")
        UNLOCK = "unlock", _("解除锁定")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        MFA_CHANGE = "mfa_change", _("双因素认证变更")
        ACCESS_DENIED = "access_denied", _("越权访问被拒绝")
        EXPORT = "export", _("导出/下载正式文件")
        CONFIG_CHANGE = "config_change", _("配置变更")
        AUDIT_VERIFY = "audit_verify", _("审计日志校验")
        AUDIT_EXPORT = "audit_export", _("审计日志导出")
        AUDIT_PURGE = "audit_purge", _("审计日志清理")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    # The position in the chain: 1, 2, 3… without gaps (assigned under the chain lock, in the same
    # transaction as the insert, so a rolled-back event leaves no hole, unlike the id sequence).
    seq = models.BigIntegerField(_("序号"), unique=True)
    # Always the machine's real time (django.utils.timezone.now), never gandang.core.clock: a demo pins
    # the business calendar to 2023-12-05, but a security log must say when things really happened.
    at = models.DateTimeField(_("时间"), db_index=True)
    # PROTECT like the business audit's actor: people are deactivated, never deleted under their log.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)  # as typed, even for no account
    role = models.CharField(_("角色"), max_length=32, blank=True)
    address = models.CharField(_("来源地址"), max_length=45, blank=True)
    kind = models.CharField(_("事件类型"), max_length=32, choices=Kind.choices, db_index=True)
    object = models.CharField(_("对象"), max_length=300, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("model name", "安全审计记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "安全审计记录")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("security events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("security events are append-only")

    @property
    def role_label(self) -> str:
        from gandang.org.models import User

        return str(dict(User.Role.choices).get(self.role, self.role))


class ChainHead(models.Model):
    """The one row (pk=1) that serialises appends and remembers both ends of the chain.

    `last_seq`/`last_hash`: the newest entry, so removing the newest entries shows. `anchor_seq`/
    `anchor_hash`: the last entry a purge removed (0 and the genesis hash before any purge); the oldest
    kept entry chains to it, and the purge's own event, inside the chain, vouches for it. The DELETE
    trigger lets only entries up to `anchor_seq` go, which only `gandang audit purge` moves.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("model name", "审计链头")
        verbose_name_plural = pgettext_lazy("model name, plural", "审计链头")

    def __str__(self) -> str:
        return f"{self.anchor_seq}..{self.last_seq}"
