"""The consultation (协商座谈): a session where the office hears the democratic parties and people without
party affiliation, each suggestion (意见建议) heard there, and the formal reply letter (答复函) the office
sends the party once the suggestion has been handled.

A suggestion assigned to units becomes a tracked matter (`Matter.suggestion`, source 协商建议): the unit
answers it through the matter's own flow, saying whether it was adopted (`Matter.outcome`). The
suggestion's state is read from its matter and its reply, never stored twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.fields import StampField


class Party(models.Model):
    """A democratic party, the federation of industry and commerce, or the people without party
    affiliation: the list the office configures (配置管理)."""

    name = models.CharField(_("党派团体"), max_length=50, unique=True)
    # Whom a reply letter is addressed to, e.g. 民盟××市委会; empty: the short name.
    full_name = models.CharField(
        _("答复函主送名称"), max_length=100, blank=True, help_text=_("如：民盟××市委会；不填则用简称")
    )
    # People without party affiliation are answered in person, not through an organisation.
    individual = models.BooleanField(_("按个人答复"), default=False, help_text=_("如：无党派人士"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    AUDIT_FIELDS = ["name", "full_name", "individual", "sort_order", "is_active"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "党派团体")
        verbose_name_plural = pgettext_lazy("model name, plural", "党派团体")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A consultation session (协商座谈会): when and where, who hosted it, and the parties heard."""

    title = models.CharField(_("会议名称"), max_length=200)
    on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    host = models.CharField(_("主持领导"), max_length=100, blank=True)
    parties = models.ManyToManyField(Party, verbose_name=_("参加党派团体"), related_name="consultations")
    attendees = models.TextField(_("参加人员"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("录入时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "on", "place", "host", "parties", "attendees"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "协商座谈会")
        verbose_name_plural = pgettext_lazy("model name, plural", "协商座谈会")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters:consultation_detail", args=[self.pk])


class Suggestion(models.Model):
    """A suggestion (意见建议) heard at a consultation, from a party and a person."""

    class State(models.TextChoices):
        RECEIVED = "received", _("待交办")
        HANDLING = "handling", _("办理中")
        HANDLED = "handled", _("待答复")
        REPLIED = "replied", _("已答复")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("协商座谈会"), on_delete=models.PROTECT, related_name="suggestions"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("党派团体"), on_delete=models.PROTECT, related_name="suggestions"
    )
    person = models.CharField(_("提出人"), max_length=50)
    title = models.CharField(_("建议名称"), max_length=200)
    # As long as a matter's 督办要求: the suggestion is what an assigned unit is asked to handle.
    text = models.TextField(_("建议内容"), max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("录入时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["party", "person", "title", "text"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "意见建议")
        verbose_name_plural = pgettext_lazy("model name, plural", "意见建议")
        ordering = ["consultation_id", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters:suggestion_detail", args=[self.pk])

    @property
    def tracked(self):
        """Its matter, or None before it is assigned (read with select_related("matter"))."""
        try:
            return self.matter
        except models.ObjectDoesNotExist:
            return None

    @property
    def letter(self) -> ReplyLetter | None:
        try:
            return self.reply
        except models.ObjectDoesNotExist:
            return None

    @property
    def state(self) -> str:
        """Read from its matter and its reply (selectors.suggestion_state_q is the same rule as a query)."""
        from gandang.matters.models import Matter

        if self.letter is not None:
            return self.State.REPLIED
        m = self.tracked
        if m is None:
            return self.State.RECEIVED
        return self.State.HANDLING if m.state in Matter.OPEN_STATES else self.State.HANDLED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def outcome(self) -> str:
        """The unit's outcome once the office has closed the matter; empty before."""
        from gandang.matters.models import Matter

        m = self.tracked
        return m.outcome if m is not None and m.state == Matter.State.CLOSED else ""

    @property
    def recipient(self) -> str:
        """Whom the reply letter is addressed to."""
        if self.party.individual:
            return f"{self.person}同志"
        return self.party.full_name or self.party.name


class ReplyLetter(models.Model):
    """The numbered reply letter (答复函) to the party, as issued: its content is frozen as document data."""

    suggestion = models.OneToOneField(
        Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT, related_name="reply"
    )
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_number = models.CharField(_("文号"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    recipient = models.CharField(_("主送"), max_length=100)
    content = models.JSONField(_("内容"))
    sent_via = models.CharField(_("送达方式"), max_length=50, blank=True)
    issued_on = models.DateField(_("发文日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["doc_number", "title", "recipient", "sent_via", "issued_on"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "答复函")
        verbose_name_plural = pgettext_lazy("model name, plural", "答复函")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="reply_letter_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("matters:suggestion_detail", args=[self.suggestion_id]) + "#reply"
