from __future__ import annotations

from collections.abc import Callable

import httpx


async def gql(
    client: httpx.AsyncClient,
    query: str,
    headers: dict[str, str] | None = None,
    **variables: object,
) -> dict:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_me_answers_with_a_token(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    body = await gql(
        client, "{ me { subject roles agency kind } }", auth("malee", "supervisor", agency="DOPA")
    )
    assert body == {
        "data": {
            "me": {"subject": "malee", "roles": ["supervisor"], "agency": "DOPA", "kind": "user"}
        }
    }


async def test_me_without_a_token_is_a_coded_error(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ me { subject } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_invalid_query_is_a_coded_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ me { nope } }"})
    errors = response.json()["errors"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_alias_flooding_is_refused(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    query = "{ " + " ".join(f"a{i}: me {{ subject }}" for i in range(40)) + " }"
    response = await client.post("/graphql", json={"query": query}, headers=auth("x"))
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_graphiql_is_off_unless_enabled(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()
