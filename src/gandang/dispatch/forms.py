from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField, QuickHiddenInput, QuickNumberInput, QuickTextarea
from gandang.dispatch.models import Period, Report


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=QuickHiddenInput)

    class Meta:
        model = Report
        fields = ["progress", "percent", "problems", "next_steps", "coordination"]
        widgets = {
            "progress": QuickTextarea(attrs={"rows": 4}),
            "problems": QuickTextarea(attrs={"rows": 2}),
            "next_steps": QuickTextarea(attrs={"rows": 2}),
            "coordination": QuickTextarea(attrs={"rows": 2}),
            "percent": QuickNumberInput(attrs={"min": 0, "max": 100}),
        }

    def clean_percent(self):
        value = self.cleaned_data.get("percent")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("完成进度应在0到100之间"))
        return value


class StepForm(forms.Form):
    reason = forms.CharField(label=_("原因"), required=False, max_length=500)


class PeriodForm(forms.ModelForm):
    # Bounded like every year the product takes: a year 0 would reach date() and fail the page.
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)

    class Meta:
        model = Period
        fields = ["year", "month", "deadline"]
        field_classes = {"deadline": DateField}

    def clean(self):
        data = super().clean()
        month, deadline, year = data.get("month"), data.get("deadline"), data.get("year")
        if month is not None and not 1 <= month <= 12:
            self.add_error("month", _("月份应在1到12之间"))
        elif deadline and year and month and (deadline.year, deadline.month) < (year, month):
            self.add_error("deadline", _("截止日期不能早于该月"))
        return data


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("配合工作情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class NoEffectForm(forms.Form):
    flag = forms.BooleanField(label=_("成效不明显"), required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)
