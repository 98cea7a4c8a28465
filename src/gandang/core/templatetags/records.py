"""{% record_panels "supervision.listing" listing %}: what other apps show on a record's page
(gandang.core.records), rendered where the page puts the tag, without the page knowing them."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from gandang.core import records

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, key: str, obj) -> SafeString:
    request = context.get("request")
    if request is None or obj is None:
        return mark_safe("")
    parts = [
        render_to_string(p["template"], {"panel": p["panel"]}, request=request)
        for p in records.panels_for(request, key, obj)
    ]
    return mark_safe("".join(parts))  # each part is a template's own (escaped) output
