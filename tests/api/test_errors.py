"""Every error a client can meet is an RFC 9457 problem, and a 500 never leaks internals."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import APIRouter

from app.domain import errors as e
from app.main import create_app
from tests.conftest import build_runtime, make_settings
from tests.helpers import problem_of


async def test_unknown_path_is_404_problem(client: httpx.AsyncClient) -> None:
    body = problem_of(await client.get("/api/v1/no-such-thing"), 404)
    assert body["instance"] == "/api/v1/no-such-thing"


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    problem_of(await client.delete("/api/v1/me"), 405)


async def test_malformed_json_is_400_with_a_pointer(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/clients",
        headers={**admin_headers, "Content-Type": "application/json"},
        content=b'{"name": "x",',
    )
    body = problem_of(response, 400)
    assert body["code"] == "malformed-json"
    assert body["errors"][0]["rule"] == "json_invalid"
    assert "pointer" in body["errors"][0]


async def test_schema_violations_are_422_naming_each_field(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/clients", headers=admin_headers, json={"scopes": "people:write", "extra": 1}
    )
    body = problem_of(response, 422)
    pointers = {err["pointer"] for err in body["errors"]}
    assert pointers == {"/name", "/scopes", "/extra"}
    assert all(err["rule"] and err["detail"] for err in body["errors"])


async def test_query_parameter_errors_name_the_parameter(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = problem_of(await client.get("/api/v1/audit-events?limit=0", headers=admin_headers), 422)
    assert body["errors"][0]["parameter"] == "limit"


async def test_wrong_content_type_is_415(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/clients",
        headers={**admin_headers, "Content-Type": "text/plain"},
        content=b"name=x",
    )
    body = problem_of(response, 415)
    assert "application/json" in body["accepted"]


async def test_oversized_body_is_413(engine, session_factory, mint: Callable[..., str]) -> None:
    settings = make_settings(max_body_bytes=1024)
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    headers = {"Authorization": f"Bearer {mint('a', 'central_admin')}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        declared = await c.post("/api/v1/clients", headers=headers, json={"name": "x" * 5000})
        problem_of(declared, 413)

        async def chunks():
            for _ in range(10):
                yield b" " * 512

        streamed = await c.post(
            "/api/v1/clients",
            headers={**headers, "Content-Type": "application/json"},
            content=chunks(),
        )
        problem_of(streamed, 413)


async def test_too_many_requests_is_429_with_retry_after(
    engine, session_factory, mint: Callable[..., str]
) -> None:
    settings = make_settings(rate_limit_per_minute=3)
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    headers = {"Authorization": f"Bearer {mint('busy')}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        statuses = [(await c.get("/api/v1/me", headers=headers)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        response = await c.get("/api/v1/me", headers=headers)
        problem_of(response, 429)
        assert int(response.headers["retry-after"]) >= 1
        # another caller has its own allowance
        other = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {mint('calm')}"})
        assert other.status_code == 200


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (e.BadRequest("bad"), 400),
        (e.NotFound("gone"), 404),
        (e.Conflict("in flight"), 409),
        (e.PreconditionFailed("stale"), 412),
        (e.ValidationFailed([e.FieldError("/a/0", "min", "too small")]), 422),
    ],
)
async def test_service_errors_map_to_their_status(
    engine, session_factory, error: Exception, status: int
) -> None:
    settings = make_settings()
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    router = APIRouter()

    @router.get("/raise")
    async def _raise() -> None:
        raise error

    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        body = problem_of(await c.get("/raise"), status)
    assert body["code"] == error.code  # type: ignore[attr-defined]
    if status == 422:
        assert body["errors"] == [{"pointer": "/a/0", "rule": "min", "detail": "too small"}]


async def test_unexpected_errors_are_500_without_internals(engine, session_factory) -> None:
    settings = make_settings()
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    router = APIRouter()

    @router.get("/boom")
    async def _boom() -> None:
        raise RuntimeError("password=hunter2 at /srv/secret.py line 3")

    app.include_router(router)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
    ) as c:
        response = await c.get("/boom")
    body = problem_of(response, 500)
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "secret.py" not in response.text
    assert body["code"] == "internal-error"


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    given = "0b9a6a4e-8f3e-4b7f-9a59-6d7f2b8c9d10"
    response = await client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["x-request-id"] == given
    assert (await client.get("/healthz")).headers["x-request-id"] != given
