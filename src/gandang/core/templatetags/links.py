"""{% pk_url "ledger:item_edit" item.pk %} and {% named_url "ledger:item_list" %}: what {% url %} gives for
a URL whose one argument is an integer id, and for a URL without arguments, without running the URL
resolver on each call (gandang.core.links): a record page's links to its actions, each some tens of
microseconds otherwise."""

from django import template

from gandang.core import links

register = template.Library()


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    return links.pk_url(name, pk)


@register.simple_tag
def named_url(name: str) -> str:
    return links.named_url(name)
