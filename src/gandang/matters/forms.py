from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.ledger.models import Item, Plan
from gandang.matters.models import Instruction, Matter, MatterContribution, Outcome
from gandang.org.models import Unit


def _units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER).order_by("sort_order", "name")


def _items():
    return Item.objects.filter(is_archived=False).order_by("plan_id", "seq", "code")


class _Assignment(forms.Form):
    """Who answers the matter a directive becomes, and by when."""

    unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=Unit.objects.none(), required=False
    )
    deadline = DateField(label=_("办理时限"), required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()
        self.fields["co_units"].queryset = _units()
        self.fields["co_units"].widget.attrs["size"] = 5

    def require_assignment(self) -> None:
        if not self.cleaned_data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("请选择牵头单位"))
        if not self.cleaned_data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _("请填写办理时限"))


class InstructionForm(_Assignment):
    """The office records an instruction; a directive's matter is assigned in the same form."""

    leader_name = forms.CharField(label=_("批示领导"), max_length=50)
    leader_title = forms.CharField(label=_("领导职务"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("批示层级"), choices=Instruction.Level.choices)
    kind = forms.ChoiceField(label=_("批示类型"), choices=Instruction.Kind.choices)
    on = DateField(label=_("批示日期"))
    text = forms.CharField(label=_("批示内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    items = forms.ModelMultipleChoiceField(
        label=_("相关改革事项"), queryset=Item.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(label=_("相关单位"), queryset=Unit.objects.none(), required=False)
    scan = forms.FileField(label=_("批示扫描件"), required=False)

    field_order = [
        "leader_name", "leader_title", "level", "kind", "on", "text", "items", "units", "scan",
        "unit", "co_units", "deadline",
    ]  # fmt: skip

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["items"].queryset = _items()
        self.fields["units"].queryset = _units()
        self.fields["items"].widget.attrs["size"] = 6
        self.fields["units"].widget.attrs["size"] = 5
        self.fields["unit"].help_text = _("指示性批示必填：批示即转为督办事项，交牵头单位办理")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Instruction.Kind.DIRECTIVE:
            self.require_assignment()
        return data


class ItemInstructionForm(_Assignment):
    """A city leader's 批示 on an item's page: the text, the units and the deadline."""

    text = forms.CharField(label=_("批示内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["text", "unit", "co_units", "deadline"]

    def clean(self):
        data = super().clean()
        self.require_assignment()
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("办理情况"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    # A consultation's suggestion only (dropped for other matters): adopted or not, and why.
    outcome = forms.ChoiceField(
        label=_("采纳情况"), choices=[("", "---------"), *Outcome.choices], required=False
    )
    outcome_reason = forms.CharField(
        label=_("采纳理由"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提交签发前须选择采纳情况并说明理由"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, suggestion: bool = False, **kw):
        super().__init__(*args, **kw)
        if not suggestion:
            del self.fields["outcome"], self.fields["outcome_reason"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("意见不能超过500字")},
    )


class ItemizeForm(forms.Form):
    """立项: the plan the new ledger item goes to, its code and its title."""

    plan = forms.ModelChoiceField(label=_("所属方案"), queryset=Plan.objects.none())
    code = forms.CharField(label=_("事项编号"), max_length=40)
    title = forms.CharField(label=_("事项名称"), max_length=300)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["plan"].queryset = Plan.objects.filter(is_archived=False).order_by("-year", "name")


STATE_CHOICES = [("", _("全部")), *Matter.State.choices]


class ContributionForm(forms.Form):
    """A co-operating unit's part of the answer."""

    text = forms.CharField(
        label=_("配合办理情况"),
        max_length=MatterContribution._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写配合办理情况")},
    )


class LetterForm(forms.Form):
    """A 催办函 or 督办函: its reply deadline (by default the rule's days from today)."""

    deadline = DateField(label=_("答复时限"), required=False)
