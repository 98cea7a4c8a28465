import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    REMINDER = "reminder", _("提醒函")
    SUPERVISION = "supervision", _("督办函")
    BULLETIN = "bulletin", _("通报")
    ASSESSMENT = "assessment", _("考核结果通报")
    REPLY = "reply", _("答复函")


PLACEHOLDER = re.compile(r"\{(\w+)\}")


class DocumentSequence(models.Model):
    """The last document number issued for a kind in a year; advanced only by services.number_next."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model name", "发文字号序列")
        verbose_name_plural = pgettext_lazy("model name, plural", "发文字号序列")
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
        max_length=10000,
        help_text=_(
            "每行一段；以“# ”开头的行为一级标题，“## ”为二级标题。可用占位符：{unit} {item} {code} "
            "{period} {reason} {level} {requirements} {deadline} {reply_deadline} {issuer} {previous_number}"
        ),
    )

    class Meta:
        verbose_name = pgettext_lazy("model name", "公文模板")
        verbose_name_plural = pgettext_lazy("model name, plural", "公文模板")

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


class DocumentSettings(models.Model):
    """The office's issuing name and document-number prefixes (one row, edited in 配置管理).

    Empty fields fall back to the install's settings (GANDANG_DOCUMENT_ISSUER/PREFIXES) and then to
    neutral defaults; numbers already issued keep the prefix they were issued with.
    """

    issuer = models.CharField(
        _("发文机关"), max_length=100, blank=True, help_text=_("如：中共××市委全面深化改革委员会办公室")
    )
    prefix_reminder = models.CharField(_("提醒函代字"), max_length=20, blank=True, help_text=_("如：泰改提"))
    prefix_supervision = models.CharField(
        _("督办函代字"), max_length=20, blank=True, help_text=_("如：泰改督")
    )
    prefix_bulletin = models.CharField(_("通报代字"), max_length=20, blank=True, help_text=_("如：泰改通"))
    prefix_assessment = models.CharField(
        _("考核通报代字"), max_length=20, blank=True, help_text=_("如：泰改考")
    )

    prefix_reply = models.CharField(_("答复函代字"), max_length=20, blank=True, help_text=_("如：泰改函"))
    prefix_minutes = models.CharField(
        _("会议纪要代字"), max_length=20, blank=True, help_text=_("深改委会议纪要的文号代字，如：泰改纪")
    )

    AUDIT_FIELDS = [
        "issuer", "prefix_reminder", "prefix_supervision", "prefix_bulletin", "prefix_assessment", "prefix_reply",
        "prefix_minutes",
    ]  # fmt: skip

    class Meta:
        verbose_name = pgettext_lazy("model name", "公文设置")
        verbose_name_plural = pgettext_lazy("model name, plural", "公文设置")

    def __str__(self) -> str:
        return str(_("公文设置"))

    def prefixes(self) -> dict[str, str]:
        return {
            kind: value
            for kind, value in {
                "reminder": self.prefix_reminder,
                "supervision": self.prefix_supervision,
                "bulletin": self.prefix_bulletin,
                "assessment": self.prefix_assessment,
                "reply": self.prefix_reply,
                "minutes": self.prefix_minutes,
            }.items()
            if value.strip()
        }
