"""Database ids in URLs: at most 64 bits, so a made-up number is a 404 or a 422, never an
overflow in the database driver (SQLite refuses integers beyond 2**63 - 1 with a 500).

HTML routes use the ``id`` path converter (registered in ``rits.urls``) instead of
``int``; API routes annotate their path ids with ``PathId``. A test walks every route
and fails on a plain ``int``.
"""

from __future__ import annotations

from typing import Annotated

from ninja.params.functions import Path
from pydantic import Field

# The largest id a BIGINT (SQLite INTEGER, PostgreSQL bigint) can hold.
MAX_ID = 2**63 - 1


class IdConverter:
    """Like Django's ``int`` converter, but a number beyond ``MAX_ID`` matches no route."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # Django reads a ValueError as "this route does not match": a 404.
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


# A path id in the JSON API: a number outside 1..MAX_ID is a 422 problem.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
# An id in a request body or query string, under the same bounds.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
