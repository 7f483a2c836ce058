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
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["limit"] == "aliases"


async def test_graphiql_is_off_unless_enabled(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()


def test_a_concurrent_write_refused_by_the_database_is_a_coded_conflict() -> None:
    """A resolver whose write the database refused because another request wrote first gets
    CONFLICT with ``retry`` (not INTERNAL); any other unexpected error stays masked."""
    import asyncpg
    from graphql.error import GraphQLError

    from app.api.graphql.errors import CodedErrors

    refused = asyncpg.UniqueViolationError("duplicate key value violates unique constraint")
    coded = CodedErrors._process(GraphQLError("x", original_error=refused))
    assert coded.extensions is not None
    assert coded.extensions["code"] == "CONFLICT"
    assert coded.extensions["retry"] is True
    assert "another request" in coded.message
    other = CodedErrors._process(GraphQLError("x", original_error=ZeroDivisionError()))
    assert other.extensions == {"code": "INTERNAL"}
