"""{% date_input %}: a date field written straight into a template, with the same widget as every form's
date field (`core.forms.DateInput`: 年-月-日 text with a calendar button)."""

from django import template
from django.utils.safestring import SafeString

from gandang.core.forms import DateInput

register = template.Library()


@register.simple_tag
def date_input(*name_parts, value="", label="", required=False, id="") -> SafeString:
    """{% date_input card.prefix "-reach-date-" m.pk value=row.date label=_("完成日期") %}: the name is
    the parts joined; the id is the name unless given."""
    name = "".join(str(p) for p in name_parts)
    attrs = {"id": id or name}
    if label:
        attrs["aria-label"] = label
    if required:
        attrs["required"] = True
    return DateInput().render(name, value or "", attrs=attrs)
