import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    REMINDER = "reminder", _("提醒函")
    SUPERVISION = "supervision", _("督办函")
    BULLETIN = "bulletin", _("通报")
    ASSESSMENT = "assessment", _("考核结果通报")


PLACEHOLDER = re.compile(r"\{(\w+)\}")


class DocumentSequence(models.Model):
    """The last document number issued for a kind in a year; advanced only by services.number_next."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="documents_sequence_kind_year")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.last}"


class DocumentTemplate(models.Model):
    """The office's wording of a kind of letter, with {placeholders} filled from the records."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    title = models.CharField(_("标题"), max_length=200, help_text=_("可用占位符，如 {item}"))
    body = models.TextField(
        _("正文"),
        help_text=_(
            "每行一段；以“# ”开头的行为一级标题，“## ”为二级标题。可用占位符：{unit} {item} {code} "
            "{period} {reason} {level} {requirements} {deadline} {reply_deadline} {issuer} {previous_number}"
        ),
    )

    class Meta:
        verbose_name = _("公文模板")
        verbose_name_plural = _("公文模板")

    def __str__(self):
        return self.name

    def clean(self):
        from gandang.documents.wording import PLACEHOLDERS

        used = set(PLACEHOLDER.findall(self.title)) | set(PLACEHOLDER.findall(self.body))
        unknown = sorted(used - PLACEHOLDERS)
        if unknown:
            raise ValidationError(
                _("未知的占位符：%(names)s") % {"names": "、".join("{" + u + "}" for u in unknown)}
            )
