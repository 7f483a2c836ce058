"""Database refusals that mean "another request wrote first".

The services check what they write before writing it (unique keys, references), but two
requests can pass their checks at the same moment; the database's constraints then refuse the
second one. That is not an internal error: the request wrote nothing (its transaction is rolled
back) and sending it again gets the precise, per-record answer from the checks. This module
recognises those refusals, however the driver or SQLAlchemy wrapped them.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

from app.domain.errors import ConcurrentWrite

# What the database layer raises: SQLAlchemy's wrapper, or the driver's own error from the
# statements sent on the driver's connection (COPY, the bulk upserts).
DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, asyncpg.PostgresError)

# SQLSTATE -> what happened
_CONCURRENT = {
    "23505": "a unique key",
    "23503": "a reference",
    "40001": "a serialisation check",
    "40P01": "a deadlock",
}


def _sqlstate(error: BaseException) -> tuple[str | None, str | None]:
    """The SQLSTATE and constraint of a driver error, through SQLAlchemy's wrappers."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str):
            constraint = getattr(current, "constraint_name", None)
            if constraint is None and current.__cause__ is not None:
                constraint = getattr(current.__cause__, "constraint_name", None)
            return state, constraint if isinstance(constraint, str) else None
        following = getattr(current, "orig", None)
        current = following if isinstance(following, BaseException) else current.__cause__
    return None, None


def concurrent_write(error: BaseException) -> ConcurrentWrite | None:
    """A ``ConcurrentWrite`` if the database refused a write because of another request."""
    state, constraint = _sqlstate(error)
    if state is None or state not in _CONCURRENT:
        return None
    what = _CONCURRENT[state] + (f" ({constraint})" if constraint else "")
    return ConcurrentWrite(
        f"another request wrote conflicting data at the same time ({what}); nothing of this "
        "request was written: send it again",
        retry=True,
        **({"constraint": constraint} if constraint else {}),
    )
