from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.bulletins.models import QUARTERS
from gandang.core import clock
from gandang.core.forms import DateField
from gandang.dispatch.models import Period
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan


class DashboardFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("方案"),
        queryset=Plan.objects.filter(is_archived=False),
        required=False,
        empty_label=_("全部方案"),
        help_text=_("含其下级方案"),
    )
    period = forms.ModelChoiceField(
        label=_("调度期"),
        # The city's months, and the plans' own periods (2023年第三季度（…）), each shown with its plan.
        queryset=Period.objects.filter(state=Period.State.CLOSED).select_related("plan"),
        required=False,
        empty_label=_("当前"),
        help_text=_("选择已结束的调度期，查看当月的状态快照"),
    )

    def clean(self):
        data = super().clean()
        period, plan = data.get("period"), data.get("plan")
        # A plan's own period snapshots only its plan's items: it is read with that plan chosen.
        if period is not None and period.plan_id is not None and (plan is None or plan.pk != period.plan_id):
            self.add_error(
                "period",
                _("“%(period)s”是该方案按自身周期报送的调度期，请同时选择该方案") % {"period": period},
            )
        # And the city's month holds no snapshot of a plan on its own cycle: its every figure would read 0.
        elif (
            period is not None and period.plan_id is None and plan is not None and plan.cycle != Cycle.MONTHLY
        ):
            self.add_error(
                "period",
                _("“%(plan)s”%(cycle)s报送，全市的月调度期没有它的快照：请选择该方案自己的调度期")
                % {"plan": plan.name, "cycle": plan.get_cycle_display()},
            )
        return data

    def filters(self) -> dict:
        """The cleaned filters; an invalid value is dropped rather than failing the page."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class DraftForm(forms.Form):
    """Which quarter to draft: the year and 1–4."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=QUARTERS)

    @staticmethod
    def initial_for_today() -> dict:
        """The quarter that ended last: the one a clerk drafts now."""
        today = clock.today()
        q = (today.month - 1) // 3  # the previous quarter's number, 0 meaning Q4 of last year
        return {"year": today.year, "quarter": q} if q else {"year": today.year - 1, "quarter": 4}


class SectionForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(forms.Form):
    issued_on = DateField(label=_("印发日期"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FactSheetForm(forms.Form):
    """A press-conference fact sheet's range: the period it reports, and where its cumulative figures start."""

    title = forms.CharField(label=_("标题"), required=False, max_length=200, help_text=_("留空则自动生成"))
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    since = DateField(label=_("累计起始日期"), help_text=_("累计数字（如“品牌实施以来”）从此日算起"))

    def clean(self):
        data = super().clean()
        start, end, since = data.get("start"), data.get("end"), data.get("since")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期"))
        if since and end and since > end:
            self.add_error("since", _("累计起始日期不能晚于截止日期"))
        return data

    @staticmethod
    def initial_for_today() -> dict:
        """This year so far, cumulative from two years back."""
        today = clock.today()
        return {
            "start": today.replace(month=1, day=1),
            "end": today,
            "since": today.replace(year=today.year - 2, month=1, day=1),
        }
