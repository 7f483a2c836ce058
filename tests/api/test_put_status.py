"""One rule for every PUT (README "Writes"): 201 with `Location` when it created the resource,
200 when it replaced it. Every PUT of the API is listed here, so a new one must say which."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.api.plans.bodies import create, plans_url, post

# PUTs that may create what they name, and PUTs that only ever replace (404 when it is missing,
# or a resource every agency has): each is exercised below.
CREATING = {
    "/api/v1/agencies/{code}",
    "/api/v1/agencies/{code}/stages/{fiscal_year}",
    "/api/v1/course-providers/{provider_code}",
    "/api/v1/course-providers/{provider_code}/courses/{course_code}",
    "/api/v1/people/{person_id}/digital-target/{fiscal_year}",
}
REPLACING = {
    "/api/v1/people/{person_id}",
    "/api/v1/people/{person_id}/plans/{plan_id}",
    "/api/v1/people/{person_id}/plans/{plan_id}/evaluation",
    "/api/v1/frameworks/{key}/versions/{version}",
    "/api/v1/agencies/{code}/planning-policy",
    "/api/v1/agencies/{code}/assessment-policy",
    "/api/v1/agencies/{code}/reporting-policy",
}

# PUTs whose standard prescribes their answer: xAPI's Statement resource stores a statement
# under its id, and its document resources a document, and answer 204 No Content
# (tests/api/xapi).
STANDARD = {
    "/xapi/statements": "204",
    "/xapi/activities/state": "204",
    "/xapi/activities/profile": "204",
    "/xapi/agents/profile": "204",
}


def test_every_put_is_documented_by_the_rule(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    puts = {path: ops["put"] for path, ops in paths.items() if "put" in ops}
    assert set(puts) == CREATING | REPLACING | STANDARD.keys(), (
        "add the new PUT to CREATING or REPLACING"
    )
    for path, status in STANDARD.items():
        assert status in puts.pop(path)["responses"], path
    for path, op in puts.items():
        assert "200" in op["responses"], path
        if path in CREATING:
            assert "Location" in op["responses"]["201"]["headers"], path
        else:
            assert "201" not in op["responses"], path


def _created(response: httpx.Response, location: str) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == location
    body: dict[str, Any] = response.json()
    return body


def _replaced(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert "Location" not in response.headers
    body: dict[str, Any] = response.json()
    return body


async def test_put_of_an_agency_and_of_a_stage_declaration_is_201_with_location_then_200(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    agency = {"code": "PUT-MIN", "name_th": "กระทรวงทดสอบ", "kind": "ministry"}
    url = "/api/v1/agencies/PUT-MIN"
    _created(await client.put(url, json=agency, headers=admin_headers), url)
    assert (await client.get(url, headers=admin_headers)).status_code == 200
    _replaced(await client.put(url, json=agency, headers=admin_headers))

    stage = f"{url}/stages/2568"
    body = {"stage": "early", "announced_on": "2024-10-01"}
    first = _created(await client.put(stage, json=body, headers=admin_headers), stage)
    assert first["stage"] == "early"
    assert (await client.get(stage, headers=admin_headers)).json()["stage"] == "early"
    again = _replaced(
        await client.put(stage, json={**body, "stage": "mature"}, headers=admin_headers)
    )
    assert again["stage"] == "mature"


async def test_put_of_a_course_provider_and_of_a_course_is_201_with_location_then_200(
    client: httpx.AsyncClient, admin_headers: dict[str, str], seeded: Any
) -> None:
    provider = {"name_th": "ผู้ให้บริการทดสอบ", "kind": "national"}
    url = "/api/v1/course-providers/put-lms"
    _created(await client.put(url, json=provider, headers=admin_headers), url)
    _replaced(await client.put(url, json=provider, headers=admin_headers))
    course = {"title_th": "หลักสูตรทดสอบ", "methods": ["coaching"], "items": ["DLit100"]}
    course_url = f"{url}/courses/C-1"
    _created(await client.put(course_url, json=course, headers=admin_headers), course_url)
    assert (
        _replaced(await client.put(course_url, json=course, headers=admin_headers))["revision"] == 1
    )


async def test_puts_that_replace_answer_200_and_never_create(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    for policy in ("planning-policy", "assessment-policy", "reporting-policy"):
        # every agency has a policy: the first PUT replaces the inherited one
        url = f"/api/v1/agencies/{line['agency']}/{policy}"
        _replaced(await client.put(url, json={}, headers=line["admin"]))

    draft = await create(client, line)
    plan = f"{plans_url(line)}/{draft['id']}"
    _replaced(
        await client.put(
            plan,
            json={k: draft[k] for k in ("items", "baseline_assessment_id")},
            headers=line["officer"],
        )
    )
    for step, who in (("submit", "officer"), ("acknowledge", "officer"), ("acknowledge", "head")):
        done = await post(client, line, draft, step, who)
        assert done.status_code == 200, done.text
    rows = [{"item_id": item["id"]} for item in draft["items"]]
    _replaced(await client.put(f"{plan}/evaluation", json={"items": rows}, headers=line["head"]))

    person = f"/api/v1/people/{line['officer_id']}"
    record = (await client.get(person, headers=line["admin"])).json()
    names = ("external_id", "first_name_th", "last_name_th", "agency", "subject", "supervisor")
    body = {k: record[k] for k in names}
    hris = admin_headers
    _replaced(await client.put(person, json=body, headers=hris))
    unknown = "/api/v1/people/00000000-0000-0000-0000-000000000000"
    assert (await client.put(unknown, json=body, headers=hris)).status_code == 404


async def test_put_of_a_framework_version_replaces_a_draft_and_never_creates_one(
    client: httpx.AsyncClient, seeded: Any, admin_headers: dict[str, str]
) -> None:
    api = "/api/v1/frameworks/ocsc"
    document = (await client.get(f"{api}/export", headers=admin_headers)).json()
    missing = await client.put(f"{api}/versions/9999", json=document, headers=admin_headers)
    assert missing.status_code == 404, missing.text
    draft = await client.post(f"{api}/versions", json={"version": "2562"}, headers=admin_headers)
    assert draft.status_code == 201, draft.text
    _replaced(await client.put(f"{api}/versions/2562", json=document, headers=admin_headers))


async def test_put_of_a_digital_target_designation_is_201_with_location_then_200(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    url = f"/api/v1/people/{line['officer_id']}/digital-target/2568"
    first = _created(await client.put(url, json={"designated": True}, headers=line["admin"]), url)
    assert first["designated"] is True
    again = _replaced(await client.put(url, json={"designated": False}, headers=line["admin"]))
    assert again["designated"] is False
    assert (await client.get(url, headers=line["admin"])).json()["designated"] is False
