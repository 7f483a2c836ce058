"""Stage declarations per agency per fiscal year, inherited down the tree (003:653-655)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.people.conftest import gql
from tests.helpers import problem_of

pytestmark = pytest.mark.usefixtures("tree")


async def declare(
    client: httpx.AsyncClient, code: str, year: int, stage: str, headers: dict[str, str]
) -> httpx.Response:
    return await client.put(
        f"/api/v1/agencies/{code}/stages/{year}",
        json={"stage": stage, "announced_on": "2024-10-01"},
        headers=headers,
    )


async def in_force(
    client: httpx.AsyncClient, code: str, year: int, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/agencies/{code}/stages/{year}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_unit_without_its_own_declaration_inherits_its_parents(
    client: httpx.AsyncClient, auth: Any
) -> None:
    admin = auth("mof-admin", "agency_admin", agency="MOF")
    assert (await declare(client, "MOF", 2568, "early", admin)).status_code == 201
    assert (await declare(client, "RD", 2568, "developing", admin)).status_code == 201

    rd_it = await in_force(client, "RD-IT", 2568, admin)
    assert rd_it == {
        "agency": "RD-IT",
        "fiscal_year": 2568,
        "stage": "developing",
        "declared_by_agency": "RD",
        "inherited": True,
        "present_target": "developing",
        "future_target": "mature",
    }
    cgd = await in_force(client, "CGD", 2568, admin)
    assert (cgd["stage"], cgd["declared_by_agency"], cgd["future_target"]) == (
        "early",
        "MOF",
        "developing",
    )
    own = await in_force(client, "RD", 2568, admin)
    assert (own["inherited"], own["declared_by_agency"]) == (False, "RD")
    other_year = await in_force(client, "RD", 2569, admin)
    assert other_year["stage"] is None


async def test_there_is_no_future_target_after_mature(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await declare(client, "MOI", 2568, "mature", admin_headers)
    found = await in_force(client, "DOPA-CM", 2568, admin_headers)
    assert (found["present_target"], found["future_target"]) == ("mature", None)


async def test_a_redeclaration_replaces_the_years_stage_and_is_audited(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await declare(client, "MOF", 2568, "early", admin_headers)
    await declare(client, "MOF", 2568, "developing", admin_headers)
    await declare(client, "MOF", 2569, "developing", admin_headers)
    listed = (await client.get("/api/v1/agencies/MOF/stages", headers=admin_headers)).json()[
        "items"
    ]
    assert [(d["fiscal_year"], d["stage"]) for d in listed] == [
        (2568, "developing"),
        (2569, "developing"),
    ]
    events = (
        await client.get("/api/v1/audit-events", params={"action": "x"}, headers=admin_headers)
    ).json()["items"]
    assert sum(e["action"] == "declare-stage" for e in events) == 3


@pytest.mark.parametrize(
    ("year", "body"),
    [
        (68, {"stage": "early", "announced_on": "2024-10-01"}),
        (2568, {"stage": "legendary", "announced_on": "2024-10-01"}),
        (2568, {"stage": "early"}),
    ],
)
async def test_bad_declarations_are_422(
    client: httpx.AsyncClient, admin_headers: dict[str, str], year: int, body: dict[str, Any]
) -> None:
    response = await client.put(
        f"/api/v1/agencies/MOF/stages/{year}", json=body, headers=admin_headers
    )
    problem_of(response, 422)


async def test_only_administrators_declare(client: httpx.AsyncClient, auth: Any) -> None:
    response = await declare(client, "RD", 2568, "early", auth("e", "supervisor", agency="RD"))
    problem_of(response, 403)


async def test_graphql_declares_and_reads_stages_with_coded_errors(
    client: httpx.AsyncClient, auth: Any
) -> None:
    admin = auth("rd-admin", "agency_admin", agency="RD")
    mutation = (
        "mutation($code: String!, $year: Int!) { declareStage(agencyCode: $code,"
        ' fiscalYear: $year, stage: DEVELOPING, announcedOn: "2024-10-01") { stage fiscalYear } }'
    )
    body = await gql(client, mutation, admin, code="RD", year=2568)
    assert body["data"]["declareStage"] == {"stage": "DEVELOPING", "fiscalYear": 2568}
    outside = await gql(client, mutation, admin, code="MOF", year=2568)
    assert outside["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    query = (
        '{ agency(code: "RD-IT") { stage(fiscalYear: 2568) { stage declaredByAgency inherited'
        ' presentTarget futureTarget } } stageDeclarations(agencyCode: "RD") { fiscalYear stage } }'
    )
    read = await gql(client, query, admin)
    assert read["data"]["agency"]["stage"] == {
        "stage": "DEVELOPING",
        "declaredByAgency": "RD",
        "inherited": True,
        "presentTarget": "DEVELOPING",
        "futureTarget": "MATURE",
    }
    assert read["data"]["stageDeclarations"] == [{"fiscalYear": 2568, "stage": "DEVELOPING"}]
