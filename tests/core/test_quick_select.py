"""The quick widgets (QuickSelect, QuickInput, QuickTextarea) write the same HTML as Django's, without a template per widget."""

import re

from django import forms

from gandang.core.forms import QuickSelect


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [("", "---------"), (1, "市发展改革委"), (2, 'A&B "局" <县>'), (3, "市财政局")]


class Form(forms.Form):
    unit = forms.ChoiceField(
        choices=CHOICES, required=False, widget=QuickSelect(attrs={"aria-label": "单位"})
    )


class Plain(forms.Form):
    unit = forms.ChoiceField(
        choices=CHOICES, required=False, widget=forms.Select(attrs={"aria-label": "单位"})
    )


def test_same_html_as_django_select_with_a_choice_made_and_names_escaped():
    for data in ({"unit": "2"}, {"unit": ""}, None):
        assert _norm(Form(data)["unit"]) == _norm(Plain(data)["unit"])
    html = str(Form({"unit": "2"})["unit"])
    assert '<option value="2" selected>A&amp;B &quot;局&quot; &lt;县&gt;</option>' in html
    assert html.count("selected") == 1


def test_quick_inputs_and_textareas_write_what_django_writes():
    from datetime import date

    from gandang.core.forms import (
        DateInput,
        QuickCheckboxInput,
        QuickHiddenInput,
        QuickNumberInput,
        QuickTextarea,
        QuickTextInput,
    )

    pairs = [
        (QuickTextarea(attrs={"rows": 2, "required": True, "disabled": False}), forms.Textarea(attrs={"rows": 2, "required": True, "disabled": False})),
        (QuickNumberInput(attrs={"min": 0, "max": 100}), forms.NumberInput(attrs={"min": 0, "max": 100})),
        (QuickHiddenInput(), forms.HiddenInput()),
        (QuickTextInput(attrs={"placeholder": "编号、名称或目标"}), forms.TextInput(attrs={"placeholder": "编号、名称或目标"})),
        (QuickCheckboxInput(), forms.CheckboxInput()),
    ]  # fmt: skip
    values = [None, "", "\n第一行前有空行", 'A&B "局" <县>', 0, 40, True, False, "on"]
    for quick, plain in pairs:
        for value in values:
            assert quick.render("r1-x", value, attrs={"id": "id_r1-x"}) == plain.render(
                "r1-x", value, attrs={"id": "id_r1-x"}
            ), (type(quick).__name__, value)
    plain_date = forms.DateInput(attrs=DateInput().attrs, format="%Y-%m-%d")
    for value in (None, "", date(2023, 10, 5), "2023/10/5"):
        assert _norm(DateInput().render("d", value, attrs={"aria-label": "完成日期"})) == _norm(
            plain_date.render("d", value, attrs={"aria-label": "完成日期"})
        )
