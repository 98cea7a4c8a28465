"""The quarterly bulletin (季通报): a draft the office edits, then an issued, numbered, frozen document."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.bulletins.quarter import Quarter
from gandang.core.fields import StampField

QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]


class Bulletin(models.Model):
    """One bulletin of a quarter. A draft stays linked to the records; issuing freezes it for good.

    A mistake in an issued bulletin is corrected by issuing a new one (a new number) that `corrects` it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已印发")

    year = models.PositiveIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=QUARTERS)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # The office's edited text per section key ({"text", "by", "at"}); a key absent is generated from the data.
    sections = models.JSONField(_("已编辑的段落"), default=dict, blank=True)
    # The whole document as issued (documents.structure.document_to_data, charts included); null in a draft.
    content = models.JSONField(_("印发内容"), null=True, blank=True)
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(_("起草时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["state", "doc_number", "title", "issued_on", "corrects"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "季度通报")
        verbose_name_plural = pgettext_lazy("model name, plural", "季度通报")
        ordering = ["-year", "-quarter", "-issued_on", "-id"]
        constraints = [
            # Two drafts of one quarter would be two truths in the making.
            models.UniqueConstraint(
                fields=["year", "quarter"],
                condition=models.Q(state="draft"),
                name="bulletin_one_draft_per_quarter",
                violation_error_message=_("该季度已有通报草稿"),
            ),
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=models.Q(state="issued"),
                name="bulletin_unique_doc_number",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="bulletin_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        label = self.quarter_obj.label
        if self.state == self.State.ISSUED:
            return f"{self.doc_number} {label}通报"
        return f"{label}通报（草稿）"

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", args=[self.pk])

    @property
    def quarter_obj(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED


class FactSheet(models.Model):
    """The fact sheet of a reform press conference (发布会材料): figures drawn from the records for a date
    range, paragraphs the office edits, exported as Word. A working paper: saved drafts, never issued.

    `since` is where the cumulative figures start (the brand's beginning: "自'敢当'改革品牌实施以来").
    """

    title = models.CharField(_("标题"), max_length=200)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    since = models.DateField(_("累计起始日期"))
    # The office's edited text per section key ({"text", "by", "at"}); a key absent is generated from the data.
    sections = models.JSONField(_("已编辑的段落"), default=dict, blank=True)
    # Per figure key, how the text writes it: "exact" (33项) or "rounded" (30余项); absent = the figure's default.
    wording = models.JSONField(_("数字写法"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(_("起草时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "start", "end", "since"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "发布会材料")
        verbose_name_plural = pgettext_lazy("model name, plural", "发布会材料")
        ordering = ["-end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="factsheet_start_le_end"
            ),
            models.CheckConstraint(
                condition=models.Q(since__lte=models.F("end")), name="factsheet_since_le_end"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletins:factsheet_detail", args=[self.pk])
