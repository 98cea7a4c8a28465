import json

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandang.core import clock
from gandang.core.forms import DateField, QuickHiddenInput, QuickNumberInput, QuickTextarea
from gandang.dispatch.models import Period, Report
from gandang.dispatch.services import default_deadline, plan_deadline
from gandang.ledger import cycles
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan

_REPORT_LABELS: dict[tuple[str | None, bool], dict[str, str]] = {}


def _report_labels(monthly: bool) -> dict[str, str]:
    """ReportForm's labels in the active language, worded once per language: a page shows twenty of
    these forms, and a label worded afresh (translated, then capitalized) costs more than its input. A
    plan's quarterly (half-yearly, yearly) period's report is of 本期, not 本月."""
    key = (get_language(), monthly)
    labels = _REPORT_LABELS.get(key)
    if labels is None:
        fields = ReportForm.base_fields
        labels = {name: str(f.label) for name, f in fields.items() if f.label is not None}
        if not monthly:
            labels["progress"] = str(_("本期进展"))
        _REPORT_LABELS[key] = labels
    return labels


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        monthly = not self.instance.period_id or self.instance.period.is_monthly
        for name, label in _report_labels(monthly).items():
            self.fields[name].label = label

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
    plan = forms.ModelChoiceField(
        label=_("报送方案"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("全市月调度（按月报送的方案）"),
    )

    class Meta:
        model = Period
        fields = ["year", "month", "plan", "deadline"]
        field_classes = {"deadline": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only plans with a cycle of their own have periods of their own; monthly plans report in the month.
        self.fields["plan"].queryset = (
            Plan.objects.filter(is_archived=False).exclude(cycle=Cycle.MONTHLY).order_by("-year", "name")
        )
        self.fields["month"].help_text = _("按季度、半年或年报送的方案，填该期的最后一个月（如一季度填3）")
        # The deadline box follows the chosen plan and month (app.js): a plan's span is due on the plan's
        # own day for it (一季度 4月25日), the city's month on the city's day. Left blank, the same.
        deadline = self.fields["deadline"]
        deadline.required = False
        deadline.help_text = _("选择方案和月份后自动填入该期的报送截止日；不填按该期的截止日")
        own = {
            str(plan.pk): {
                str(end): cycles.deadline_of(plan.cycle, plan.deadlines, 2001, end).strftime("%m-%d")
                for end in cycles.SPAN_ENDS[plan.cycle]
            }
            for plan in self.fields["plan"].queryset.only("pk", "cycle", "deadlines")
        }
        deadline.widget.attrs["data-plan-deadlines"] = json.dumps(own, separators=(",", ":"))
        deadline.widget.attrs["data-city-day"] = str(
            min(getattr(settings, "GANDANG_REPORT_DEADLINE_DAY", 25), 28)
        )

    def clean(self):
        data = super().clean()
        month, deadline, year = data.get("month"), data.get("deadline"), data.get("year")
        plan = data.get("plan")
        if month is not None and not 1 <= month <= 12:
            self.add_error("month", _("月份应在1到12之间"))
            return data
        first = month
        if plan is not None and month is not None:
            if month not in cycles.SPAN_ENDS[plan.cycle]:
                ends = "、".join(str(m) for m in cycles.SPAN_ENDS[plan.cycle])
                self.add_error(
                    "month",
                    _("“%(plan)s”%(cycle)s报送，月份应为各期最后一个月（%(ends)s）")
                    % {"plan": plan.name, "cycle": plan.get_cycle_display(), "ends": ends},
                )
                return data
            first = cycles.span_first_month(plan.cycle, month)
        if deadline and year and first and (deadline.year, deadline.month) < (year, first):
            self.add_error(
                "deadline", _("截止日期不能早于该月") if plan is None else _("截止日期不能早于该期")
            )
            return data
        if year and month and not self.errors:
            # Opened past its deadline, every report would be marked missing at once and no unit told it
            # opened (the tick leaves such a period to the office for this reason): a later day is asked for.
            due = deadline or (plan_deadline(plan, year, month) if plan else default_deadline(year, month))
            if due < clock.today():
                self.add_error(
                    "deadline",
                    _("报送截止日期%(day)s已过：开启后全部报告会立即记为未报送，请填写今天以后的截止日期")
                    % {"day": date_format(due, "Y年n月j日")},
                )
        return data


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("本单位工作情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("请填写本单位工作情况")},
    )


class NoEffectForm(forms.Form):
    flag = forms.BooleanField(label=_("成效不明显"), required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)
