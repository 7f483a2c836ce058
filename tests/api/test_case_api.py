"""The CASE 1.1 REST binding: every operation, every kind of identifier it serves, validated
against the binding's schemas (``tests/case_schemas.py``); its imsx_StatusInfo error bodies; the
getAllCFDocuments query parameters; the switch that leaves Thaksa's extensions out; and a CASE
export imported into an empty database reproducing the frameworks exactly."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy.engine import make_url

from app.db.engine import create_engine, create_session_factory, ensure_database
from app.db.migrate import upgrade_to_head
from app.domain import errors as e
from app.domain.framework.case_export import document_id, item_id
from app.main import create_app
from app.settings import Settings
from tests import case_schemas
from tests.conftest import build_runtime, make_settings

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


# --- conformance: every operation x every kind of identifier, against the binding's schemas ---


def _kinds(package: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """One identifier of every kind the package serves: each CFItemType of item, each association
    type within each grouping, every item type and association grouping."""
    items: dict[str, str] = {}
    for item in package["CFItems"]:
        items.setdefault(item["CFItemType"], item["identifier"])
    associations: dict[tuple[str, str], str] = {}
    for a in package["CFAssociations"]:
        grouping = a.get("CFAssociationGroupingURI", {}).get("title", "")
        associations.setdefault((a["associationType"], grouping), a["identifier"])
    definitions = package["CFDefinitions"]
    return {
        "CFItems/{id}": [(f"CFItem {t}", i) for t, i in items.items()],
        "CFItemAssociations/{id}": [(f"CFItem {t}", i) for t, i in items.items()],
        "CFAssociations/{id}": [(f"{t} {g}", i) for (t, g), i in associations.items()],
        "CFItemTypes/{id}": [(t["title"], t["identifier"]) for t in definitions["CFItemTypes"]],
        "CFAssociationGroupings/{id}": [
            (g["title"], g["identifier"]) for g in definitions["CFAssociationGroupings"]
        ],
    }


def _has_extensions(payload: Any) -> bool:
    if isinstance(payload, dict):
        return "extensions" in payload or any(_has_extensions(v) for v in payload.values())
    if isinstance(payload, list):
        return any(_has_extensions(v) for v in payload)
    return False


async def test_every_operation_serves_every_kind_of_identifier_valid_against_case_1_1(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    served: list[tuple[str, str, int]] = []
    failures: list[str] = []

    async def check(operation: str, path: str, label: str) -> dict[str, Any]:
        for extensions in (True, False):
            params = {} if extensions else {"extensions": "false"}
            response = await client.get(f"{CASE}/{path}", headers=reader, params=params)
            assert response.status_code == 200, (path, response.text)
            payload = response.json()
            failures.extend(
                f"{operation} {label}{'' if extensions else ' (no extensions)'} {p}"
                for p in case_schemas.problems(case_schemas.RESPONSES[operation], payload)
            )
            if not extensions:
                assert not _has_extensions(payload), (operation, label)
            served.append((operation, label, response.status_code))
        return payload

    documents = await check("CFDocuments", "CFDocuments", "all")
    assert len(documents["CFDocuments"]) == 2
    for document in documents["CFDocuments"]:
        identifier = document["identifier"]
        await check("CFDocuments/{id}", f"CFDocuments/{identifier}", document["title"])
        package = await check("CFPackages/{id}", f"CFPackages/{identifier}", document["title"])
        package = (await client.get(f"{CASE}/CFPackages/{identifier}", headers=reader)).json()
        for operation, identifiers in _kinds(package).items():
            for label, node in identifiers:
                path = operation.replace("{id}", node)
                await check(operation, path, label)
    assert failures == []
    kinds = {(o, label) for o, label, _ in served}
    assert ("CFItems/{id}", "CFItem Role Profile") in kinds
    assert ("CFAssociations/{id}", "exactMatchOf Crosswalk") in kinds
    assert ("CFAssociations/{id}", "isRelatedTo Role profile requirement") in kinds
    assert ("CFAssociationGroupings/{id}", "Crosswalk") in kinds


async def test_a_package_carries_no_package_uri_and_a_document_carries_its_package_uri(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    identifier = document_id("ocsc", "2561")
    package = (await client.get(f"{CASE}/CFPackages/{identifier}", headers=reader)).json()
    assert "CFPackageURI" not in package["CFDocument"]
    document = (await client.get(f"{CASE}/CFDocuments/{identifier}", headers=reader)).json()
    assert document["CFPackageURI"]["uri"].endswith(f"{CASE}/CFPackages/{identifier}")
    assert {k: v for k, v in document.items() if k != "CFPackageURI"} == package["CFDocument"]


async def test_item_associations_are_the_item_and_every_association_it_is_an_end_of(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    ds100 = item_id("ocsc", "DS100")
    body = (await client.get(f"{CASE}/CFItemAssociations/{ds100}", headers=reader)).json()
    assert body["CFItem"]["humanCodingScheme"] == "DS100"
    kinds = [
        (a["associationType"], a["originNodeURI"]["title"], a["destinationNodeURI"]["title"])
        for a in body["CFAssociations"]
    ]
    assert ("isChildOf", "DS100", "DS") in kinds  # its parent
    assert ("isChildOf", "DS101", "DS100") in kinds  # its elements
    assert any(k == "isRelatedTo" and d == "DS100" for k, _, d in kinds)  # profiles requiring it
    assert all(
        ds100 in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in body["CFAssociations"]
    )


async def test_extensions_false_serves_pure_case_and_nothing_else_changes(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    identifier = document_id("ocsc", "2561")
    for path, params in (
        (f"{CASE}/CFPackages/{identifier}", {}),
        (f"{CASE}/CFItems/{item_id('ocsc', 'DS100')}", {}),
        (f"{CASE}/CFDocuments", {}),
        ("/api/v1/frameworks/ocsc/export", {"format": "case"}),
    ):
        full = (await client.get(path, headers=reader, params=params)).json()
        pure = (
            await client.get(path, headers=reader, params={**params, "extensions": "false"})
        ).json()
        assert _has_extensions(full)
        assert not _has_extensions(pure)
        assert pure == _drop_extensions(full)


def _drop_extensions(payload: Any) -> Any:
    if isinstance(payload, dict):
        return {k: _drop_extensions(v) for k, v in payload.items() if k != "extensions"}
    if isinstance(payload, list):
        return [_drop_extensions(v) for v in payload]
    return payload


# --- errors: imsx_StatusInfo on every CASE path ------------------------------------------------

SINGLE = [
    "CFDocuments",
    "CFPackages",
    "CFItems",
    "CFItemAssociations",
    "CFAssociations",
    "CFItemTypes",
    "CFConcepts",
    "CFSubjects",
    "CFLicenses",
    "CFAssociationGroupings",
    "CFRubrics",
]


def status_info(response: httpx.Response, status: int, major: str = "failure") -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert case_schemas.problems(case_schemas.STATUS_INFO, body) == []
    assert body["imsx_codeMajor"] == major
    assert body["imsx_severity"] == "error"
    assert body["imsx_description"]
    return body


def minor(body: dict[str, Any]) -> tuple[str, str]:
    field = body["imsx_codeMinor"]["imsx_codeMinorField"][0]
    return field["imsx_codeMinorFieldName"], field["imsx_codeMinorFieldValue"]


@pytest.mark.parametrize("collection", SINGLE)
async def test_every_operation_answers_unknown_and_malformed_identifiers_with_status_info(
    client: httpx.AsyncClient, reader: Headers, collection: str
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    body = status_info(await client.get(f"{CASE}/{collection}/{unknown}", headers=reader), 404)
    assert minor(body) == ("sourcedId", "unknownobject")
    assert unknown in body["imsx_description"]
    body = status_info(await client.get(f"{CASE}/{collection}/DS100", headers=reader), 404)
    assert minor(body) == ("sourcedId", "invalid_uuid")
    body = status_info(await client.get(f"{CASE}/{collection}/{unknown}"), 401)
    assert minor(body) == ("TargetEndSystem", "unauthorised_request")
    body = status_info(
        await client.get(f"{CASE}/{collection}/{unknown}", headers=reader, params={"limit": "5"}),
        400,
    )
    assert minor(body) == ("limit", "invalid_selection_field")


async def test_credentials_methods_and_paths_are_refused_with_status_info(
    client: httpx.AsyncClient, reader: Headers, admin_headers: Headers
) -> None:
    body = status_info(await client.get(f"{CASE}/CFDocuments"), 401)
    assert minor(body)[1] == "unauthorised_request"
    created = await client.post(
        "/api/v1/clients",
        json={"name": "LMS", "scopes": []},
        headers=admin_headers,
    )
    no_scope = {"X-API-Key": created.json()["api_key"]}
    body = status_info(await client.get(f"{CASE}/CFDocuments", headers=no_scope), 403)
    assert minor(body)[1] == "forbidden"
    response = await client.post(f"{CASE}/CFDocuments", headers=reader, json={})
    status_info(response, 405, major="unsupported")
    body = status_info(await client.get(f"{CASE}/CFNothing", headers=reader), 404)
    assert minor(body)[1] == "unknownobject"


@pytest.mark.parametrize(
    ("error", "status", "code_minor"),
    [
        (e.BadRequest("bad"), 400, "invalid_selection_field"),
        (e.Forbidden("no"), 403, "forbidden"),
        (e.ValidationFailed([e.FieldError("/a", "min", "too small")]), 422, None),
        (e.RateLimited("slow down", retry_after=3), 429, "server_busy"),
        (RuntimeError("password=hunter2 at /srv/secret.py"), 500, "internal_server_error"),
    ],
)
async def test_any_error_under_the_case_root_is_status_info_without_internals(
    engine: Any, session_factory: Any, error: Exception, status: int, code_minor: str | None
) -> None:
    settings = make_settings()
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    router = APIRouter()

    @router.get(f"{CASE}/raise")
    async def _raise() -> None:
        raise error

    app.include_router(router)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
    ) as c:
        response = await c.get(f"{CASE}/raise")
        outside = await c.get("/api/v1/nothing-here")
    body = status_info(response, status)
    assert "hunter2" not in response.text
    assert ("imsx_codeMinor" in body) is (code_minor is not None)
    if code_minor is not None:
        assert minor(body)[1] == code_minor
    assert outside.headers["content-type"] == "application/problem+json"  # elsewhere: problems


# --- getAllCFDocuments query parameters ---------------------------------------------------------


async def documents(client: httpx.AsyncClient, reader: Headers, **params: Any) -> httpx.Response:
    return await client.get(f"{CASE}/CFDocuments", headers=reader, params=params)


async def test_documents_are_paged_with_total_count_and_links(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    first = await documents(client, reader, limit=1, sort="title")
    assert first.status_code == 200
    assert first.headers["X-Total-Count"] == "2"
    assert len(first.json()["CFDocuments"]) == 1
    links = first.headers["Link"]
    assert 'rel="next"' in links
    assert 'rel="prev"' not in links
    assert "offset=1" in links
    assert "sort=title" in links
    second = await documents(client, reader, limit=1, offset=1, sort="title")
    assert 'rel="prev"' in second.headers["Link"]
    assert 'rel="next"' not in second.headers["Link"]
    titles = [r.json()["CFDocuments"][0]["title"] for r in (first, second)]
    assert titles == sorted(titles, key=str.casefold)
    descending = await documents(client, reader, sort="title", orderBy="desc")
    assert [d["title"] for d in descending.json()["CFDocuments"]] == titles[::-1]
    default = (await documents(client, reader)).json()
    assert (await documents(client, reader, sort="shoeSize")).json() == default  # binding §3.2


async def test_documents_are_filtered_and_fields_selected(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    only = await documents(client, reader, filter="version='2561'")
    assert [d["version"] for d in only.json()["CFDocuments"]] == ["2561"]
    assert only.headers["X-Total-Count"] == "1"
    either = await documents(client, reader, filter="version='2561' OR version='2563'")
    assert len(either.json()["CFDocuments"]) == 2
    both = await documents(client, reader, filter="version='2561' AND adoptionStatus='adopted'")
    assert len(both.json()["CFDocuments"]) == 1  # values compare case-insensitively
    nested = await documents(client, reader, filter="extensions.thaksa.framework.key~'tpqi'")
    assert [d["version"] for d in nested.json()["CFDocuments"]] == ["2563"]
    selected = await documents(client, reader, fields="identifier,title")
    assert all(set(d) == {"identifier", "title"} for d in selected.json()["CFDocuments"])
    unknown_field = await documents(client, reader, fields="identifier,shoeSize")
    assert all("CFPackageURI" in d for d in unknown_field.json()["CFDocuments"])  # all data


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"filter": "shoeSize='42'"}, "filter"),
        ({"filter": "version=2561"}, "filter"),  # the value is not quoted
        ({"filter": "version='1' AND title='x' OR title='y'"}, "filter"),
        ({"fields": "identifier,,title"}, "fields"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"orderBy": "up"}, "orderBy"),
        ({"extensions": "perhaps"}, "extensions"),
        ({"page": "2"}, "page"),
    ],
)
async def test_selection_parameters_that_cannot_be_applied_are_400_naming_them(
    client: httpx.AsyncClient, reader: Headers, params: dict[str, str], parameter: str
) -> None:
    body = status_info(await documents(client, reader, **params), 400)
    assert minor(body) == (parameter, "invalid_selection_field")


async def test_service_discovery_describes_every_case_operation(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"{CASE}/discovery/imscasev1p1_openapi3_v1p0.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {path.removeprefix(CASE) for path in document["paths"]}
    assert operations == {"/CFDocuments"} | {f"/{c}/{{identifier}}" for c in SINGLE}
    assert "/api/v1/frameworks" not in document["paths"]
    text = response.text
    for name in document["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text
    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert ref in document["components"]["schemas"]
