"""Form pieces every app uses: the date field (年-月-日 whatever the browser's language)."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import DEFERRED, Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.choices import normalize_choices
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandang.core import dates
from gandang.core.params import ID_MAX


def _escape(value: object) -> str:
    """What django.utils.html.escape writes, without its test of every argument for lazy text (a page
    of report cards escapes a thousand attributes)."""
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """A widget's attributes as Django's attrs.html writes them: True as the bare name, False left out."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {name}")
        elif value is not False:
            out.append(f' {name}="{_escape(value)}"')
    return "".join(out)


class QuickInput:
    """An <input> widget written in one pass, as Django's input.html writes it but without a template
    render (a form page of thirty report cards renders some two hundred widgets)."""

    def render(self, name, value, attrs=None, renderer=None):
        w = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if w["value"] is None else f' value="{_escape(w["value"])}"'
        return mark_safe(
            f'<input type="{_escape(w["type"])}" name="{_escape(w["name"])}"{shown}{_attrs(w["attrs"])}>'
        )


class QuickTextarea(forms.Textarea):
    """A <textarea> written in one pass, as Django's textarea.html writes it (the newline after the
    opening tag keeps a value's own first newline)."""

    def render(self, name, value, attrs=None, renderer=None):
        w = self.get_context(name, value, attrs)["widget"]
        text = _escape(w["value"]) if w["value"] else ""
        return mark_safe(f'<textarea name="{_escape(w["name"])}"{_attrs(w["attrs"])}>\n{text}</textarea>')


class QuickNumberInput(QuickInput, forms.NumberInput):
    pass


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


class DateInput(QuickInput, forms.DateInput):
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


class FlatChoices(list):
    """(value, label) pairs, flat and final (e.g. ids and names read by values_list), for QuickSelect:
    taken as they are (Django normalizes each pair when choices are set), their options escaped once
    however many selects share them (the ledger list's 单位 and 牵头单位 both list a province's units)."""

    @cached_property
    def options(self) -> list[tuple[str, str, str]]:
        """Each choice as (value as text, '<option value="…"', '>label</option>')."""
        out = []
        for key, label in self:
            key = "" if key is None else str(key)
            out.append((key, f'<option value="{html.escape(key)}"', f">{html.escape(str(label))}</option>"))
        return out

    def html(self, chosen: Collection[str]) -> str:
        """The options as HTML, those whose value (as text) is in `chosen` selected."""
        return "".join(
            f"{head} selected{tail}" if key in chosen else head + tail for key, head, tail in self.options
        )


