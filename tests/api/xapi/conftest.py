"""Two agencies with people who have e-mail addresses, and e-learning providers' clients."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.services.platform import clients
from tests.workforce import OPERATOR

V = {"X-Experience-API-Version": "1.0.3"}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
COURSE = "https://learn.ocsc.go.th/course/DLit400"


def statement(
    email: str = "somchai@a.go.th", verb: str = COMPLETED, activity: str = COURSE, **more: Any
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}", "name": "สมชาย"},
        "verb": {"id": verb, "display": {"en-US": "completed", "th": "สำเร็จ"}},
        "object": {"id": activity, "definition": {"name": {"th": "ดิจิทัล 400"}}},
        **more,
    }


def basic(api_key: str) -> dict[str, str]:
    """HTTP Basic credentials of an integration client: key id and secret."""
    prefix, secret = api_key.removeprefix("thk_").split("_", 1)
    token = base64.b64encode(f"thk_{prefix}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
async def lrs(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
) -> dict[str, Any]:
    """Agencies XA (with XA-SUB) and XB; a person in each with an e-mail; a provider client for
    each agency (Basic headers with the version header), and one national."""
    tree = [
        {"code": "XA", "name_th": "หน่วยงานเอ", "kind": "department"},
        {"code": "XA-SUB", "name_th": "กองเอ", "kind": "division", "parent": "XA"},
        {"code": "XB", "name_th": "หน่วยงานบี", "kind": "department"},
    ]
    response = await client.post("/api/v1/agencies/bulk", json=tree, headers=admin_headers)
    assert response.status_code == 200, response.text
    keys: dict[str, dict[str, str]] = {}
    for name, agency in (("a", "XA"), ("b", "XB"), ("national", None)):
        issued = await clients.create_client(
            session,
            OPERATOR,
            name=f"provider {name}",
            agency=agency,
            scopes=["statements:write", "statements:read", "people:write"],
        )
        keys[name] = {**basic(issued.api_key), **V}
        keys[f"{name}_key"] = {"X-API-Key": issued.api_key, **V}
    await session.flush()
    people: dict[str, str] = {}
    for name, agency, email, ext in (
        ("somchai", "XA-SUB", "somchai@a.go.th", "A-001"),
        ("manee", "XB", "manee@b.go.th", "B-001"),
    ):
        response = await client.post(
            "/api/v1/people/bulk",
            json=[
                {
                    "external_id": ext,
                    "first_name_th": "คน",
                    "last_name_th": name,
                    "agency": agency,
                    "email": email,
                    "subject": f"sub-{name}",
                }
            ],
            headers={
                "X-API-Key": keys[f"{'a' if agency.startswith('XA') else 'b'}_key"]["X-API-Key"]
            },
        )
        assert response.status_code == 200, response.text
        people[name] = response.json()["results"][0]["id"]
    return {"keys": keys, "people": people, "admin": {**admin_headers, **V}}
