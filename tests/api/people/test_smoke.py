from __future__ import annotations

from typing import Any

import httpx

from tests.api.people.conftest import outcomes, person, sync


async def test_smoke(client: httpx.AsyncClient, tree: Any, api_key: Any) -> None:
    headers = await api_key("RD", "people:write")
    body = await sync(
        client,
        [
            person("E1"),
            person("E2", supervisor="E1"),
            person("E3", supervisor="E9"),
            person("E4", supervisor="E5"),
            person("E5", supervisor="E4"),
        ],
        headers,
    )
    print(body)
    assert outcomes(body) == ["created", "created", "rejected", "rejected", "rejected"]
    again = await sync(client, [person("E1"), person("E2", supervisor="E1")], headers)
    assert outcomes(again) == ["unchanged", "unchanged"]
    listed = await client.get("/api/v1/people", headers=headers)
    print(listed.json())
    assert len(listed.json()["items"]) == 2
