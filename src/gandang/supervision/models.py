"""Listed supervision (挂牌督办): proposals, listings, their letters and the unit's rectification report."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.dispatch.models import Period, Report
from gandang.documents.models import DocumentKind
from gandang.ledger.models import Item
from gandang.org.models import Unit


class Trigger(models.TextChoices):
    """Why the platform proposes listing an item."""

    RED = "red", _("连续严重滞后")
    NO_EFFECT = "no_effect", _("成效不明显")
    MISSING = "missing", _("连续未报送")
    MANUAL = "manual", _("改革办直接挂牌")


class Proposal(models.Model):
    """The platform's suggestion to list an item; the office lists it or dismisses it with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("待研究")
        LISTED = "listed", _("已挂牌")
        DISMISSED = "dismissed", _("不予挂牌")

    item = models.ForeignKey(
        Item, verbose_name=_("改革事项"), on_delete=models.CASCADE, related_name="proposals"
    )
    trigger = models.CharField(_("触发条件"), max_length=12, choices=Trigger.choices)
    # The period that completed the run (e.g. the second red month); one proposal per item, trigger, period.
    period = models.ForeignKey(
        Period, verbose_name=_("调度期"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=300)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_at = StampField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    dismiss_reason = models.CharField(_("不予挂牌理由"), max_length=300, blank=True)

    AUDIT_FIELDS = ["state", "dismiss_reason"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "挂牌建议")
        verbose_name_plural = pgettext_lazy("model name, plural", "挂牌建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "trigger", "period"], name="proposal_unique_trigger"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_trigger_display()}"


class Listing(models.Model):
    """An item listed for supervision, until the office verifies its rectification and delists it."""

    class Level(models.TextChoices):
        OFFICE = "office", _("改革办督办")
        LEADER = "leader", _("市级领导督办")

    class State(models.TextChoices):
        LISTED = "listed", _("督办中")
        DELISTED = "delisted", _("已摘牌")
        REVOKED = "revoked", _("已撤销")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("已发提醒函")
        LETTER = 1, _("已发督办函")
        BULLETIN = 2, _("拟在通报中点名")

    item = models.ForeignKey(
        Item, verbose_name=_("改革事项"), on_delete=models.PROTECT, related_name="listings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="listings"
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="listing"
    )
    trigger = models.CharField(_("挂牌原因类别"), max_length=12, choices=Trigger.choices)
    reason = models.CharField(_("挂牌理由"), max_length=300)
    level = models.CharField(_("督办级别"), max_length=10, choices=Level.choices)
    requirements = models.TextField(_("整改要求"), max_length=2000)
    deadline = models.DateField(_("整改时限"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.LISTED, db_index=True
    )
    escalation = models.PositiveSmallIntegerField(_("升级督办"), choices=Escalation.choices, default=0)
    # The day it was escalated to be named in the bulletin: a past quarter's bulletin names it only if
    # this is on or before the quarter's end.
    named_on = models.DateField(_("列入通报点名日期"), null=True, blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    listed_on = models.DateField(_("挂牌日期"))
    closed_on = models.DateField(_("摘牌/撤销日期"), null=True, blank=True)
    close_note = models.CharField(_("摘牌意见"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["level", "reason", "requirements", "deadline", "state", "escalation", "close_note"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "挂牌督办")
        verbose_name_plural = pgettext_lazy("model name, plural", "挂牌督办")
        ordering = ["-listed_on", "-id"]
        constraints = [
            # At most one open listing per item: listing it twice would send two letters for one problem.
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state="listed"),
                name="listing_one_open_per_item",
                violation_error_message=_("该事项已在挂牌督办中"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.item.title}（{self.get_level_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("supervision:listing_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.LISTED


class Letter(models.Model):
    """A numbered letter (提醒函, 督办函) as issued: its content is frozen as document data."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_number = models.CharField(_("文号"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("主送单位"), on_delete=models.PROTECT, related_name="letters"
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("内容"))
    deadline = models.DateField(_("答复时限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("发文日期"))
    created_at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["doc_number", "title", "deadline"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "督办文书")
        verbose_name_plural = pgettext_lazy("model name, plural", "督办文书")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="letter_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:listing_detail", args=[self.listing_id]) + f"#letter-{self.pk}"


class Rectification(models.Model):
    """The unit's rectification report (整改报告): drafted by the liaison, signed by the head, verified by the office."""

    State = Report.State

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="rectification")
    unit = models.ForeignKey(Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=12, choices=Report.State.choices, default=Report.State.DRAFT
    )
    causes = models.TextField(_("问题原因"), blank=True, max_length=2000)
    measures = models.TextField(_("整改措施及成效"), blank=True, max_length=4000)
    next_steps = models.TextField(_("下步安排"), blank=True, max_length=2000)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("报送改革办时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("核验通过时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = StampField(auto_now=True)

    AUDIT_FIELDS = ["state", "causes", "measures", "next_steps"]
    TEXT_FIELDS = ["causes", "measures", "next_steps"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "整改报告")
        verbose_name_plural = pgettext_lazy("model name, plural", "整改报告")

    def __str__(self) -> str:
        return f"{self.listing.item.code} 整改报告"

    def get_absolute_url(self) -> str:
        return reverse("supervision:listing_detail", args=[self.listing_id]) + "#rectification"


class RectificationStep(models.Model):
    """One step of a rectification report's flow: who, what, when, why."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(max_length=12, choices=Report.State.choices)
    to_state = models.CharField(max_length=12, choices=Report.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = StampField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "整改流转记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "整改流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_label()} {self.at:%Y-%m-%d %H:%M}"

    def get_action_label(self) -> str:
        from gandang.supervision.flow import TRANSITIONS

        t = TRANSITIONS.get(self.action)
        return str(t.label) if t else self.action


class RectificationAttachment(AttachmentBase):
    """Evidence attached to a rectification report; served only through the listing's gate."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="rectifications/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "整改附件")
        verbose_name_plural = pgettext_lazy("model name, plural", "整改附件")
