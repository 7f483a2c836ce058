"""A request carries one credential: a second, different one is refused, never ignored."""

from __future__ import annotations

import httpx

from tests.helpers import problem_of


async def test_an_invalid_token_beside_a_valid_key_is_refused_not_ignored(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/clients", headers=admin_headers, json={"name": "HRIS", "scopes": ["people:read"]}
    )
    key = created.json()["api_key"]
    both = {"X-API-Key": key, "Authorization": "Bearer not-a-token"}
    problem = problem_of(await client.get("/api/v1/me", headers=both), 401)
    assert "not both" in problem["detail"]
    same = {"X-API-Key": key, "Authorization": f"Bearer {key}"}
    assert (await client.get("/api/v1/me", headers=same)).status_code == 200
