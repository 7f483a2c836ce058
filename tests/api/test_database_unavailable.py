"""A database that cannot write just now (here: read-only, as during maintenance or a failover)
gets a clean answer: 503 problem+json with ``Retry-After`` for REST, ``UNAVAILABLE`` with the
same status and header for GraphQL; nothing is written."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.helpers import problem_of

TREE = [{"code": "RO-DEPT", "name_th": "กรมทดสอบ", "kind": "department"}]


async def test_a_read_only_database_answers_503_with_retry_after(
    client: httpx.AsyncClient, connection: AsyncConnection, admin_headers: dict[str, str]
) -> None:
    await connection.execute(text("SET LOCAL transaction_read_only = on"))
    response = await client.post("/api/v1/agencies/bulk", json=TREE, headers=admin_headers)
    problem = problem_of(response, 503)
    assert problem["code"] == "unavailable"
    assert "read-only" in problem["detail"]
    assert int(response.headers["retry-after"]) > 0
    # reads still work
    assert (await client.get("/api/v1/agencies", headers=admin_headers)).status_code == 200


async def test_a_graphql_mutation_on_a_read_only_database_is_unavailable(
    client: httpx.AsyncClient, connection: AsyncConnection, admin_headers: dict[str, str]
) -> None:
    tree = await client.post("/api/v1/agencies/bulk", json=TREE, headers=admin_headers)
    assert tree.status_code == 200, tree.text
    await connection.execute(text("SET LOCAL transaction_read_only = on"))
    mutation = """mutation { setAssessmentPolicy(agencyCode: "RO-DEPT",
      policy: {finalRating: "supervisor_prevails"}) { agency } }"""
    response = await client.post("/graphql", json={"query": mutation}, headers=admin_headers)
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAVAILABLE"]
