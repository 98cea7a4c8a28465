from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.achievements.models import Experience, Honor, Outlet, Pilot, PromotionLevel
from gandang.core.forms import DateField
from gandang.ledger.models import Item
from gandang.org.models import Unit


def _units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER).order_by("sort_order", "name")


def _items():
    return Item.objects.filter(is_archived=False).order_by("plan_id", "seq", "code")


class YearField(forms.IntegerField):
    def __init__(self, **kw):
        super().__init__(label=_("年度"), required=False, min_value=2000, max_value=2100, **kw)


class RangeFields(forms.Form):
    """A date range a fact sheet's figures link with (起止日期): a promotion's, a pilot's or an honor's date."""

    start = DateField(label=_("起始日期"), required=False)
    end = DateField(label=_("截止日期"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return data


class ExperienceFilterForm(RangeFields):
    q = forms.CharField(label=_("关键词"), required=False)
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + Experience.State.choices, required=False
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )
    level = forms.ChoiceField(label=_("刊发层级"), required=False)
    year = YearField()
    # Set by the figure "采用的经验做法": adopted or published, exactly what it counts.
    counted = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()
        self.fields["level"].choices = [("", _("全部"))] + [
            (lv.key, lv.name) for lv in PromotionLevel.objects.filter(is_active=True).order_by("rank")
        ]


class ExperienceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    units = forms.ModelMultipleChoiceField(label=_("报送单位"), queryset=Unit.objects.none())
    items = forms.ModelMultipleChoiceField(
        label=_("关联改革事项"), queryset=Item.objects.none(), required=False
    )

    class Meta:
        model = Experience
        fields = ["title", "summary", "body"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["units"].queryset = _units()
        self.fields["items"].queryset = _items()
        self.fields["units"].widget.attrs["size"] = 6
        self.fields["items"].widget.attrs["size"] = 6


class PromotionForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("刊发载体"), queryset=Outlet.objects.none())
    on = DateField(label=_("刊发日期"))
    reference = forms.CharField(label=_("期号/链接"), required=False, max_length=300)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
    scan = forms.FileField(label=_("刊发件扫描"), required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["outlet"].queryset = Outlet.objects.filter(is_active=True).select_related("level")
        self.fields["outlet"].label_from_instance = lambda o: f"{o.name}（{o.level}）"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("理由不能超过500字")},
    )


class PilotForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("关联改革事项"), queryset=Item.objects.none(), required=False
    )

    class Meta:
        model = Pilot
        fields = ["name", "level", "granted_by", "lead_unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["lead_unit"].queryset = _units()
        self.fields["items"].queryset = _items()
        self.fields["items"].widget.attrs["size"] = 6


class PilotCreateForm(PilotForm):
    state = forms.ChoiceField(
        label=_("当前阶段"),
        choices=[
            (Pilot.State.APPLIED, Pilot.State.APPLIED.label),
            (Pilot.State.UNDERTAKEN, Pilot.State.UNDERTAKEN.label),
        ],
    )
    on = DateField(label=_("申报/承接日期"))


class PilotStepForm(forms.Form):
    to = forms.ChoiceField(label=_("变为"), choices=Pilot.State.choices)
    on = DateField(label=_("日期"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
    document = forms.FileField(label=_("文件"), required=False)


class PilotFilterForm(RangeFields):
    level = forms.ChoiceField(
        label=_("层级"), choices=[("", _("全部"))] + Pilot.PilotLevel.choices, required=False
    )
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + Pilot.State.choices, required=False
    )
    unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )
    # Set by the figures' links: a four-digit year or "any"; anything else is ignored.
    undertaken = forms.CharField(required=False, widget=forms.HiddenInput)
    passed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()

    @staticmethod
    def _year_or_any(value: str) -> str:
        value = (value or "").strip()
        if value == "any" or (len(value) == 4 and value.isascii() and value.isdigit()):
            return value
        return ""

    def clean_undertaken(self) -> str:
        return self._year_or_any(self.cleaned_data.get("undertaken", ""))

    def clean_passed(self) -> str:
        return self._year_or_any(self.cleaned_data.get("passed", ""))


class HonorForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        label=_("关联改革事项"), queryset=Item.objects.none(), required=False
    )
    on = DateField(label=_("获得日期"))
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)

    class Meta:
        model = Honor
        fields = ["name", "level", "unit", "granted_by", "note"]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()
        self.fields["items"].queryset = _items()
        self.fields["items"].widget.attrs["size"] = 5


class HonorFilterForm(RangeFields):
    level = forms.ChoiceField(
        label=_("层级"), choices=[("", _("全部"))] + Honor.HonorLevel.choices, required=False
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )
    year = YearField()

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()


class StatsForm(forms.Form):
    year = YearField()
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = _units()
