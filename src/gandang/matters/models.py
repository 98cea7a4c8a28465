"""Work that arrives from outside the ledger: a tracked matter (督办事项) and the leaders' instructions
(领导批示) that feed it.

A matter is the one shape of such work, whatever its source: a directive instruction today, a meeting's
decision (议定事项) or a consultation's suggestion (协商建议) later. It names its source kind and points
to the source record through a nullable foreign key per kind (`instruction` now; `decision`,
`suggestion` beside it later), so every source keeps its own table and the matter its one flow.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core import clock
from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.documents.models import DocumentKind
from gandang.ledger.models import Item
from gandang.org.models import Leader, Unit


class Source(models.TextChoices):
    """Where a matter comes from."""

    INSTRUCTION = "instruction", pgettext_lazy("matter source", "领导批示")  # one, as the others read
    DECISION = "decision", _("会议议定事项")
    # A sit-in observer's comment at a meeting (gandang.matters.meeting_services.comment_assign): answered
    # like a consultation's suggestion, but counted and listed apart from the consultations'.
    OBSERVER = "observer", _("列席旁听意见")
    SUGGESTION = "suggestion", _("协商建议")


class Outcome(models.TextChoices):
    """What became of a consultation's suggestion, as the unit answers it."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    REFERENCE = "reference", _("留作参考")


class Instruction(models.Model):
    """A leader's instruction (批示): recorded by the office from paper or a scan, or written in Gandang by a
    city leader. A directive (指示性) is tracked as a matter; a praise (肯定性) counts as an achievement."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("中央领导")
        PROVINCE = "province", _("省级领导")
        CITY = "city", _("市级领导")

    class Kind(models.TextChoices):
        PRAISE = "praise", _("肯定性批示")
        DIRECTIVE = "directive", _("指示性批示")

    # A city leader of the org (who may also have written it in Gandang); a provincial or central leader
    # is named by `leader_name` and `leader_title` alone.
    leader = models.ForeignKey(
        Leader,
        verbose_name=_("市级领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    leader_name = models.CharField(_("批示领导"), max_length=50)
    leader_title = models.CharField(_("领导职务"), max_length=100, blank=True)
    level = models.CharField(_("批示层级"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("批示类型"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"), max_length=2000)
    items = models.ManyToManyField(
        Item, verbose_name=_("相关改革事项"), blank=True, related_name="instructions"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("相关单位"), blank=True, related_name="instructions")
    # Whether a leader wrote it in Gandang (on an item's page) rather than the office recording it.
    written_online = models.BooleanField(_("网上批示"), default=False)
    # A 批示 written on another app's record (a monthly report, a listing, a bulletin, an experience): the
    # record's key in gandang.core.records, its id, and its name when written. No foreign key: those apps
    # sit beside matters or above it, and each owns its key (docs/architecture.md).
    on_record = models.CharField(_("批示对象类别"), max_length=40, blank=True)
    on_record_id = models.PositiveBigIntegerField(_("批示对象编号"), null=True, blank=True)
    on_record_title = models.CharField(_("批示对象"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("录入时间"), auto_now_add=True)

    AUDIT_FIELDS = ["leader_name", "leader_title", "level", "kind", "on", "text", "items", "units"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "领导批示")
        verbose_name_plural = pgettext_lazy("model name, plural", "领导批示")
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["kind", "level", "on"]),
            models.Index(fields=["on_record", "on_record_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.leader_label} {self.on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("matters:instruction_detail", args=[self.pk])

    @property
    def leader_label(self) -> str:
        return f"{self.leader_title}{self.leader_name}" if self.leader_title else self.leader_name

    @property
    def on_record_url(self) -> str:
        """The page of the record the 批示 was written on (gandang.core.records), or ""."""
        from gandang.core import records

        r = records.get(self.on_record) if self.on_record else None
        return r.url(self.on_record_id) if r is not None and self.on_record_id else ""


class InstructionScan(AttachmentBase):
    """The scan of an instruction received on paper; served only through the instruction's gate."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(upload_to="instructions/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "批示扫描件")
        verbose_name_plural = pgettext_lazy("model name, plural", "批示扫描件")


