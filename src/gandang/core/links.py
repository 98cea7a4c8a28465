"""Cheap per-row reads for long pages: a record's page URL by its id (and a URL without arguments), a
choice's label.

A list of fifty rows reversing each row's URL runs the URL resolver fifty times (tens of microseconds
each); `pk_url` reverses a URL name once per script prefix and URL map and puts each id into it, and
`named_url` keeps a URL without arguments (a page's links to its actions, in {% named_url %}).
`get_FOO_display` builds a dictionary of the field's choices on every call; `choice_label` looks the
value up in its choices class.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db.models import Choices
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str

_MARK = 918273645546372819  # an id no table reaches: where a row's id goes in the reversed URL


@lru_cache(maxsize=512)
def _parts(name: str, prefix: str, urlconf: str | None, root: str) -> tuple[str, str] | None:
    """The URL of `name` with one id argument, split around that id (None if the pattern refuses it)."""
    try:
        url = reverse(name, args=[_MARK], urlconf=urlconf)
    except NoReverseMatch:
        return None
    head, mark, tail = url.partition(str(_MARK))
    return (head, tail) if mark else None


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an integer id."""
    return pk_urls(name)(pk)


def pk_urls(name: str) -> Callable[[int], str]:
    """pk_url(name, …) for the many rows of one page: the URL's parts looked up once."""
    parts = _parts(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    if parts is None:
        return lambda pk: reverse(name, args=[pk])
    head, tail = parts
    return lambda pk: f"{head}{pk}{tail}" if type(pk) is int else reverse(name, args=[pk])


@lru_cache(maxsize=256)
def _named(name: str, prefix: str, urlconf: str | None, root: str) -> str:
    return reverse(name, urlconf=urlconf)


def named_url(name: str) -> str:
    """reverse(name) for a URL without arguments, reversed once per script prefix and URL map."""
    return _named(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def choice_label(choices: type[Choices], value: object) -> object:
    """What get_FOO_display() returns for `value` of a field with these choices (its label in the
    active language; an unknown value as it is)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return force_str(value, strings_only=True)
