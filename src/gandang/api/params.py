"""Types of the API's query parameters, bounded like the pages' filters.

A value outside them is answered 422 with the reason (ninja's validation error), never a server
error further down (a year -1 reaching date(), an id beyond bigint reaching the database, a NUL byte
reaching PostgreSQL), and the OpenAPI schema tells a client what each parameter accepts.
"""

from typing import Annotated

from pydantic import Field

from gandang.core.params import ID_MAX

Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Year = Annotated[int, Field(ge=2000, le=2100)]  # the years the pages' forms accept
Page = Annotated[int, Field(ge=1, le=ID_MAX)]
Key = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50)]  # a slug, e.g. a promotion level
