"""Database refusals that mean "another request wrote first".

The services check what they write before writing it (unique keys, references), but two
requests can pass their checks at the same moment; the database's constraints then refuse the
second one. That is not an internal error: the request wrote nothing (its transaction is rolled
back) and sending it again gets the precise, per-record answer from the checks. This module
recognises those refusals, however the driver or SQLAlchemy wrapped them.
"""

from __future__ import annotations

import traceback

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.domain.errors import ConcurrentWrite, Unavailable

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


# SQLSTATE -> (why the database cannot serve the request now, seconds to wait)
_UNAVAILABLE: dict[str, tuple[str, int]] = {
    "57P01": ("the database is shutting down", 5),
    "57P02": ("the database restarted after a crash", 5),
    "57P03": ("the database is starting up or shutting down", 5),
    "53100": ("the database is out of disk space", 60),
    "53200": ("the database is out of memory", 30),
    "53300": ("the database has too many connections", 5),
    "25006": ("the database is read-only just now (maintenance or failover)", 30),
}
_LOST = ("the database cannot be reached", 5)
_BUSY = ("every database connection of this server is busy (overload)", 2)


def _lost_connection(error: BaseException) -> bool:
    """A connection that failed or closed under the driver (not a refusal by PostgreSQL)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, asyncpg.ConnectionDoesNotExistError | asyncpg.CannotConnectNowError):
        return True
    if isinstance(error, asyncpg.InterfaceError) and "closed" in str(error):
        return True
    if isinstance(error, OSError | TimeoutError):
        # only a failure to reach the database: the driver's own frames are in its traceback
        frames = traceback.extract_tb(error.__traceback__)
        return any("asyncpg" in frame.filename for frame in frames)
    return False


def unavailable(error: BaseException) -> Unavailable | None:
    """An ``Unavailable`` (503 with ``Retry-After``) if ``error`` means the database cannot
    serve requests just now: unreachable, stopped, restarting, read-only or out of disk."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        state = getattr(current, "sqlstate", None)
        found = _UNAVAILABLE.get(state) if isinstance(state, str) else None
        if found is None and isinstance(state, str) and state.startswith("08"):
            found = _LOST
        if found is None and _lost_connection(current):
            found = _LOST
        if found is None and isinstance(current, PoolTimeout):
            found = _BUSY
        if found is not None:
            why, seconds = found
            return Unavailable(
                f"{why}; nothing of this request was written: retry after {seconds} s",
                retry_after=seconds,
            )
        following = getattr(current, "orig", None)
        current = (
            following
            if isinstance(following, BaseException)
            else (current.__cause__ or current.__context__)
        )
    return None
