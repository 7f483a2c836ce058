"""The CASE 1.1 read service, and a CASE export imported into an empty database reproducing the
frameworks exactly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.db.engine import create_engine, create_session_factory, ensure_database
from app.db.migrate import upgrade_to_head
from app.domain.framework.case_export import document_id, item_id
from app.main import create_app
from app.settings import Settings
from tests.conftest import build_runtime
from tests.helpers import problem_of

CASE = "/ims/case/v1p1"
Headers = dict[str, str]


@pytest.fixture
def reader(seeded: dict[str, Any], auth: Callable[..., Headers]) -> Headers:
    return auth("nok", "employee")


async def test_documents_list_every_version_with_its_adoption_status(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    response = await client.get(f"{CASE}/CFDocuments", headers=reader)
    assert response.status_code == 200
    documents = response.json()["CFDocuments"]
    assert sorted((d["version"], d["adoptionStatus"], d["caseVersion"]) for d in documents) == [
        ("2561", "Adopted", "1.1"),
        ("2563", "Adopted", "1.1"),
    ]
    assert {d["identifier"] for d in documents} == {
        document_id("ocsc", "2561"),
        document_id("tpqi-it-exec", "2563"),
    }


async def test_a_package_is_the_case_export_of_its_version(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    package = (
        await client.get(f"{CASE}/CFPackages/{document_id('ocsc', '2561')}", headers=reader)
    ).json()
    exported = (
        await client.get(
            "/api/v1/frameworks/ocsc/export", params={"format": "case"}, headers=reader
        )
    ).json()
    assert package == exported
    assert len(package["CFItems"]) == 108 + 18
    assert {i["CFItemType"] for i in package["CFItems"]} >= {
        "Domain",
        "Unit",
        "Knowledge",
        "Role Profile",
    }


async def test_items_and_associations_are_found_by_their_stable_identifiers(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    item = (await client.get(f"{CASE}/CFItems/{item_id('ocsc', 'DS100')}", headers=reader)).json()
    assert item["humanCodingScheme"] == "DS100"
    assert item["CFDocumentURI"]["identifier"] == document_id("ocsc", "2561")
    tpqi_dl100 = (
        await client.get(f"{CASE}/CFItems/{item_id('tpqi-it-exec', 'DL100')}", headers=reader)
    ).json()
    assert "Digital DNA" not in tpqi_dl100["fullStatement"]
    package = (
        await client.get(f"{CASE}/CFPackages/{document_id('tpqi-it-exec', '2563')}", headers=reader)
    ).json()
    crosswalk = next(
        a
        for a in package["CFAssociations"]
        if a["originNodeURI"]["title"] == "DL700" and a["associationType"] == "exactMatchOf"
    )
    association = (
        await client.get(f"{CASE}/CFAssociations/{crosswalk['identifier']}", headers=reader)
    ).json()
    assert association["destinationNodeURI"]["identifier"] == item_id("ocsc", "DL100")
    assert association["CFDocumentURI"]["identifier"] == document_id("tpqi-it-exec", "2563")


async def test_unknown_identifiers_and_missing_credentials_are_problems(
    client: httpx.AsyncClient, reader: Headers, mint: Callable[..., str]
) -> None:
    problem_of(
        await client.get(f"{CASE}/CFItems/00000000-0000-0000-0000-000000000000", headers=reader),
        404,
    )
    problem_of(await client.get(f"{CASE}/CFPackages/nope", headers=reader), 404)
    problem_of(await client.get(f"{CASE}/CFDocuments"), 401)


async def test_a_case_export_imported_into_an_empty_database_reproduces_the_frameworks_exactly(
    client: httpx.AsyncClient,
    reader: Headers,
    admin_headers: Headers,
    database_url: str,
    settings: Settings,
) -> None:
    originals = {}
    packages = {}
    for key in ("ocsc", "tpqi-it-exec"):
        originals[key] = (
            await client.get(f"/api/v1/frameworks/{key}/export", headers=reader)
        ).json()
        packages[key] = (
            await client.get(
                f"/api/v1/frameworks/{key}/export", params={"format": "case"}, headers=reader
            )
        ).json()

    url = (
        make_url(database_url)
        .set(database="thaksa_test_case")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = create_engine(url, pool_size=2)
    try:
        app = create_app(
            settings, runtime=build_runtime(settings, engine, create_session_factory(engine))
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://other"
        ) as other:
            for key in ("ocsc", "tpqi-it-exec"):  # the crosswalk target first
                response = await other.post(
                    "/api/v1/frameworks/import",
                    params={"publish": "true"},
                    json=packages[key],
                    headers=admin_headers,
                )
                assert response.status_code == 201, response.text
                assert response.json()["status"] == "created"
            for key in ("ocsc", "tpqi-it-exec"):
                again = (await other.get(f"/api/v1/frameworks/{key}/export", headers=reader)).json()
                assert again == originals[key]
                assert list(again["items"][0]) == list(originals[key]["items"][0])  # key order too
    finally:
        await engine.dispose()
