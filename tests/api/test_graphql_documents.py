"""Documents seen before are parsed, measured and validated once; what differs between requests
(the operation chosen, the variables' text, the caller's right to introspect) is checked every
time. Persisted queries: a hash stands in for a document the client sent once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx

from app.api.graphql import documents

ME = "query Me { me { subject } } query Kind { me { kind } }"
AGENCY = "query($c: String!) { agency(code: $c) { code } }"


async def test_a_document_is_kept_once_and_its_operation_chosen_each_time(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    documents.DOCUMENTS.clear()
    first = await client.post(
        "/graphql", json={"query": ME, "operationName": "Me"}, headers=admin_headers
    )
    assert first.json() == {"data": {"me": {"subject": "central-admin"}}}
    kept = documents.known(ME)
    assert kept is not None
    assert kept.validated == {"explore"}
    second = await client.post(
        "/graphql", json={"query": ME, "operationName": "Kind"}, headers=admin_headers
    )
    assert second.json() == {"data": {"me": {"kind": "user"}}}
    assert documents.known(ME) is kept  # not parsed again
    ambiguous = await client.post("/graphql", json={"query": ME}, headers=admin_headers)
    [error] = ambiguous.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST", "field": "operationName"}


async def test_variables_are_checked_on_a_kept_document(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    ok = await client.post(
        "/graphql", json={"query": AGENCY, "variables": {"c": "NONE"}}, headers=admin_headers
    )
    assert ok.json() == {"data": {"agency": None}}
    assert documents.known(AGENCY) is not None
    bad = await client.post(
        "/graphql", json={"query": AGENCY, "variables": {"c": "A\x00"}}, headers=admin_headers
    )
    [error] = bad.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"


async def test_an_anonymous_caller_is_validated_apart(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    introspect = "{ __schema { queryType { name } } }"
    allowed = await client.post("/graphql", json={"query": introspect}, headers=admin_headers)
    assert allowed.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    refused = await client.post("/graphql", json={"query": introspect})
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_document_over_budget_is_refused_every_time(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    query = "{ " + " ".join(f"a{i}: me {{ subject }}" for i in range(40)) + " }"
    for _ in range(2):
        response = await client.post("/graphql", json={"query": query}, headers=auth("x"))
        assert response.json()["errors"][0]["extensions"]["limit"] == "aliases"
    assert documents.known(query) is None


def _persisted(query: str) -> dict[str, object]:
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_a_persisted_query_runs_by_its_hash_once_registered(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    query = "query Persisted { me { subject roles } }"
    documents.PERSISTED.clear()
    unknown = await client.post(
        "/graphql", json={"extensions": _persisted(query)}, headers=admin_headers
    )
    assert unknown.status_code == 200
    [error] = unknown.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = await client.post(
        "/graphql", json={"query": query, "extensions": _persisted(query)}, headers=admin_headers
    )
    assert registered.json()["data"]["me"]["subject"] == "central-admin"
    by_hash = await client.post(
        "/graphql", json={"extensions": _persisted(query)}, headers=admin_headers
    )
    assert by_hash.json() == registered.json()

    wrong = await client.post(
        "/graphql",
        json={"query": "{ me { kind } }", "extensions": _persisted(query)},
        headers=admin_headers,
    )
    [error] = wrong.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
