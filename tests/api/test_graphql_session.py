"""One GraphQL operation, one database session: sibling fields resolve concurrently, and when
one fails at the top the others are cancelled; neither may break the session or leak a driver
message. Unexpected failures are masked into a coded ``INTERNAL`` error with the request id."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.engine import create_session_factory
from app.main import create_app
from app.settings import Settings
from tests.api.assessments.flow import open_
from tests.conftest import build_runtime

TWO_FIELDS = """query($p: ID!, $id: ID!) {
  person(id: $p) { id firstNameTh supervisor { id } agency { code } }
  assessment(personId: $p, id: $id) { id status } }"""
MANY_FIELDS = """query($p: ID!, $id: ID!) {
  me { subject }
  myPerson { id }
  agencies { code children { code } }
  person(id: $p) { id supervisor { id } }
  frameworks { key }
  assessmentsAwaitingMe { assessment { id } }
  assessment(personId: $p, id: $id) { id status } }"""


def _codes(body: dict[str, Any]) -> list[str]:
    return [err["extensions"]["code"] for err in body.get("errors", [])]


async def test_sibling_fields_share_the_session_for_every_kind_of_caller(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    """Each operation answers as its fields would alone, every time, whether the
    assessment exists (every field answers) or not (NOT_FOUND cancels the sibling fields)."""
    line = await make_workforce()
    a = await open_(client, line)
    callers = {
        "central admin": admin_headers,
        "agency admin": line["admin"],
        "supervisor": line["head"],
        "employee": line["officer"],
        "outsider": line["outsider"],
    }
    for who, headers in callers.items():
        for query in (TWO_FIELDS, MANY_FIELDS):
            for assessment in (a["id"], str(uuid.uuid4())):
                variables = {"p": line["officer_id"], "id": assessment}
                for _ in range(8):
                    response = await client.post(
                        "/graphql", json={"query": query, "variables": variables}, headers=headers
                    )
                    assert response.status_code == 200, (who, response.text)
                    body = response.json()
                    sees = who != "outsider" and assessment == a["id"]
                    assert _codes(body) == ([] if sees else ["NOT_FOUND"]), (who, body)
                    if sees:
                        assert body["data"]["assessment"]["id"] == a["id"]
                        assert body["data"]["person"]["id"] == line["officer_id"]


async def test_a_cancelled_sibling_never_breaks_a_session_of_the_pool(
    engine: AsyncEngine, settings: Settings, auth: Callable[..., dict[str, str]]
) -> None:
    """As in production: each request takes its own session from the engine. A field that
    fails at the top used to cancel its sibling while it connected; the rollback then failed
    and the driver's message reached the client."""
    runtime = build_runtime(settings, engine, create_session_factory(engine))
    transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime))
    callers = [
        auth("central-admin", "central_admin"),
        auth("dga-admin", "agency_admin", agency="DGA"),
        auth("head", "employee", "supervisor", agency="DGA"),
        auth("someone", "employee", agency="DGA"),
    ]
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        for headers in callers:
            for query in (TWO_FIELDS, MANY_FIELDS):
                for _ in range(10):
                    variables = {"p": str(uuid.uuid4()), "id": str(uuid.uuid4())}
                    response = await c.post(
                        "/graphql", json={"query": query, "variables": variables}, headers=headers
                    )
                    assert response.status_code == 200, response.text
                    assert _codes(response.json()) == ["NOT_FOUND"], response.text


async def test_an_unexpected_failure_is_masked_with_the_request_id(
    client: httpx.AsyncClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.people import agencies

    async def broken(*_: Any) -> Any:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    monkeypatch.setattr(agencies, "tree_roots", broken)
    response = await client.post(
        "/graphql", json={"query": "{ agencies { code } }"}, headers=admin_headers
    )
    assert response.status_code == 200
    body = response.json()
    assert "hunter2" not in response.text
    assert "db.internal" not in response.text
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "INTERNAL",
        "requestId": response.headers["x-request-id"],
    }
    assert error["path"] == ["agencies"]