def model_choices(field: forms.ModelChoiceField) -> FlatChoices:
    """A model select's options as FlatChoices, read once with the same labels and order as the field's
    own iterator (its empty choice first): the widget then writes them without a query or a
    ModelChoiceIteratorValue per option on each render."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    rows = field.queryset if field.queryset is not None else ()
    return FlatChoices([*empty, *((obj.pk, field.label_from_instance(obj)) for obj in rows)])


class OptionQuery:
    """The options of a filter's select, read afresh on every request (a unit added a moment ago is
    there) by SQL Django compiles once per process, as plain rows: a list page's selects (a
    province's 448 units, its plans, areas, leaders, closed periods) cost one plain query each, and
    while the rows read are the same, their options are labelled and escaped once, not per request.

    `queryset` makes the options' queryset (filtered and ordered as the select lists them; its
    ModelChoiceField validates with it too); `fields` are the columns its models' labels read (the
    label is the field's own, from a model made of those columns)."""

    def __init__(self, queryset: Callable[[], QuerySet], fields: Sequence[str] = ("name",)) -> None:
        self.queryset = queryset
        self.fields = ("pk", *fields)
        self._sql: dict[str, tuple[str, tuple]] = {}
        self._choices: dict[tuple, FlatChoices] = {}
        self._lock = threading.Lock()

    def rows(self, using: str = "default") -> tuple[tuple, ...]:
        if using not in self._sql:
            qs = self.queryset().values_list(*self.fields)
            self._sql[using] = qs.query.get_compiler(using).as_sql()
        sql, params = self._sql[using]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return tuple(cursor.fetchall())

    def _attnames(self, model: Any) -> list[str]:
        """The options' columns as the model's attributes (its id first)."""
        return [model._meta.pk.attname, *(model._meta.get_field(f).attname for f in self.fields[1:])]

    def record(self, model: type[Model], db: str, key: object, rows: tuple[tuple, ...]) -> Model | None:
        """The option whose id is `key` (of `rows`) as a model with the option's columns (the others read
        when asked for, as deferred fields are), or None when no option has that id."""
        row = next((r for r in rows if r[0] == key), None)
        if row is None:
            return None
        names = self._attnames(model)
        values = dict(zip(names, row, strict=True))
        return model.from_db(
            db, names, [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields]
        )

    def choices(self, field: forms.ModelChoiceField, rows: tuple[tuple, ...] | None = None) -> FlatChoices:
        """The select's options as `field` labels them, its empty choice first (of `rows`, if read)."""
        queryset = field.queryset
        assert queryset is not None  # an OptionChoiceField's, set from this query
        rows = self.rows(queryset.db) if rows is None else rows
        key = (rows, get_language(), str(field.empty_label))
        found = self._choices.get(key)
        if found is None:
            model = queryset.model
            names = self._attnames(model)
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            objs = (model(**dict(zip(names, row, strict=True))) for row in key[0])
            found = FlatChoices([*empty, *((obj.pk, field.label_from_instance(obj)) for obj in objs)])
            with self._lock:  # only the latest rows are kept, for each language and empty label
                self._choices = {k: v for k, v in self._choices.items() if k[1:] != key[1:]}
                self._choices[key] = found
        return found


class _ReadOnce:
    """An OptionQuery whose rows one form reads once for all its selects that list them."""

    def __init__(self, query: OptionQuery) -> None:
        self.query = query
        self._rows: tuple[tuple, ...] | None = None

    def rows(self, db: str) -> tuple[tuple, ...]:
        if self._rows is None:
            self._rows = self.query.rows(db)
        return self._rows

    def choices(self, field: forms.ModelChoiceField) -> FlatChoices:
        queryset = field.queryset
        assert queryset is not None
        return self.query.choices(field, self.rows(queryset.db))

    def record(self, model: type[Model], db: str, key: object, rows: tuple[tuple, ...]) -> Model | None:
        return self.query.record(model, db, key, rows)


class OptionChoiceField(forms.ModelChoiceField):
    """A filter's model select whose options come from an OptionQuery, and whose value is one of them:
    the chosen record is found among the options the select lists (read once for the form, and for
    the page that shows it), not by a query of its own."""

    def __init__(self, options: OptionQuery, **kwargs) -> None:
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(queryset=options.queryset(), **kwargs)
        self.options: OptionQuery | _ReadOnce = options

    def to_python(self, value):
        """What ModelChoiceField.to_python returns (the record, None for no value) and refuses (what
        is not an option's id), read from the options."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        queryset = self.queryset
        assert queryset is not None
        model = queryset.model
        try:
            key = model._meta.pk.to_python(value.pk if isinstance(value, model) else value)
        except ValidationError:
            key = None
        found = None
        if key is not None:
            found = self.options.record(model, queryset.db, key, self.options.rows(queryset.db))
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return found


def read_options_once(form: forms.BaseForm) -> None:
    """`form`'s selects that list the same options (单位 and 牵头单位) read them in one query."""
    shared: dict[int, _ReadOnce] = {}
    for field in form.fields.values():
        if isinstance(field, OptionChoiceField) and isinstance(field.options, OptionQuery):
            field.options = shared.setdefault(id(field.options), _ReadOnce(field.options))


