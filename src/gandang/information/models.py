"""Reform information (改革信息) and the office's periodical (《XX改革》).

A unit's piece of information goes through the monthly report's sign-off (the liaison drafts, the unit
head signs); the office then edits it, adopts it (采用) or returns it with a reason. Adopted pieces are
compiled, in order, into numbered issues of the periodical (2023年第12期, 总第N期), issued as Word and PDF
through the one document renderer; an issued issue is frozen as document data, and so are its pieces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.achievements.models import Experience
from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.org.models import Unit


class PeriodicalSettings(models.Model):
    """The office's periodical: its name and how many issues it had before Gandang (one row, 配置管理)."""

    name = models.CharField(
        _("刊物名称"), max_length=30, blank=True, help_text=_("如：泰安改革；不填则由发文机关中的市名生成")
    )
    total_before = models.PositiveIntegerField(
        _("此前已出期数"), default=0, help_text=_("启用本平台前刊物已出版的总期数，总期号由此续编")
    )
    copy_to = models.CharField(
        _("报送范围"),
        max_length=300,
        blank=True,
        help_text=_("印在版记上，如：省委改革办，市委、市政府领导同志，各县（市、区）委改革办"),
    )

    AUDIT_FIELDS = ["name", "total_before", "copy_to"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "刊物设置")
        verbose_name_plural = pgettext_lazy("model name, plural", "刊物设置")

    def __str__(self) -> str:
        return str(_("刊物设置"))


class Issue(models.Model):
    """One issue of the periodical: drafted by the office, then issued (numbered and frozen)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        ISSUED = "issued", _("已印发")

    title = models.CharField(_("本期主题"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Given when issued: the year's number (第12期) and the running total (总第150期).
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    total = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    name = models.CharField(_("刊物名称"), max_length=30, blank=True)  # as printed on the issue
    content = models.JSONField(_("内容"), null=True, blank=True)  # the document as issued
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "state", "year", "number", "total", "issued_on"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "刊物期次")
        verbose_name_plural = pgettext_lazy("model name, plural", "刊物期次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="information_issue_number"),
            models.UniqueConstraint(fields=["total"], name="information_issue_total"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("information:issue_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def number_label(self) -> str:
        """2023年第12期（总第150期）, once issued."""
        if self.number is None:
            return ""
        return f"{self.year}年第{self.number}期（总第{self.total}期）"

    @property
    def label(self) -> str:
        if self.number is None:
            return str(_("编辑中的一期：%(title)s") % {"title": self.title or "—"})
        return f"《{self.name}》{self.number_label}"


class Piece(models.Model):
    """A piece of reform information (改革信息) from a unit."""

    class State(models.TextChoices):
        # The names the monthly report's sign-off steps expect (dispatch.flow.unit_signoff).
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待签发")
        SIGNED = "signed", _("待审核")
        RETURNED = "returned", _("已退回")
        ADOPTED = "adopted", _("已采用")
        # Read by the office and kept for reference, not adopted (存档备查); it may still adopt it later.
        FILED = "filed", _("存档未采用")

    unit = models.ForeignKey(
        Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="pieces"
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), max_length=8000)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    # When it first reached the office (signed by the unit): the month it counts as 报送 in.
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    # The issue of the periodical it is printed in, and its place there.
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("刊发期次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pieces",
    )
    position = models.PositiveIntegerField(_("顺序"), default=0)
    # Raised into an experience (经验做法): the link both ways (Experience.source_piece).
    experience = models.OneToOneField(
        Experience,
        verbose_name=_("经验做法"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_piece",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "text", "state", "return_reason", "issue", "position"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "改革信息")
        verbose_name_plural = pgettext_lazy("model name, plural", "改革信息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["issue", "position"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:piece_detail", args=[self.pk])

    @property
    def is_adopted(self) -> bool:
        return self.adopted_at is not None

    @property
    def submitted_on(self):
        return timezone.localdate(self.submitted_at) if self.submitted_at else None


class PieceStep(models.Model):
    """One step of a piece's flow: who, what, when, why."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(max_length=12, choices=Piece.State.choices)
    to_state = models.CharField(max_length=12, choices=Piece.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = StampField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "信息流转记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "信息流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_label()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    def get_action_label(self) -> str:
        from gandang.information.flow import TRANSITIONS

        t = TRANSITIONS.get(self.action)
        return str(t.label) if t else self.action


class PiecePhoto(AttachmentBase):
    """A photo or file sent with a piece; served only through the piece's gate. Pictures (PNG, JPEG) are
    printed with the piece in the periodical."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="information/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "信息图片附件")
        verbose_name_plural = pgettext_lazy("model name, plural", "信息图片附件")

    @property
    def is_picture(self) -> bool:
        return self.content_type in ("image/png", "image/jpeg")


# How long a partner's reader may withdraw a use they recorded; later the office corrects it.
USE_WITHDRAW_HOURS = 24


class PartnerUse(models.Model):
    """A piece used by a partner of the "两办两研" mechanism (市委办公室、市政府办公室、市委政策研究室、市政府
    研究室) in one of its own publications (采用: 《市委信息》第N期, on a day): recorded by the partner's reader,
    counted as a promotion of the piece's unit (信息被两办两研采用). Withdrawn, never deleted: the reader who
    recorded it within USE_WITHDRAW_HOURS, the office at any time with a reason."""

    piece = models.ForeignKey(
        Piece, verbose_name=_("改革信息"), on_delete=models.PROTECT, related_name="partner_uses"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("采用单位"), on_delete=models.PROTECT, related_name="partner_uses"
    )
    publication = models.CharField(
        _("采用刊物"), max_length=60, help_text=_("如：市委信息、政务信息、调研参考")
    )
    used_on = models.DateField(_("采用日期"))
    note = models.CharField(_("备注"), max_length=300, blank=True, help_text=_("如：期号、领导批示情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(_("登记时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    AUDIT_FIELDS = ["publication", "used_on", "note", "withdrawn_at", "withdraw_reason"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "两办两研采用")
        verbose_name_plural = pgettext_lazy("model name, plural", "两办两研采用")
        ordering = ["-used_on", "-id"]
        constraints = [
            # A piece counts once per partner publication: recording it again is refused, not doubled.
            models.UniqueConstraint(
                fields=["piece", "unit", "publication"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="information_partner_use_once",
            )
        ]
        indexes = [models.Index(fields=["used_on"])]

    def __str__(self) -> str:
        return f"{self.unit}《{self.publication}》{self.used_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.piece.get_absolute_url() + "#uses"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
