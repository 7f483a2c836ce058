"""Single-record reads and writes: ETag / If-Match, merge patch, deactivation, PDPA erasure."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import NATIONAL_ID, person, sync
from tests.helpers import problem_of

MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
async def people(client: httpx.AsyncClient, tree: Any, api_key: Any) -> dict[str, Any]:
    hris = await api_key("RD", "people:write")
    body = await sync(
        client,
        [
            person("B", subject="boss", email="boss@rd.go.th"),
            person("E", supervisor="B", national_id=NATIONAL_ID, subject="emp"),
        ],
        hris,
    )
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    return {"hris": hris, **ids}


async def test_get_answers_with_an_etag_that_changes_on_every_write(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    first = await client.get(url, headers=people["hris"])
    assert first.status_code == 200
    body = first.json()
    assert (body["external_id"], body["supervisor"], body["source"]) == ("E", "B", "RD")
    assert body["has_national_id"] is True
    assert "national_id" not in body
    etag = first.headers["ETag"]
    assert etag == f'"{body["version"]}"'
    patched = await client.patch(
        url, json={"position_title": "นักวิชาการคอมพิวเตอร์"}, headers={**people["hris"], **MERGE}
    )
    assert patched.status_code == 200
    assert patched.headers["ETag"] != etag
    assert (await client.get(url, headers=people["hris"])).headers["ETag"] == patched.headers[
        "ETag"
    ]


async def test_a_stale_if_match_is_412_and_writes_nothing(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    etag = (await client.get(url, headers=people["hris"])).headers["ETag"]
    await client.patch(url, json={"email": "new@rd.go.th"}, headers={**people["hris"], **MERGE})
    stale = await client.patch(
        url,
        json={"email": "stale@rd.go.th"},
        headers={**people["hris"], **MERGE, "If-Match": etag},
    )
    assert problem_of(stale, 412)["current_etag"] != etag
    put = await client.put(
        url, json=person("E", supervisor="B"), headers={**people["hris"], "If-Match": etag}
    )
    problem_of(put, 412)
    assert (await client.get(url, headers=people["hris"])).json()["email"] == "new@rd.go.th"


async def test_the_current_if_match_lets_the_write_through(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    etag = (await client.get(url, headers=people["hris"])).headers["ETag"]
    response = await client.put(
        url,
        json=person("E", supervisor="B", position_level="ชำนาญการพิเศษ"),
        headers={**people["hris"], "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["position_level"] == "ชำนาญการพิเศษ"
    assert body["has_national_id"] is False  # PUT replaces every field


async def test_patch_keeps_the_national_id_hash_and_null_empties_a_field(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    response = await client.patch(
        url, json={"supervisor": None, "email": "e@rd.go.th"}, headers={**people["hris"], **MERGE}
    )
    body = response.json()
    assert (body["supervisor"], body["email"], body["has_national_id"]) == (
        None,
        "e@rd.go.th",
        True,
    )


async def test_invalid_single_record_writes_are_422_with_pointers(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    headers = {**people["hris"], **MERGE}
    bad = await client.patch(url, json={"email": "nope", "supervisor": "GHOST"}, headers=headers)
    pointers = {(e["pointer"], e["rule"]) for e in problem_of(bad, 422)["errors"]}
    assert ("/email", "format") in pointers
    renamed = await client.patch(url, json={"external_id": "OTHER"}, headers=headers)
    assert problem_of(renamed, 422)["errors"][0]["rule"] == "immutable"
    cycle = await client.patch(
        f"/api/v1/people/{people['B']}", json={"supervisor": "E"}, headers=headers
    )
    assert problem_of(cycle, 422)["errors"][0]["rule"] == "supervisor-cycle"
    not_json = await client.patch(url, content=b"{", headers=headers)
    problem_of(not_json, 400)
    wrong_type = await client.put(
        url, content=b"a,b", headers={**people["hris"], "Content-Type": "text/csv"}
    )
    problem_of(wrong_type, 415)


async def test_people_are_deactivated_not_deleted(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{people['E']}"
    response = await client.post(
        f"{url}/deactivate", json={"end_date": "2568-09-30"}, headers=people["hris"]
    )
    assert response.status_code == 200, response.text
    assert (response.json()["active"], response.json()["end_date"]) == (False, "2025-09-30")
    assert (await client.delete(url, headers=people["hris"])).status_code == 405
    assert (await client.get(url, headers=people["hris"])).status_code == 200


async def test_an_unknown_person_is_404(client: httpx.AsyncClient, people: dict[str, Any]) -> None:
    url = "/api/v1/people/00000000-0000-0000-0000-000000000000"
    problem_of(await client.get(url, headers=people["hris"]), 404)
    problem_of(
        await client.patch(url, json={"email": "a@b.go.th"}, headers={**people["hris"], **MERGE}),
        404,
    )


async def test_erasure_removes_personal_fields_keeps_the_aggregates_and_is_audited(
    client: httpx.AsyncClient,
    people: dict[str, Any],
    admin_headers: dict[str, str],
    auth: Any,
    session: AsyncSession,
) -> None:
    url = f"/api/v1/people/{people['E']}"
    refused = await client.post(f"{url}/erase", headers=auth("x", "agency_admin", agency="RD"))
    problem_of(refused, 403)
    problem_of(await client.post(f"{url}/erase", headers=people["hris"]), 403)

    response = await client.post(f"{url}/erase", headers=admin_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["erased"] is True
    assert body["external_id"] == f"erased:{people['E']}"
    for field in ("first_name_th", "last_name_th", "email", "subject", "employee_number"):
        assert body[field] is None, field
    assert body["has_national_id"] is False
    assert (body["agency"], body["supervisor"], body["active"]) == ("RD", "B", False)
    row = (
        (await session.execute(text("SELECT * FROM person WHERE id = :i"), {"i": people["E"]}))
        .mappings()
        .one()
    )
    assert row["national_id_hash"] is None
    assert row["source_hash"] is None
    events = (
        await session.execute(
            text(
                "SELECT actor_id, details FROM audit_event"
                " WHERE entity = 'person' AND action = 'erase'"
            )
        )
    ).all()
    assert [e[0] for e in events] == ["central-admin"]
    assert "สมชาย" not in str(events[0][1])

    again = await client.post(f"{url}/erase", headers=admin_headers)
    assert again.status_code == 200  # idempotent
    changed = await client.patch(
        url, json={"email": "x@y.go.th"}, headers={**admin_headers, **MERGE}
    )
    problem_of(changed, 409)


async def test_a_national_id_matches_people_in_scope_by_its_hash(
    client: httpx.AsyncClient, people: dict[str, Any], api_key: Any
) -> None:
    response = await client.post(
        "/api/v1/people/match", json={"national_id": NATIONAL_ID}, headers=people["hris"]
    )
    assert [p["external_id"] for p in response.json()["items"]] == ["E"]
    outsider = await api_key("MOI", "people:read")
    response = await client.post(
        "/api/v1/people/match", json={"national_id": NATIONAL_ID}, headers=outsider
    )
    assert response.json() == {"items": [], "next_cursor": None}
    bad = await client.post(
        "/api/v1/people/match", json={"national_id": "123"}, headers=people["hris"]
    )
    problem_of(bad, 422)
