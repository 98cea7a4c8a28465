from django import forms
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import DateField
from gandang.security.models import SecurityEvent


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("事件类型"), choices=[("", _("全部")), *SecurityEvent.Kind.choices], required=False
    )
    user = forms.CharField(label=_("用户"), max_length=150, required=False)
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[("", _("全部")), *SecurityEvent.Outcome.choices], required=False
    )
    since = DateField(label=_("日期从"), required=False)
    until = DateField(label=_("日期至"), required=False)

    def filters(self) -> dict:
        """The cleaned filters; invalid values are dropped rather than failing the page."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