class QuickSelect(forms.Select):
    """A <select> written in one pass: Django's Select renders a template per option (about 1 ms
    each), which a province's 448 units turn into half a second per list page. Same HTML, same
    attributes and selection; flat choices only (no option groups)."""

    @property  # type: ignore[override]
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = value if isinstance(value, FlatChoices) else normalize_choices(value)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):  # read when shown (an API's form shows nothing)
            field = choices.field
            options = getattr(field, "options", None)
            choices = options.choices(field) if options is not None else model_choices(field)
        if not isinstance(choices, FlatChoices):
            choices = FlatChoices(choices)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{choices.html(chosen)}</select>')


def _keys(value) -> list[str]:
    """Chosen records (or their ids) as the ids a select's options carry."""
    return [str(getattr(v, "pk", v)) for v in value or []]


class OrderedSelects(forms.Widget):
    """Several records in an order that matters, as a numbered list of selects that share one name:
    the browser posts them in the page's order, so the first chosen is the first named. A place is
    changed by choosing another record in it; blank places are skipped. Each select has its own label
    (第1位, 第2位 …), and the list has room for `spare` more than it holds (at least `least`)."""

    def __init__(self, attrs=None, *, spare: int = 2, least: int = 3):
        super().__init__(attrs)
        self.spare, self.least = spare, least
        # The options, or a function that reads them when the list is shown (not for a POST that saves).
        self.choices: FlatChoices | Callable[[], FlatChoices] = FlatChoices()

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name)
        if values is None:
            return []
        if isinstance(values, str):
            values = [values]
        return [str(v).strip() for v in values if str(v).strip()]

    def value_omitted_from_data(self, data, files, name):
        return False  # no place chosen is a value: none

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        chosen = _keys(value)
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", None)
        places = max(self.least, len(chosen) + self.spare)
        choices = self.choices() if callable(self.choices) else self.choices
        items = []
        for n in range(places):
            key = chosen[n] if n < len(chosen) else ""
            options = choices.html({key} if key else ())
            sid = f"{base_id}_{n}" if base_id else ""
            label = _("第%(n)s位") % {"n": n + 1}
            id_attr = f' id="{escape(sid)}"' if sid else ""
            items.append(
                f'<li><label for="{escape(sid)}">{escape(label)}</label> '
                f'<select name="{escape(name)}"{id_attr}{flatatt(final)}>{options}</select></li>'
            )
        return mark_safe(f'<ol class="ordered-selects">{"".join(items)}</ol>')


class OrderedModelChoiceField(forms.Field):
    """Records of `queryset` in the order they were chosen (see OrderedSelects): a list of instances.
    An id not among the choices, or one chosen twice, is refused in words."""

    widget = OrderedSelects
    default_error_messages = {
        "invalid_choice": _("请选择列表中的选项"),
        "repeated": _("“%(name)s”选了不止一次"),
    }

    def __init__(self, queryset, *, empty_label: str = "——", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.queryset = queryset

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset) -> None:
        self._queryset = queryset
        self.widget.choices = self.widget_choices  # read from this queryset when shown

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset.all()
        return result

    def widget_choices(self) -> FlatChoices:
        """The options, read once when the form is shown (a province has hundreds of units)."""
        return FlatChoices([("", self.empty_label), *((o.pk, str(o)) for o in self.queryset)])

    def to_python(self, value) -> list:
        keys = [v for v in (value or []) if v not in (None, "")]
        if not keys:
            return []
        try:
            ids = [int(k) for k in keys]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        if any(not 0 < i <= ID_MAX for i in ids):  # past a database integer: no such record
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        found = self.queryset.in_bulk(set(ids))
        if any(i not in found for i in ids):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        seen: set[int] = set()
        for i in ids:
            if i in seen:
                raise ValidationError(
                    self.error_messages["repeated"], code="repeated", params={"name": str(found[i])}
                )
            seen.add(i)
        return [found[i] for i in ids]

    def has_changed(self, initial, data) -> bool:
        return _keys(initial) != _keys(data)
