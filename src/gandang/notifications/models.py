from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.fields import StampField


class Notification(models.Model):
    """A notice to one person, shown under the bell; `key` makes sending the same notice twice a no-op."""

    class Kind(models.TextChoices):
        PERIOD_OPENED = "period_opened", _("开始填报")
        REMINDER = "reminder", _("报送提醒")
        MISSING = "missing", _("逾期未报")
        SUMMARY = "summary", _("报送情况")
        TO_SIGN = "to_sign", _("待签发")
        RETURNED = "returned", _("报告退回")
        SUPERVISION = "supervision", _("挂牌督办")
        # A tracked matter's life (交办, 办理情况, 办结, 退回), its overdue reminders and letters (催办函,
        # 督办函), and a reform-committee meeting's topics, minutes and decisions (gandang.matters).
        MATTER = "matter", pgettext_lazy("notification kind", "督办事项")
        URGE = "urge", pgettext_lazy("notification kind", "催办")
        MEETING = "meeting", _("会议")
        # A piece of reform information reaching the office, adopted, kept on file or used by a partner
        # of the "两办两研" mechanism (gandang.information).
        INFORMATION = "information", pgettext_lazy("notification kind", "改革信息")
        OTHER = "other", _("其他")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)  # a path on this site
    # Who-what-when of the notice ("remind:2023-10:d3:unit12"), unique per person.
    key = models.CharField(max_length=200)
    created_at = StampField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "通知")
        verbose_name_plural = pgettext_lazy("model name, plural", "通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_user_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """The outbox: one notice to send by e-mail or webhook, kept and retried until it goes or gives up."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("工作群")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "通知发送")
        verbose_name_plural = pgettext_lazy("model name, plural", "通知发送")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique_channel")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_state_display()}"
