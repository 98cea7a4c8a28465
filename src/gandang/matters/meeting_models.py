"""Reform-committee meetings (深改委会议) with their topics (议题), sit-in observers (列席旁听), minutes
(纪要) and decisions (议定事项).

A decision is tracked to closure as a matter (`Matter.decision`, source 会议议定事项) or becomes a ledger
item (`Decision.created_item`, 立项) that then lives in the monthly dispatch. An observer's comment can be
assigned to units as a matter too (`ObserverComment.matter`), answered like a consultation suggestion.
Imported by `gandang.matters.models`, so these are models of the matters app.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.ledger.models import Item
from gandang.org.models import Leader, Unit


class Meeting(models.Model):
    """第N次会议 of the city's reform committee: prepared (筹备), held (已召开), its minutes issued."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        HELD = "held", _("已召开")
        ISSUED = "issued", _("纪要已印发")

    number = models.PositiveIntegerField(_("会议届次"), unique=True)
    title = models.CharField(_("会议名称"), max_length=150)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        Leader, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("出席人员"), max_length=2000, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PREPARING, db_index=True
    )
    minutes = models.TextField(
        _("会议纪要"),
        max_length=20000,
        blank=True,
        help_text=_("每行一段；以“# ”开头的行为一级标题，“## ”为二级标题"),
    )
    # The minutes as issued: numbered like the office's letters, frozen as document data.
    doc_year = models.PositiveIntegerField(null=True, blank=True)
    doc_seq = models.PositiveIntegerField(null=True, blank=True)
    doc_number = models.CharField(_("纪要文号"), max_length=50, blank=True)
    doc_content = models.JSONField(null=True, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = [
        "number",
        "title",
        "held_on",
        "place",
        "chair",
        "attendees",
        "state",
        "minutes",
        "doc_number",
    ]

    class Meta:
        verbose_name = pgettext_lazy("model name", "深改委会议")
        verbose_name_plural = pgettext_lazy("model name, plural", "深改委会议")
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters:meeting_detail", args=[self.pk])


class Topic(models.Model):
    """An agenda topic (议题): proposed by a unit (with its materials) or by the office, reviewed by the
    office, placed on the agenda in order."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        ACCEPTED = "accepted", _("已列入议程")
        RETURNED = "returned", _("已退回")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("议题名称"), max_length=200)
    summary = models.TextField(_("议题说明"), max_length=4000, blank=True)
    # The proposing unit; none when the office puts the topic on itself.
    unit = models.ForeignKey(
        Unit, verbose_name=_("提报单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("议程顺序"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("提报时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "summary", "state", "return_reason", "order"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "会议议题")
        verbose_name_plural = pgettext_lazy("model name, plural", "会议议题")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters:topic_detail", args=[self.pk])


class TopicMaterial(AttachmentBase):
    """A topic's material (汇报材料); served only through the topic's gate."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="meetings/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "议题材料")
        verbose_name_plural = pgettext_lazy("model name, plural", "议题材料")


class Observer(models.Model):
    """A sit-in observer (列席/旁听): invited, confirmed, and recorded present (or absent) by the office."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("列席单位")
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")
        ENTERPRISE = "enterprise", _("企业代表")
        CITIZEN = "citizen", _("群众代表")
        EXPERT = "expert", _("专家学者")

    class State(models.TextChoices):
        INVITED = "invited", _("已邀请")
        CONFIRMED = "confirmed", _("已确认")
        PRESENT = "present", _("已到会")
        ABSENT = "absent", _("未到会")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="observers")
    kind = models.CharField(_("列席类别"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("姓名或单位"), max_length=100)
    affiliation = models.CharField(_("单位及职务"), max_length=150, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.INVITED)
    created_at = StampField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["kind", "name", "affiliation", "state"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "列席旁听人员")
        verbose_name_plural = pgettext_lazy("model name, plural", "列席旁听人员")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class ObserverComment(models.Model):
    """An observer's comment at the meeting (列席意见), which the office may assign to units as a matter."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="comments")
    observer = models.ForeignKey(Observer, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(_("意见建议"), max_length=2000)
    matter = models.OneToOneField(
        "matters.Matter",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observer_comment",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["text", "matter"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "列席意见")
        verbose_name_plural = pgettext_lazy("model name, plural", "列席意见")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.observer.name}：{self.text[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("matters:meeting_detail", args=[self.meeting_id]) + f"#comment-{self.pk}"


class Decision(models.Model):
    """A decision of the meeting (议定事项): its text, lead and co-units, deadline; the office turns it into
    a tracked matter (`matters`) or a ledger item (`created_item`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("议定事项"), max_length=2000)
    unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="meeting_decisions"
    )
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="+")
    deadline = models.DateField(_("完成时限"))
    created_item = models.OneToOneField(
        Item,
        verbose_name=_("立项事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_decision",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["text", "unit", "co_units", "deadline", "created_item"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "议定事项")
        verbose_name_plural = pgettext_lazy("model name, plural", "议定事项")
        ordering = ["meeting_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="decision_unique_seq")]

    def __str__(self) -> str:
        return f"{self.meeting.title}议定事项{self.seq}"

    def get_absolute_url(self) -> str:
        return reverse("matters:meeting_detail", args=[self.meeting_id]) + f"#decision-{self.pk}"

    @property
    def matter(self):
        """The matter tracking this decision, if any (from `matters`, prefetched by the selectors)."""
        found = list(self.matters.all())
        return found[0] if found else None

    @property
    def is_open(self) -> bool:
        """Not yet dispatched, or its matter not closed, or its ledger item not done."""
        item = self.created_item
        if item is not None:
            return item.status != "done"
        m = self.matter
        return m is None or m.is_open
