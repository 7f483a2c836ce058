"""Writing frameworks over REST: import (native and CASE), drafts, publish, retire; a bad import
is one problem+json listing every problem and writes nothing; published versions are immutable."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.helpers import problem_of

API = "/api/v1/frameworks"
Headers = dict[str, str]
TABLES = (
    "framework",
    "framework_version",
    "framework_item",
    "role_profile",
    "crosswalk_link",
    "audit_event",
)


async def counts(session: AsyncSession) -> dict[str, int]:
    out = {}
    for table in TABLES:
        query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
        out[table] = (await session.execute(query)).scalar_one()
    return out


async def export(
    client: httpx.AsyncClient, headers: Headers, key: str = "ocsc", **params: Any
) -> Any:
    response = await client.get(f"{API}/{key}/export", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def renamed(document: dict[str, Any], code: str, name_en: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for item in changed["items"]:
        if item["code"] == code:
            item["name_en"] = name_en
    return changed


async def test_only_central_administrators_write(
    client: httpx.AsyncClient,
    seeded: dict[str, Any],
    auth: Callable[..., Headers],
    admin_headers: Headers,
    session: AsyncSession,
) -> None:
    document = await export(client, admin_headers)
    before = await counts(session)
    hr = auth("hr", "agency_admin", agency="MOF")
    problem_of(await client.post(f"{API}/import", json=document, headers=hr), 403)
    problem_of(await client.post(f"{API}/ocsc/versions", json={}, headers=hr), 403)
    problem_of(await client.post(f"{API}/ocsc/versions/2561/retire", headers=hr), 403)
    assert await counts(session) == before


async def test_importing_an_export_unchanged_imports_nothing(
    client: httpx.AsyncClient, seeded: dict[str, Any], admin_headers: Headers, session: AsyncSession
) -> None:
    before = await counts(session)
    for fmt in ("native", "case"):
        document = await export(client, admin_headers, format=fmt)
        response = await client.post(f"{API}/import", json=document, headers=admin_headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "unchanged"
        assert response.json()["version"] == "2561"
    assert await counts(session) == before


async def test_a_changed_document_becomes_a_draft_that_publishing_makes_current(
    client: httpx.AsyncClient,
    seeded: dict[str, Any],
    admin_headers: Headers,
    auth: Callable[..., Headers],
) -> None:
    reader = auth("somchai", "employee")
    document = renamed(await export(client, admin_headers), "DS100", "Connected services")
    response = await client.post(f"{API}/import", json=document, headers=admin_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["version"], body["version_status"]) == (
        "created",
        "2561.1",
        "draft",
    )
    assert body["changes"]["items_changed"] == 1

    # a draft is visible to administrators only; readers still get the published version
    problem_of(
        await client.get(f"{API}/ocsc/units/DS100", params={"version": "2561.1"}, headers=reader),
        404,
    )
    draft = await client.get(
        f"{API}/ocsc/units/DS100", params={"version": "2561.1"}, headers=admin_headers
    )
    assert draft.json()["name_en"] == "Connected services"
    assert (await client.get(f"{API}/ocsc/units/DS100", headers=reader)).json()["name_en"] is None

    published = await client.post(f"{API}/ocsc/versions/2561.1/publish", headers=admin_headers)
    assert published.json()["status"] == "published"
    framework = (await client.get(f"{API}/ocsc", headers=reader)).json()
    assert framework["current_version"] == "2561.1"
    assert [(v["version"], v["status"]) for v in framework["versions"]] == [
        ("2561", "retired"),
        ("2561.1", "published"),
    ]
    diff = (await client.get(f"{API}/ocsc/diff", params={"from": "2561"}, headers=reader)).json()
    assert diff["items"]["changed"] == [
        {
            "key": "DS100",
            "fields": ["name_en"],
            "before": {"name_en": None},
            "after": {"name_en": "Connected services"},
        }
    ]
    assert diff["items"]["added"] == diff["items"]["removed"] == []
    events = (
        await client.get(
            "/api/v1/audit-events", params={"entity": "framework_version"}, headers=admin_headers
        )
    ).json()
    assert [e["action"] for e in events["items"][:3]] == ["publish", "retire", "create"]


async def test_a_published_version_is_immutable_and_a_draft_is_not(
    client: httpx.AsyncClient, seeded: dict[str, Any], admin_headers: Headers
) -> None:
    document = await export(client, admin_headers)
    changed = renamed(document, "DG500", "Digital risk")
    body = problem_of(
        await client.put(f"{API}/ocsc/versions/2561", json=changed, headers=admin_headers), 409
    )
    assert body["version_status"] == "published"
    problem_of(await client.delete(f"{API}/ocsc/versions/2561", headers=admin_headers), 409)

    draft = await client.post(
        f"{API}/ocsc/versions", json={"version": "2562"}, headers=admin_headers
    )
    assert (draft.status_code, draft.json()["status"]) == (201, "draft")
    replaced = await client.put(f"{API}/ocsc/versions/2562", json=changed, headers=admin_headers)
    assert replaced.status_code == 200, replaced.text
    unit = await client.get(
        f"{API}/ocsc/items/DG500", params={"version": "2562"}, headers=admin_headers
    )
    assert unit.json()["name_en"] == "Digital risk"
    assert (
        await client.delete(f"{API}/ocsc/versions/2562", headers=admin_headers)
    ).status_code == 204
    problem_of(
        await client.get(
            f"{API}/ocsc/items/DG500", params={"version": "2562"}, headers=admin_headers
        ),
        404,
    )


def broken_document(document: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    items = broken["items"]
    index = {it["code"]: n for n, it in enumerate(items)}
    items[index["DLit200"]]["code"] = "DLit100"  # duplicate code
    items[index["DT300"]]["parent"] = "DX"  # dangling reference
    items[index["DS101"]]["parent"] = "DS101.1"  # cycle DS101 <-> DS101.1
    items[index["K-R3"]]["kind"] = "skill"  # unknown type
    broken["role_profiles"][0]["printed"]["unit"][0]["code"] = "ZZ100"  # dangling reference
    return broken


@pytest.mark.parametrize("fmt", ["native", "case"])
async def test_a_bad_import_lists_every_problem_in_one_answer_and_writes_nothing(
    client: httpx.AsyncClient,
    seeded: dict[str, Any],
    admin_headers: Headers,
    session: AsyncSession,
    fmt: str,
) -> None:
    document = await export(client, admin_headers)
    broken = broken_document(document)
    if fmt == "case":
        package = await export(client, admin_headers, format="case")
        by_code = {i["humanCodingScheme"]: i for i in package["CFItems"]}
        by_code["DLit200"]["humanCodingScheme"] = "DLit100"
        by_code["K-R3"]["CFItemType"] = "Skill"
        by_code["K-R3"]["extensions"]["thaksa"].pop("kind")
        ds101, ds1011 = by_code["DS101"]["identifier"], by_code["DS101.1"]["identifier"]
        for a in package["CFAssociations"]:
            if a["associationType"] == "isChildOf" and a["originNodeURI"]["identifier"] == ds101:
                a["destinationNodeURI"]["identifier"] = ds1011
            if a["associationType"] == "isChildOf" and a["originNodeURI"]["title"] == "DT300":
                a["destinationNodeURI"]["identifier"] = "11111111-2222-3333-4444-555555555555"
        broken = package
    before = await counts(session)
    body = problem_of(await client.post(f"{API}/import", json=broken, headers=admin_headers), 422)
    rules = {e["rule"] for e in body["errors"]}
    assert {"duplicate-code", "dangling-reference", "hierarchy-cycle", "unknown-type"} <= rules
    assert all(e["pointer"].startswith("/") for e in body["errors"])
    assert "nothing was saved" in body["detail"]
    assert await counts(session) == before


async def test_an_import_pointing_at_a_missing_framework_version_is_refused(
    client: httpx.AsyncClient, seeded: dict[str, Any], admin_headers: Headers
) -> None:
    document = await export(client, admin_headers, key="tpqi-it-exec")
    document["crosswalks"][0]["to"]["version"] = "2599"
    document["items"][-1]["name_th"] = "changed"
    body = problem_of(await client.post(f"{API}/import", json=document, headers=admin_headers), 422)
    assert [(e["pointer"], e["rule"]) for e in body["errors"]] == [
        ("/crosswalks/0/to", "dangling-reference")
    ]


async def test_a_new_framework_can_be_imported_and_published(
    client: httpx.AsyncClient,
    seeded: dict[str, Any],
    admin_headers: Headers,
    auth: Callable[..., Headers],
) -> None:
    document = await export(client, admin_headers, key="tpqi-it-exec")
    document["framework"]["key"] = "tpqi-copy"
    response = await client.post(
        f"{API}/import", params={"publish": "true"}, json=document, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["version_status"] == "published"
    listed = (await client.get(API, headers=auth("x", "employee"))).json()["items"]
    assert [f["key"] for f in listed] == ["ocsc", "tpqi-copy", "tpqi-it-exec"]
