"""Which database failures are "unavailable just now" (503 with ``Retry-After``) and which are
not: a stopped, restarting, read-only or full database is; a refused write or a bug is not."""

from __future__ import annotations

import socket

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError

from app.db.errors import unavailable


@pytest.mark.parametrize(
    ("error", "seconds"),
    [
        (asyncpg.AdminShutdownError("terminating connection due to administrator command"), 5),
        (asyncpg.CannotConnectNowError("the database system is starting up"), 5),
        (asyncpg.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only txn"), 30),
        (asyncpg.DiskFullError("could not extend file: No space left on device"), 60),
        (asyncpg.ConnectionDoesNotExistError("connection was closed in the middle"), 5),
    ],
)
def test_the_database_out_of_service_is_unavailable_with_a_wait(
    error: BaseException, seconds: int
) -> None:
    wrapped = DBAPIError("INSERT ...", {}, error)
    for raised in (error, wrapped):
        found = unavailable(raised)
        assert found is not None
        assert found.extensions["retry_after"] == seconds
        assert "nothing of this request was written" in found.detail


def test_no_free_connection_in_the_pool_is_unavailable() -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    found = unavailable(PoolTimeout("QueuePool limit of size 10 overflow 10 reached"))
    assert found is not None
    assert found.extensions["retry_after"] == 2


async def test_a_connection_refused_by_the_driver_is_unavailable() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectionRefusedError) as caught:
        await asyncpg.connect(host="127.0.0.1", port=port, user="x", database="x", timeout=5)
    assert unavailable(caught.value) is not None


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.UniqueViolationError("duplicate key value"),
        asyncpg.DataError("invalid input"),
        OSError("a file the code itself failed to open"),
        ValueError("a bug"),
    ],
)
def test_other_failures_are_not_unavailable(error: BaseException) -> None:
    assert unavailable(error) is None
    assert unavailable(DBAPIError("SELECT 1", {}, error)) is None
