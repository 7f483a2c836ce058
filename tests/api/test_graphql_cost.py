"""GraphQL documents that would hold the server are refused before validation, each with a coded
error naming the limit; meanwhile the server keeps answering. Introspection and suggestions are
for authenticated callers unless THAKSA_GRAPHQL_PUBLIC_INTROSPECTION opens them; an operation
that runs too long is stopped and rolled back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.main import create_app
from tests.conftest import build_runtime, make_settings


def fan(levels: int = 13, ways: int = 3) -> str:
    body = [
        f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * ways)} }}" for i in range(levels)
    ]
    return " ".join(["query { ...F0 }", *body, f"fragment F{levels} on Query {{ __typename }}"])


SHAPES: dict[str, tuple[str, str, str | None]] = {
    # name: (document, code, limit)
    "fragment fan": (fan(), "QUERY_TOO_COMPLEX", "repeats"),
    "aliases spread through fragments": (
        "query { ...F0 } "
        + " ".join(
            f"fragment F{i} on Query {{ ...F{i + 1} a{i}: __typename b{i}: me {{ c{i}: kind }} }}"
            for i in range(11)
        )
        + " fragment F11 on Query { __typename }",
        "QUERY_TOO_COMPLEX",
        "aliases",
    ),
    "deep nesting": (
        "{ agencies { " + "children { " * 14 + "code" + " }" * 14 + " } }",
        "QUERY_TOO_COMPLEX",
        "depth",
    ),
    "wide aliases": (
        "{ " + " ".join(f"a{i}: me {{ subject }}" for i in range(40)) + " }",
        "QUERY_TOO_COMPLEX",
        "aliases",
    ),
    "a binary fan through distinct fields": (
        "{ agencies { ...L0 } } "
        + " ".join(
            f"fragment L{i} on Agency {{ children {{ ...L{i + 1} }} parent {{ ...L{i + 1} }} }}"
            for i in range(10)
        )
        + " fragment L10 on Agency { code }",
        "QUERY_TOO_COMPLEX",
        "fields",
    ),
    "too many tokens": ("{ " + "me { subject } " * 1500 + "}", "QUERY_TOO_COMPLEX", "tokens"),
    "fragment cycle": (
        "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "GRAPHQL_VALIDATION_FAILED",
        None,
    ),
    "unknown fragment": ("query { ...Missing }", "GRAPHQL_VALIDATION_FAILED", None),
}


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_each_costly_shape_is_refused_with_a_coded_error_naming_the_limit(
    client: httpx.AsyncClient, shape: str
) -> None:
    document, code, limit = SHAPES[shape]
    response = await client.post("/graphql", json={"query": document})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == code, error
    if limit is not None:
        assert error["extensions"]["limit"] == limit
        assert isinstance(error["extensions"]["max"], int)


async def test_twenty_costly_documents_at_once_are_refused_while_healthz_keeps_answering(
    client: httpx.AsyncClient,
) -> None:
    """Twenty of the reported document (a 600-byte fan of fragments, no credentials) cost about
    what twenty trivial operations cost, measured in the same run, and /healthz answers between
    them as fast as it does alone. Before, each one held the event loop for seconds."""

    async def timed(n: int, document: str) -> tuple[float, list[httpx.Response]]:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(client.post("/graphql", json={"query": document}) for _ in range(n))
        )
        return time.perf_counter() - started, list(answers)

    async def healthz_latency() -> float:
        started = time.perf_counter()
        assert (await client.get("/healthz")).status_code == 200
        return time.perf_counter() - started

    await timed(20, "{ __typename }")  # warm up
    baseline, _ = await timed(20, "{ __typename }")
    alone = min([await healthz_latency() for _ in range(5)])

    costly = fan()
    assert len(costly.encode()) < 700
    probes = [asyncio.create_task(healthz_latency()) for _ in range(5)]
    elapsed, answers = await timed(20, costly)
    during = await asyncio.gather(*probes)

    for answer in answers:
        assert answer.status_code == 200
        [error] = answer.json()["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert elapsed < 20 * baseline, (elapsed, baseline)
    assert max(during) < 20 * max(alone, baseline / 20), (during, alone)


INTROSPECTION = "{ __schema { queryType { name } } }"
TYPO = "{ mee { subject } }"


async def test_introspection_and_suggestions_are_for_authenticated_callers(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    anonymous = (await client.post("/graphql", json={"query": INTROSPECTION})).json()
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in anonymous["errors"][0]["message"]
    typo = (await client.post("/graphql", json={"query": TYPO})).json()
    assert "Did you mean" not in typo["errors"][0]["message"]
    enum = (
        "query($s: MaturityStage!) "
        '{ roleProfile(framework: "ocsc", stage: $s, group: EXECUTIVE) { stage } }'
    )
    coerced = (
        await client.post("/graphql", json={"query": enum, "variables": {"s": "EARLYY"}})
    ).json()
    assert "Did you mean" not in coerced["errors"][0]["message"]

    headers = auth("malee", "employee", agency="DGA")
    known = (await client.post("/graphql", json={"query": INTROSPECTION}, headers=headers)).json()
    assert known == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    typo = (await client.post("/graphql", json={"query": TYPO}, headers=headers)).json()
    assert "Did you mean 'me'?" in typo["errors"][0]["message"]


async def test_public_introspection_can_be_switched_on(runtime: Any) -> None:
    settings = make_settings(graphql_public_introspection=True)
    app = create_app(
        settings, runtime=build_runtime(settings, runtime.engine, runtime.session_factory)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        body = (await c.post("/graphql", json={"query": INTROSPECTION})).json()
        assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        typo = (await c.post("/graphql", json={"query": TYPO})).json()
        assert "Did you mean 'me'?" in typo["errors"][0]["message"]


async def test_an_operation_over_the_time_limit_is_stopped_and_rolled_back(
    runtime: Any, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.people import agencies

    async def slow(*_: Any) -> Any:
        await asyncio.sleep(30)

    monkeypatch.setattr(agencies, "tree_roots", slow)
    settings = make_settings(graphql_timeout_seconds=0.3)
    app = create_app(
        settings, runtime=build_runtime(settings, runtime.engine, runtime.session_factory)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        started = time.perf_counter()
        response = await c.post(
            "/graphql",
            json={"query": "{ me { subject } agencies { code } }"},
            headers=admin_headers,
        )
        assert time.perf_counter() - started < 30
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {
            "code": "OPERATION_TIMEOUT",
            "limit": "seconds",
            "max": 0.3,
        }
        again = await c.post(
            "/graphql", json={"query": "{ frameworks { key } }"}, headers=admin_headers
        )
        assert again.json() == {"data": {"frameworks": []}}
