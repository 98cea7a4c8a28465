from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.fields import StampField


class AuditEntry(models.Model):
    """One change to an official record: who, when, what, and what it was before."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        UPDATE = "update", _("修改")
        ARCHIVE = "archive", _("归档")
        RESTORE = "restore", _("恢复")
        IMPORT = "import", _("导入")
        DELETE = "delete", _("删除")

    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    object_id = models.BigIntegerField(_("记录ID"))
    object_repr = models.CharField(_("对象"), max_length=300)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    # {"field": [before, after]}; values are display strings so old entries stay readable.
    changes = models.JSONField(_("变更"), default=dict)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    # The record on whose page this entry also shows ("ledger.item:12" for a milestone of item 12).
    scope = models.CharField(_("所属记录"), max_length=60, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = StampField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "变更记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "变更记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class Lock(models.Model):
    """A named lock held until `expires_at` (see gandang.core.locks): one row per name."""

    name = models.CharField(max_length=100, unique=True)
    owner = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("model name", "运行锁")
        verbose_name_plural = pgettext_lazy("model name, plural", "运行锁")

    def __str__(self) -> str:
        return self.name
