from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.dispatch.models import Period
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
        queryset=Period.objects.filter(state=Period.State.CLOSED),
        required=False,
        empty_label=_("当前"),
        help_text=_("选择已结束的调度期，查看当月的状态快照"),
    )

    def filters(self) -> dict:
        """The cleaned filters; an invalid value is dropped rather than failing the page."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
