from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.information.models import Piece


class PieceForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(
        label=_("正文"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每行一段；图片在保存后作为附件上传"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("本期主题"), max_length=200, required=False, help_text=_("不填则印为“本期要目”")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PublishForm(forms.Form):
    issued_on = forms.DateField(
        label=_("印发日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


STATE_CHOICES = [("", _("全部")), *Piece.State.choices]


class UseForm(forms.Form):
    """采用登记: where a partner of 两办两研 used a piece."""

    publication = forms.CharField(
        label=_("采用刊物"),
        max_length=60,
        help_text=_("本单位的刊物或载体，如：市委信息、政务信息、调研参考"),
        widget=forms.TextInput(attrs={"list": "publications", "autocomplete": "off"}),
    )
    used_on = DateField(label=_("采用日期"))
    note = forms.CharField(
        label=_("备注"), max_length=300, required=False, help_text=_("如：期号、领导批示情况")
    )


class UseCorrectForm(UseForm):
    reason = forms.CharField(label=_("更正原因"), max_length=300)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=300, required=False)
