from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.supervision.models import Listing, Rectification


class ListingForm(forms.Form):
    level = forms.ChoiceField(label=_("督办级别"), choices=Listing.Level.choices)
    reason = forms.CharField(label=_("挂牌理由"), max_length=300)
    requirements = forms.CharField(
        label=_("整改要求"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("写入提醒函“整改要求”一节"),
    )
    deadline = DateField(label=_("整改时限"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("理由不能超过500字")},
    )


class EscalateForm(forms.Form):
    """The escalation level the page showed: a second click, or one after the tick, changes nothing."""

    escalation = forms.TypedChoiceField(
        choices=Listing.Escalation.choices, coerce=int, widget=forms.HiddenInput
    )


class RectificationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Rectification
        fields = ["causes", "measures", "next_steps"]
        widgets = {
            "causes": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class ExtendForm(forms.Form):
    deadline = DateField(label=_("新的整改时限"))
    reason = forms.CharField(
        label=_("理由"), max_length=300, error_messages={"max_length": _("理由不能超过300字")}
    )
