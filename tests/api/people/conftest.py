"""Fixtures for agencies, people and HRIS sync: two ministries' trees and clients scoped to them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients

OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="operator", roles=frozenset({Role.CENTRAL_ADMIN})
)

# Two ministries, each with departments and units; scoping tests use A (MOF) against B (MOI).
TREE: list[dict[str, Any]] = [
    {"code": "MOF", "name_th": "กระทรวงการคลัง", "kind": "ministry"},
    {"code": "RD", "name_th": "กรมสรรพากร", "kind": "department", "parent": "MOF"},
    {"code": "RD-IT", "name_th": "ศูนย์เทคโนโลยีสารสนเทศ", "kind": "centre", "parent": "RD"},
    {"code": "RD-BKK", "name_th": "สำนักงานสรรพากรกรุงเทพ", "kind": "bureau", "parent": "RD"},
    {"code": "CGD", "name_th": "กรมบัญชีกลาง", "kind": "department", "parent": "MOF"},
    {"code": "MOI", "name_th": "กระทรวงมหาดไทย", "kind": "ministry"},
    {"code": "DOPA", "name_th": "กรมการปกครอง", "kind": "department", "parent": "MOI"},
    {
        "code": "DOPA-CM",
        "name_th": "ที่ทำการปกครองจังหวัดเชียงใหม่",
        "kind": "provincial_office",
        "parent": "DOPA",
    },
]

# A valid national id (its check digit holds) and helpers to build people.
NATIONAL_ID = "1101700203450"


def person(external_id: str, agency: str = "RD", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "external_id": external_id,
        "first_name_th": "สมชาย",
        "last_name_th": f"ใจดี{external_id}",
        "agency": agency,
    }
    record.update(fields)
    return record


@pytest.fixture
def admin(admin_headers: dict[str, str]) -> dict[str, str]:
    return admin_headers


@pytest.fixture
async def tree(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/api/v1/agencies/bulk", json=TREE, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["counts"]["created"] == len(TREE)
    return response.json()


@pytest.fixture
def api_key(session: AsyncSession) -> Callable[..., Awaitable[dict[str, str]]]:
    """await api_key("RD", "people:write") -> headers of a client scoped to RD's subtree."""

    async def make(agency: str | None, *scopes: str) -> dict[str, str]:
        issued = await clients.create_client(
            session, OPERATOR, name=f"HRIS {agency}", agency=agency, scopes=list(scopes)
        )
        await session.flush()
        return {"X-API-Key": issued.api_key}

    return make


async def sync(
    client: httpx.AsyncClient,
    records: list[dict[str, Any]],
    headers: dict[str, str],
    **params: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/people/bulk", json=records, headers=headers, params=params
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def outcomes(body: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in body["results"]]


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


class Committed:
    """An app on its own database where every request really commits (for concurrency)."""

    def __init__(self, engine: Any, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.engine = engine
        self.client = client
        self.headers = headers  # a national client with every people and agency scope


@pytest.fixture(scope="session")
async def committed(database_url: str, settings: Any) -> Any:
    """A second database, migrated once, shared by the tests that need real commits; they use
    their own agency codes so that they do not meet."""
    import asyncio

    from sqlalchemy.engine import make_url

    from app.db.engine import create_engine, create_session_factory, ensure_database
    from app.db.migrate import upgrade_to_head
    from app.main import create_app
    from tests.conftest import build_runtime

    url = (
        make_url(database_url)
        .set(database="thaksa_test_people")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = create_engine(url, pool_size=5)
    factory = create_session_factory(engine)
    async with factory() as session, session.begin():
        issued = await clients.create_client(
            session,
            OPERATOR,
            name="national HRIS",
            agency=None,
            scopes=["people:write", "people:read", "agencies:write"],
        )
    app = create_app(settings, runtime=build_runtime(settings, engine, factory))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        yield Committed(engine, c, {"X-API-Key": issued.api_key})
    await engine.dispose()
