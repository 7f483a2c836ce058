"""Every list answers {"items": [...], "next_cursor": ...}; lists that grow page with `limit`
and `cursor`, the cursor null on the last page (README "Lists")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers import problem_of


async def _all_pages(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], limit: int
) -> list[list[Any]]:
    pages: list[list[Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}, body
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def test_an_agencys_stage_declarations_and_history_page_and_end_with_a_null_cursor(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    url = "/api/v1/agencies/LST"
    agency = {"code": "LST", "name_th": "กระทรวงทดสอบ", "kind": "ministry"}
    for name in ("หนึ่ง", "สอง", "สาม", "สี่"):
        put = await client.put(url, json={**agency, "name_th": name}, headers=admin_headers)
        assert put.is_success, put.text
    for year in range(2566, 2571):
        body = {"stage": "early", "announced_on": "2024-10-01"}
        assert (
            await client.put(f"{url}/stages/{year}", json=body, headers=admin_headers)
        ).is_success

    pages = await _all_pages(client, f"{url}/stages", admin_headers, limit=2)
    assert [[d["fiscal_year"] for d in p] for p in pages] == [[2566, 2567], [2568, 2569], [2570]]

    pages = await _all_pages(client, f"{url}/history", admin_headers, limit=3)
    versions = [v["name_th"] for p in pages for v in p]
    assert versions == ["หนึ่ง", "สอง", "สาม", "สี่"]
    assert [len(p) for p in pages] == [3, 1]

    one = (await client.get(f"{url}/stages", headers=admin_headers)).json()
    assert (len(one["items"]), one["next_cursor"]) == (5, None)


async def test_a_cursor_of_another_list_or_a_made_up_one_is_422(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    url = "/api/v1/agencies/LST"
    agency = {"code": "LST", "name_th": "กระทรวงทดสอบ", "kind": "ministry"}
    await client.put(url, json=agency, headers=admin_headers)
    for year in (2567, 2568):
        body = {"stage": "early", "announced_on": "2024-10-01"}
        await client.put(f"{url}/stages/{year}", json=body, headers=admin_headers)
    first = (await client.get(f"{url}/stages", params={"limit": 1}, headers=admin_headers)).json()
    assert first["next_cursor"]
    for cursor in (first["next_cursor"], "not-a-cursor"):
        target = f"{url}/history" if cursor == first["next_cursor"] else f"{url}/stages"
        body = problem_of(
            await client.get(target, params={"cursor": cursor}, headers=admin_headers), 422
        )
        assert body["errors"][0]["rule"] == "cursor"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/planning/methods",
        "/api/v1/frameworks",
        "/api/v1/frameworks/ocsc/units",
        "/api/v1/frameworks/ocsc/role-profiles",
    ],
)
async def test_small_fixed_lists_come_whole_in_the_same_shape(
    client: httpx.AsyncClient, seeded: Any, admin_headers: dict[str, str], url: str
) -> None:
    body = (await client.get(url, headers=admin_headers)).json()
    assert set(body) == {"items", "next_cursor"}
    assert body["items"]
    assert body["next_cursor"] is None


async def test_integration_clients_page(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for i in range(3):
        created = await client.post(
            "/api/v1/clients", json={"name": f"HRIS {i}", "scopes": []}, headers=admin_headers
        )
        assert created.status_code == 201, created.text
    pages = await _all_pages(client, "/api/v1/clients", admin_headers, limit=2)
    names = [c["name"] for p in pages for c in p]
    # (created in one transaction here, so at one time: their order among them is by id)
    assert sorted(n for n in names if n.startswith("HRIS ")) == ["HRIS 0", "HRIS 1", "HRIS 2"]
    assert len(names) == len(set(names))
    assert all(len(p) <= 2 for p in pages)
    assert len(pages) >= 2
