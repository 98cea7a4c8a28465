from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.matters.forms import _Assignment
from gandang.matters.models import Party


def _parties():
    return Party.objects.filter(is_active=True).order_by("sort_order", "id")


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    on = DateField(label=_("召开日期"))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    host = forms.CharField(label=_("主持领导"), max_length=100, required=False)
    parties = forms.ModelMultipleChoiceField(
        label=_("参加党派团体"), queryset=Party.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(
        label=_("参加人员"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["parties"].queryset = _parties()


class VersionForm(forms.Form):
    """An edit form's record version, to refuse overwriting someone else's change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class ConsultationEditForm(ConsultationForm, VersionForm):
    pass


class SuggestionForm(forms.Form):
    party = forms.ModelChoiceField(label=_("党派团体"), queryset=Party.objects.none())
    person = forms.CharField(label=_("提出人"), max_length=50)
    title = forms.CharField(label=_("建议名称"), max_length=200)
    text = forms.CharField(label=_("建议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["party"].queryset = _parties()


class AssignForm(_Assignment):
    """交办: the units and deadline of the matter the suggestion becomes, and the office's requirements."""

    requirements = forms.CharField(
        label=_("办理要求"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可不填；建议内容随交办一并送达"),
    )

    def clean(self):
        data = super().clean()
        self.require_assignment()
        return data


class ReplyForm(forms.Form):
    """The reply letter as drafted from the records, edited by the office before it is numbered."""

    title = forms.CharField(label=_("标题"), max_length=200)
    recipient = forms.CharField(label=_("主送"), max_length=100)
    body = forms.CharField(
        label=_("正文"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每行一段；以“# ”开头的行为一级标题"),
    )
    copy_to = forms.CharField(label=_("抄送"), max_length=200, required=False)
    sent_via = forms.CharField(
        label=_("送达方式"), max_length=50, required=False, help_text=_("如：机要交换、当面送达")
    )
    issued_on = DateField(label=_("发文日期"))


class SuggestionEditForm(SuggestionForm, VersionForm):
    pass