class Matter(models.Model):
    """A tracked matter (督办事项): assigned to a lead unit, answered by its liaison, signed by its head,
    closed by the office (办结) or sent back; or turned into a ledger item (立项)."""

    class State(models.TextChoices):
        # The names the monthly report's sign-off steps expect (dispatch.flow.unit_signoff).
        DRAFT = "draft", _("办理中")
        SUBMITTED = "submitted", _("待签发")
        SIGNED = "signed", _("待办结")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已办结")
        ITEMIZED = "itemized", _("已立项")

    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("领导批示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    # A consultation's suggestion (协商建议) is answered by one matter (gandang.matters.consult).
    suggestion = models.OneToOneField(
        "matters.Suggestion",
        verbose_name=_("意见建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter",
    )
    decision = models.ForeignKey(
        "matters.Decision",
        verbose_name=_("会议议定事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    # Who or what it came from, as shown ("省委书记林武", "市委深改委第三次会议").
    origin = models.CharField(_("交办来源"), max_length=150)
    title = models.CharField(_("事项名称"), max_length=200)
    text = models.TextField(_("督办要求"), max_length=2000)
    unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="matters"
    )
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="co_matters")
    items = models.ManyToManyField(Item, verbose_name=_("相关改革事项"), blank=True, related_name="matters")
    deadline = models.DateField(_("办理时限"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    answer = models.TextField(_("办理情况"), blank=True, max_length=4000)
    # A suggestion's answer says whether it was taken up, and why (required to submit one).
    outcome = models.CharField(_("采纳情况"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("采纳理由"), max_length=1000, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    close_note = models.CharField(_("办结意见"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("报送改革办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # 立项: the ledger item the matter became, which then lives in the monthly dispatch.
    created_item = models.OneToOneField(
        Item,
        verbose_name=_("立项事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_matter",
    )
    # The calendar's marks: the first day it was found past its deadline, the last day the unit was told.
    overdue_since = models.DateField(_("逾期日期"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催办日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("交办时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = [
        "title", "text", "unit", "co_units", "deadline", "state", "answer", "outcome", "outcome_reason",
        "close_note",
    ]  # fmt: skip
    OPEN_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.SIGNED, State.RETURNED})

    class Meta:
        verbose_name = pgettext_lazy("model name", "督办事项")
        verbose_name_plural = pgettext_lazy("model name, plural", "督办事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters:matter_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def asks_outcome(self) -> bool:
        """A suggestion's matter — a consultation's, or a sit-in observer's comment — is answered with whether
        it is adopted (采纳/部分采纳/留作参考) and why."""
        return self.source in (Source.SUGGESTION, Source.OBSERVER)

    @property
    def is_overdue(self) -> bool:
        """Past its deadline and not closed (by the local calendar, or the pinned demo day)."""
        return self.is_open and self.deadline < clock.today()


class MatterStep(models.Model):
    """One step of a matter's flow: who, what, when, why."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(max_length=12, choices=Matter.State.choices)
    to_state = models.CharField(max_length=12, choices=Matter.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = StampField(_("时间"), auto_now_add=True)

    REMIND = "remind"  # the calendar's overdue notice, kept beside the steps

    class Meta:
        verbose_name = pgettext_lazy("model name", "督办事项流转记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "督办事项流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_label()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    def get_action_label(self) -> str:
        from gandang.matters.flow import TRANSITIONS

        if self.action == self.REMIND:
            return str(_("逾期催办"))
        if self.action in MatterLetter.Kind.values:  # a letter issued (gandang.matters.letters)
            return str(_("发%(kind)s") % {"kind": MatterLetter.Kind(self.action).label})
        t = TRANSITIONS.get(self.action)
        return str(t.label) if t else self.action


class MatterContribution(models.Model):
    """A co-operating unit's part of the answer (配合单位办理情况), written by its liaison or head while the
    matter is open; the lead unit gathers the parts into its answer, the office reads each beside it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(Unit, verbose_name=_("配合单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("配合办理情况"), max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)

    AUDIT_FIELDS = ["text"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "配合单位办理情况")
        verbose_name_plural = pgettext_lazy("model name, plural", "配合单位办理情况")
        constraints = [
            models.UniqueConstraint(fields=["matter", "unit"], name="matters_one_contribution_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.matter}"


class MatterAttachment(AttachmentBase):
    """Evidence attached to a matter's answer; served only through the matter's gate."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="matters/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "办理附件")
        verbose_name_plural = pgettext_lazy("model name, plural", "办理附件")


class MatterLetter(models.Model):
    """A numbered letter about an overdue matter, as issued (its content frozen as document data): the
    office's 催办函 once the deadline has passed, then a 督办函 when the 催办函's own deadline passes too.

    Numbered in the office's series of the same 文种 as listed supervision's letters (a 催办函 in the 提醒函
    series, a 督办函 in the 督办函 series: `SERIES`), so one 文号 never names two documents.
    """

    class Kind(models.TextChoices):
        URGE = "urge", _("催办函")
        SUPERVISE = "supervise", _("督办函")

    SERIES = {Kind.URGE: DocumentKind.REMINDER, Kind.SUPERVISE: DocumentKind.SUPERVISION}

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文种"), max_length=12, choices=Kind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_number = models.CharField(_("文号"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("主送单位"), on_delete=models.PROTECT, related_name="matter_letters"
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
        verbose_name = pgettext_lazy("model name", "督办事项文书")
        verbose_name_plural = pgettext_lazy("model name, plural", "督办事项文书")
        ordering = ["issued_on", "id"]
        constraints = [
            # One rung of the ladder each: a second click or the tick beside the office issues nothing twice.
            models.UniqueConstraint(fields=["matter", "kind"], name="matter_letter_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("matters:matter_detail", args=[self.matter_id]) + f"#letter-{self.pk}"


# The consultation (协商座谈): its sessions, parties and suggestions, and the reply letters, kept in a
# module of their own.
from gandang.matters.consult_models import Consultation, Party, ReplyLetter, Suggestion  # noqa: E402

# Reform-committee meetings, their topics, observers and decisions (a module of their own).
from gandang.matters.meeting_models import (  # noqa: E402
    Decision,
    Meeting,
    Observer,
    ObserverComment,
    Topic,
    TopicMaterial,
)

__all__ = [
    "Consultation",
    "Decision",
    "Instruction",
    "InstructionScan",
    "Matter",
    "MatterAttachment",
    "MatterStep",
    "Meeting",
    "Observer",
    "ObserverComment",
    "Party",
    "ReplyLetter",
    "Source",
    "Suggestion",
    "Topic",
    "TopicMaterial",
]
