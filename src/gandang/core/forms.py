"""Form pieces every app uses: the date field (年-月-日 whatever the browser's language)."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gandang.core import dates


class DateInput(forms.DateInput):
    """A date as text in Chinese order (2023-12-05), not <input type=date>, which shows mm/dd/yyyy in an
    English browser. `datefield.js` adds a calendar button that fills it. What was typed in another
    accepted way (2023/12/5, 2023年12月5日…) reaches the form as 2023-12-05."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        base = {
            "placeholder": _("年-月-日"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": "12",
            "maxlength": "20",
            "data-date": "",
            "data-pick-label": _("选择日期"),
        }
        super().__init__(attrs={**base, **(attrs or {})}, format=format or "%Y-%m-%d")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return dates.normalize(value) if isinstance(value, str) else value


class DateField(forms.DateField):
    """A date typed as 2023-12-05, 2023/12/5, 2023.12.5 or 2023年12月5日; a Chinese message says what is wrong."""

    widget = DateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return dates.parse_date(str(value))
        except dates.DateFormatError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class QuickSelect(forms.Select):
    """A <select> written in one pass: Django's Select renders a template per option (about 1 ms
    each), which a province's 448 units turn into half a second per list page. Same HTML, same
    attributes and selection; flat choices only (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        options = []
        for key, label in self.choices:
            key = "" if key is None else str(key)
            selected = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>' + "".join(options) + "</select>")
