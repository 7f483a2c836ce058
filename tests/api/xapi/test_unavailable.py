"""A database that cannot serve just now gets the xAPI client the answer the rest of the API
gives, in the LRS's own terms: 503 problem+json with ``Retry-After`` and the
``X-Experience-API-Version`` header, never a 500; nothing of the batch is written, so the
provider sends the same batch (the same statement ids) again."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.services.learning import statements as service
from tests.api.xapi.conftest import statement
from tests.helpers import problem_of


def _unavailable(response: httpx.Response) -> dict[str, Any]:
    problem = problem_of(response, 503)
    assert problem["code"] == "unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["x-experience-api-version"] == "1.0.3"
    return problem


async def test_a_batch_on_a_read_only_database_is_503_with_retry_after(
    client: httpx.AsyncClient, connection: AsyncConnection, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    batch = [statement(), statement("manee@b.go.th")]
    await connection.execute(text("SET LOCAL transaction_read_only = on"))
    problem = _unavailable(await client.post("/xapi/statements", json=batch, headers=a))
    assert "read-only" in problem["detail"]
    assert problem["instance"] == "/xapi/statements"


@pytest.mark.parametrize("method", ["POST", "GET", "PUT"])
async def test_a_lost_database_connection_is_503_with_retry_after(
    client: httpx.AsyncClient,
    lrs: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
) -> None:
    async def lost(*args: Any, **kwargs: Any) -> Any:
        raise asyncpg.ConnectionDoesNotExistError(
            "connection was closed in the middle of operation"
        )

    for name in ("store_statements", "query", "consistent_through"):
        monkeypatch.setattr(service, name, lost)
    sent = statement()
    a = lrs["keys"]["a"]
    if method == "GET":
        response = await client.get(
            "/xapi/statements", params={"verb": sent["verb"]["id"]}, headers=a
        )
    elif method == "PUT":
        response = await client.put(
            "/xapi/statements", params={"statementId": sent["id"]}, json=sent, headers=a
        )
    else:
        response = await client.post("/xapi/statements", json=[sent], headers=a)
    problem = _unavailable(response)
    assert "cannot be reached" in problem["detail"]
    assert "closed in the middle" not in response.text  # no internal message reaches the client
