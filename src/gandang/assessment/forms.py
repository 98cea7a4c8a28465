from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.assessment.models import Indicator, Objection, ScoreLine
from gandang.core.forms import DateField
from gandang.org.models import Unit


class ComputeForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ManualForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    points = forms.DecimalField(label=_("分值（扣分填负数）"), max_digits=8, decimal_places=2)
    justification = forms.CharField(
        label=_("评定理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        manual = scheme.indicators.filter(rule=Indicator.Rule.MANUAL)
        self.fields["indicator"].queryset = manual
        kinds = {k for i in manual for k in i.unit_kinds}
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True, kind__in=kinds)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废理由"), max_length=300)


class ObjectionForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("对哪一项有异议"),
        queryset=ScoreLine.objects.none(),
        required=False,
        empty_label=_("总分/排名"),
    )
    text = forms.CharField(label=_("异议内容及理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = lambda line: line.indicator_name


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("答复结果"),
        choices=[(s.value, s.label) for s in Objection.State if s != Objection.State.OPEN],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}))
    manual_points = forms.DecimalField(
        label=_("追加评定分值（仅评定加减分类指标，可为负数）"),
        max_digits=8,
        decimal_places=2,
        required=False,
    )
    rerun = forms.BooleanField(label=_("重新计算（原始记录已更正时勾选）"), required=False)


class NoticeForm(forms.Form):
    issued_on = DateField(label=_("印发日期"))


class StandingComputeForm(forms.Form):
    """The office computes (or computes again) the standing of a closed period."""

    period: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("调度期"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择已结束且晾晒尚未发布的调度期")},
    )

    def __init__(self, *args, **kwargs):
        from gandang.dispatch.models import Period

        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = (
            Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED)
            .exclude(standing__state="published")
            .order_by("-year", "-month")
        )


class StandingPublishForm(forms.Form):
    on_showcase = forms.BooleanField(
        label=_("同时在公开专栏展示摘要（各类单位前三名和进步最快的单位）"), required=False
    )


class StandingShowcaseForm(forms.Form):
    on = forms.TypedChoiceField(
        label=_("公开专栏"), choices=[("1", _("展示")), ("0", _("撤下"))], coerce=lambda v: v == "1"
    )
