"""Reading ids and numbers from a query string or a posted list, never failing the page.

What a link or a form sends is text anyone can change. A value that is not what the page expects
reads as None (or is left out of a list), and the page drops that filter, as the ledger's
ItemFilterForm.filters() drops an invalid field: text, a negative number, a number beyond the
database's integer range, a superscript digit (str.isdigit() says yes, int() says no), a NUL byte,
5,000 digits (int() refuses more than 4,300).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import Field

# Every id is a bigint (DEFAULT_AUTO_FIELD = BigAutoField); SQLite and PostgreSQL hold no more.
ID_MAX = 2**63 - 1

_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value: object, *, min_value: int = 1, max_value: int = ID_MAX) -> int | None:
    """`value` as an int within [min_value, max_value], else None. Only ASCII digits count."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


def int_param(
    params: Mapping[str, object], name: str, *, min_value: int = 1, max_value: int = ID_MAX
) -> int | None:
    """The query (or form) value `name` as an int within range, None when absent or malformed.

    `params` is request.GET or request.POST (the last value of a repeated key counts, as Django's
    QueryDict.get does)."""
    return parse_int(params.get(name), min_value=min_value, max_value=max_value)


def id_list(values: Iterable[object]) -> list[int]:
    """The valid ids among `values` (e.g. request.POST.getlist("report")), in order, without repeats."""
    found = (parse_int(v) for v in values)
    return list(dict.fromkeys(v for v in found if v is not None))


def login_username(request, credentials: Mapping[str, object] | None = None) -> str | None:
    """The name a login attempt is recorded and locked out under (django-axes' AXES_USERNAME_CALLABLE):
    what was typed, cut to the 150 characters a username can have, so that a pasted page of text is
    a failed login like any other, not a database error (axes' record holds 255)."""
    data = credentials or getattr(request, "POST", {})
    username = data.get("username")
    # Case-folded: a username is one account whatever its letter case, so it is locked as one.
    return username[:150].casefold() if isinstance(username, str) else None


# The same bounds as types of the API's query parameters (django-ninja, pydantic): a value outside
# them is answered 422 with the reason (ninja's validation error), never a server error further down
# (a year -1 reaching date(), an id beyond bigint reaching the database, a NUL byte reaching
# PostgreSQL), and the OpenAPI schema tells a client what each parameter accepts. Here, below every
# app, so that each app's api.py takes them without importing the API layer above it.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Year = Annotated[int, Field(ge=2000, le=2100)]  # the years the pages' forms accept
Page = Annotated[int, Field(ge=1, le=ID_MAX)]
Key = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50)]  # a slug, e.g. a promotion level
