from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.ledger.models import Plan
from gandang.matters.forms import _Assignment
from gandang.matters.meeting_models import Observer
from gandang.org.models import Leader


class MeetingForm(forms.Form):
    number = forms.IntegerField(label=_("会议届次"), min_value=1, max_value=999, help_text=_("第几次会议"))
    title = forms.CharField(
        label=_("会议名称"),
        max_length=150,
        required=False,
        help_text=_("不填则为“市委全面深化改革委员会第N次会议”"),
    )
    held_on = DateField(label=_("会议日期"))
    place = forms.CharField(label=_("会议地点"), max_length=100, required=False)
    chair = forms.ModelChoiceField(label=_("主持人"), queryset=Leader.objects.none(), required=False)
    attendees = forms.CharField(
        label=_("出席人员"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["chair"].queryset = Leader.objects.filter(is_active=True).order_by("sort_order", "name")


class TopicForm(forms.Form):
    title = forms.CharField(label=_("议题名称"), max_length=200)
    summary = forms.CharField(
        label=_("议题说明"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False)


class ObserverForm(forms.Form):
    kind = forms.ChoiceField(label=_("列席类别"), choices=Observer.Kind.choices)
    name = forms.CharField(label=_("姓名或单位"), max_length=100)
    affiliation = forms.CharField(label=_("单位及职务"), max_length=150, required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("意见建议"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每行一段；以“# ”开头的行为一级标题，“## ”为二级标题。议定事项印发时自动列于纪要之后。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class DecisionForm(_Assignment):
    text = forms.CharField(label=_("议定事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["text", "unit", "co_units", "deadline"]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["deadline"].label = _("完成时限")

    def clean(self):
        data = super().clean()
        self.require_assignment()
        return data


class AssignForm(_Assignment):
    """An observer's comment assigned to units as a matter."""

    def clean(self):
        data = super().clean()
        self.require_assignment()
        return data


class DecisionItemizeForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("所属方案"), queryset=Plan.objects.none())
    code = forms.CharField(label=_("事项编号"), max_length=40)
    title = forms.CharField(label=_("事项名称"), max_length=300)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["plan"].queryset = Plan.objects.filter(is_archived=False).order_by("-year", "name")
