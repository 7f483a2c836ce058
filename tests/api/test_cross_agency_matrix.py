"""Every REST operation, tried by every kind of caller of agency A against agency B's records.

Two organisations are built through the API (agencies, people in supervisor lines, an assessment,
a plan in force, both agency policies, stage declarations, integration clients, and the audit
events all of that leaves). Then each operation of the app's OpenAPI is called by an employee, a
supervisor, an agency administrator and an integration client holding every scope, all of A, and
by tokens whose ``agency`` claim is missing or names no agency, with B's ids in the path, query
and body. No answer may show anything of B: only B identifiers the request itself carried may
come back (a 404 names what was asked for), a denied operation answers 403 or 404, and a bulk
write rejects every record.

``ATTEMPTS`` says how to fill each operation. An operation without an entry fails the test, so a
new endpoint cannot skip the matrix: add one line.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.principal import KNOWN_SCOPES
from app.main import create_app
from tests.api.plans.bodies import in_force
from tests.workforce import build_workforce

B = "SCOPEB"  # agency B's department; its tree is SCOPEB-MIN > SCOPEB, SCOPEB-OUT
A = "SCOPEA"
NATIONAL_ID = "1101700203450"

World = dict[str, Any]  # B's ids and bodies, by name
Fill = Callable[[World], Any]

DENIED = "denied"  # 403 or 404, nothing of B
NOT_B = "not-b"  # any answer (lists, national data, the caller's own), nothing of B
REJECTED = "rejected"  # a bulk write: 403/422, or 200 with every record rejected


@dataclass(frozen=True)
class Attempt:
    expect: str
    path: dict[str, str] = field(default_factory=dict)  # path parameter -> key in World
    query: Fill | None = None
    body: Fill | None = None
    merge: bool = False  # send the body as application/merge-patch+json
    headers: dict[str, str] = field(default_factory=dict)  # sent besides the caller's


def denied(body: Fill | None = None, *, merge: bool = False, **path: str) -> Attempt:
    return Attempt(DENIED, path, None, body, merge)


def not_b(query: Fill | None = None, body: Fill | None = None, **path: str) -> Attempt:
    return Attempt(NOT_B, path, query, body)


def bulk(body: Fill, query: Fill | None = None) -> Attempt:
    return Attempt(REJECTED, {}, query, body)


PERSON = {"person_id": "officer_id"}
PLAN = {"person_id": "officer_id", "plan_id": "plan_id"}
ASSESSMENT = {"person_id": "officer_id", "assessment_id": "assessment_id"}
AGENCY = {"code": "agency"}
FRAMEWORK = {"key": "framework"}
VERSION = {"key": "framework", "version": "framework_version"}
AGENCY_YEAR = {"code": "agency", "fiscal_year": "year"}
PROVIDER = {"provider_code": "provider"}
COURSE = {"provider_code": "provider", "course_code": "course"}
XAPI = {"X-Experience-API-Version": "1.0.3"}


def about_b_officer(b: World) -> dict[str, Any]:
    """A statement whose actor is B's officer (by e-mail): stored, if at all, out of B's reach."""
    return {
        "actor": {"mbox": f"mailto:{b['officer_email']}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://learn.example/course/1"},
    }


B_DOCUMENT = {"kept": "scopeb-document-content"}
B_ACTIVITY = "https://learn.example/course/1"


def documents_of_b(b: World) -> dict[str, dict[str, str]]:
    """The parameters of B's xAPI documents: a state, an activity and an agent profile."""
    agent = json.dumps({"mbox": f"mailto:{b['officer_email']}"})
    return {
        "/xapi/activities/state": {"activityId": B_ACTIVITY, "agent": agent, "stateId": "s"},
        "/xapi/activities/profile": {"activityId": B_ACTIVITY, "profileId": "p"},
        "/xapi/agents/profile": {"agent": agent, "profileId": "p"},
    }


def document(path: str, expect: str, body: bool = False) -> Attempt:
    """An operation on one of B's documents, by its parameters, as an xAPI client sends it."""
    return Attempt(
        expect,
        query=lambda b: documents_of_b(b)[path],
        body=(lambda b: {"overwritten": True}) if body else None,
        headers=XAPI,
    )


def YEAR_QUERY(b: World) -> dict[str, Any]:
    return {"fiscal_year": b["year"]}


def stage_body(b: World) -> dict[str, str]:
    return {"stage": "early", "announced_on": "2024-10-01"}


def email_patch(b: World) -> dict[str, str]:
    return {"email": "taken-over@a.go.th"}


ATTEMPTS: dict[str, Attempt] = {
    # platform
    "GET /healthz": not_b(),
    "GET /readyz": not_b(),
    "GET /api/v1/me": not_b(),
    "GET /api/v1/clients": denied(),
    "POST /api/v1/clients": denied(lambda b: {"name": "x", "agency": b["agency"]}),
    "POST /api/v1/clients/{client_id}/revoke": denied(client_id="client_id"),
    "GET /api/v1/audit-events": not_b(),
    # frameworks (national reference data, changed by central administrators only)
    "GET /api/v1/frameworks": not_b(),
    "GET /api/v1/frameworks/{key}": not_b(**FRAMEWORK),
    "GET /api/v1/frameworks/{key}/units": not_b(**FRAMEWORK),
    "GET /api/v1/frameworks/{key}/units/{code}": not_b(key="framework", code="unit"),
    "GET /api/v1/frameworks/{key}/items/{code}": not_b(key="framework", code="unit"),
    "GET /api/v1/frameworks/{key}/search": not_b(lambda b: {"q": "ดิจิทัล"}, **FRAMEWORK),
    "GET /api/v1/frameworks/{key}/role-profiles": not_b(**FRAMEWORK),
    "GET /api/v1/frameworks/{key}/role-profiles/{stage}/{group}": not_b(
        key="framework", stage="stage", group="group"
    ),
    "GET /api/v1/frameworks/{key}/matrix": not_b(**FRAMEWORK),
    "GET /api/v1/frameworks/{key}/groups/{group}/stages": not_b(key="framework", group="group"),
    "GET /api/v1/frameworks/{key}/diff": not_b(
        lambda b: {"from": "2561", "to": "2561"}, **FRAMEWORK
    ),
    "GET /api/v1/frameworks/{key}/export": not_b(**FRAMEWORK),
    "POST /api/v1/frameworks/import": denied(lambda b: {}),
    "POST /api/v1/frameworks/{key}/versions": denied(lambda b: {}, **FRAMEWORK),
    "PUT /api/v1/frameworks/{key}/versions/{version}": denied(lambda b: {}, **VERSION),
    "DELETE /api/v1/frameworks/{key}/versions/{version}": denied(**VERSION),
    "POST /api/v1/frameworks/{key}/versions/{version}/publish": denied(**VERSION),
    "POST /api/v1/frameworks/{key}/versions/{version}/retire": denied(**VERSION),
    "GET /ims/case/v1p1/CFDocuments": not_b(),
    "GET /ims/case/v1p1/CFPackages/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFItems/{identifier}": not_b(identifier="officer_id"),
    "GET /ims/case/v1p1/CFAssociations/{identifier}": not_b(identifier="assessment_id"),
    "GET /ims/case/v1p1/CFDocuments/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFItemAssociations/{identifier}": not_b(identifier="officer_id"),
    "GET /ims/case/v1p1/CFItemTypes/{identifier}": not_b(identifier="assessment_id"),
    "GET /ims/case/v1p1/CFConcepts/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFSubjects/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFLicenses/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFAssociationGroupings/{identifier}": not_b(identifier="plan_id"),
    "GET /ims/case/v1p1/CFRubrics/{identifier}": not_b(identifier="plan_id"),
    # agencies
    "POST /api/v1/agencies/bulk": bulk(lambda b: [b["agency_record"], b["new_agency_record"]]),
    "GET /api/v1/agencies": not_b(lambda b: {"limit": 1000}),
    "GET /api/v1/agencies/{code}": denied(**AGENCY),
    "PUT /api/v1/agencies/{code}": denied(lambda b: b["agency_record"], **AGENCY),
    "PATCH /api/v1/agencies/{code}": denied(lambda b: {"name_th": "x"}, merge=True, **AGENCY),
    "GET /api/v1/agencies/{code}/history": denied(**AGENCY),
    "GET /api/v1/agencies/{code}/stages": denied(**AGENCY),
    "PUT /api/v1/agencies/{code}/stages/{fiscal_year}": denied(
        lambda b: {"stage": "early", "announced_on": "2024-10-01"},
        code="agency",
        fiscal_year="year",
    ),
    "GET /api/v1/agencies/{code}/stages/{fiscal_year}": denied(**AGENCY_YEAR),
    "GET /api/v1/agencies/{code}/planning-policy": denied(**AGENCY),
    "PUT /api/v1/agencies/{code}/planning-policy": denied(lambda b: {"min_topics": 2}, **AGENCY),
    "PATCH /api/v1/agencies/{code}/planning-policy": denied(
        lambda b: {"min_topics": 3}, merge=True, **AGENCY
    ),
    "GET /api/v1/agencies/{code}/reports/kpis": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/kpi-trend": Attempt(
        DENIED, AGENCY, lambda b: {"from_year": b["year"] - 1, "to_year": b["year"]}
    ),
    "GET /api/v1/agencies/{code}/reports/people": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/heat-map": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/readiness": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/top-requirements": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/effort-mix": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reports/completions": Attempt(DENIED, AGENCY, YEAR_QUERY),
    "GET /api/v1/reports/team": not_b(YEAR_QUERY),
    "GET /api/v1/agencies/{code}/reporting-policy": denied(**AGENCY),
    "PUT /api/v1/agencies/{code}/reporting-policy": denied(
        lambda b: {"min_group_size": 2}, **AGENCY
    ),
    "PATCH /api/v1/agencies/{code}/reporting-policy": denied(
        lambda b: {"min_group_size": 3}, merge=True, **AGENCY
    ),
    "GET /api/v1/people/{person_id}/digital-target/{fiscal_year}": denied(
        person_id="officer_id", fiscal_year="year"
    ),
    "PUT /api/v1/people/{person_id}/digital-target/{fiscal_year}": denied(
        lambda b: {"designated": True}, person_id="officer_id", fiscal_year="year"
    ),
    "GET /api/v1/agencies/{code}/assessment-policy": denied(**AGENCY),
    "PATCH /api/v1/agencies/{code}/assessment-policy": denied(
        lambda b: {"final_rating": None}, merge=True, **AGENCY
    ),
    "PUT /api/v1/agencies/{code}/assessment-policy": denied(lambda b: {}, **AGENCY),
    # people
    "POST /api/v1/people/bulk": bulk(lambda b: [b["person_record"]]),
    "GET /api/v1/people": not_b(lambda b: {"agency": b["agency"], "limit": 1000}),
    "POST /api/v1/people/match": not_b(body=lambda b: {"national_id": NATIONAL_ID}),
    "GET /api/v1/people/{person_id}": denied(**PERSON),
    "PUT /api/v1/people/{person_id}": denied(lambda b: b["person_record"], **PERSON),
    "PATCH /api/v1/people/{person_id}": denied(
        lambda b: {"email": "x@a.go.th"}, merge=True, **PERSON
    ),
    "POST /api/v1/people/{person_id}/deactivate": denied(lambda b: {}, **PERSON),
    "POST /api/v1/people/{person_id}/erase": denied(**PERSON),
    # staff-group assignments
    "POST /api/v1/group-assignments/bulk": bulk(
        lambda b: [{"external_id": b["officer_external_id"], **b["group_proposal"]}],
        lambda b: {"source": b["officer_source"]},
    ),
    "GET /api/v1/group-assignments": not_b(lambda b: {"limit": 1000}),
    "GET /api/v1/group-assignments/{assignment_id}": denied(assignment_id="assignment_id"),
    "POST /api/v1/group-assignments/{assignment_id}/approve": denied(
        lambda b: {}, assignment_id="assignment_id"
    ),
    "POST /api/v1/group-assignments/{assignment_id}/reject": denied(
        lambda b: {"note": "x"}, assignment_id="assignment_id"
    ),
    "GET /api/v1/people/{person_id}/group-assignments": denied(**PERSON),
    "POST /api/v1/people/{person_id}/group-assignments": denied(
        lambda b: b["group_proposal"], **PERSON
    ),
    # plans
    "POST /api/v1/people/{person_id}/plans": denied(lambda b: b["plan_create"], **PERSON),
    "GET /api/v1/people/{person_id}/plans": denied(**PERSON),
    "POST /api/v1/people/{person_id}/plans/validate": denied(lambda b: b["plan_create"], **PERSON),
    "GET /api/v1/people/{person_id}/plans/{plan_id}": denied(**PLAN),
    "PUT /api/v1/people/{person_id}/plans/{plan_id}": denied(lambda b: b["plan"], **PLAN),
    "PATCH /api/v1/people/{person_id}/plans/{plan_id}": denied(
        lambda b: {"items": []}, merge=True, **PLAN
    ),
    "GET /api/v1/people/{person_id}/plans/{plan_id}/revisions": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/validate": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/submit": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/acknowledge": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/withdraw": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/return": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/start": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/revise": denied(**PLAN),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/evaluation/acknowledge": denied(**PLAN),
    "PUT /api/v1/people/{person_id}/plans/{plan_id}/evaluation": denied(
        lambda b: {"items": []}, **PLAN
    ),
    "POST /api/v1/people/{person_id}/plans/{plan_id}/effort": denied(
        lambda b: {"activity_id": b["activity_id"], "hours": 2}, **PLAN
    ),
    "GET /api/v1/people/{person_id}/plans/{plan_id}/progress": denied(**PLAN),
    # printed documents
    "GET /api/v1/people/{person_id}/plans/{plan_id}/idp1.pdf": denied(**PLAN),
    "GET /api/v1/people/{person_id}/plans/{plan_id}/idp2.pdf": denied(**PLAN),
    "GET /api/v1/people/{person_id}/assessments/{assessment_id}/result.pdf": denied(**ASSESSMENT),
    "GET /api/v1/agencies/{code}/reports/kpis.pdf": Attempt(
        DENIED, dict(AGENCY), lambda b: {"fiscal_year": b["year"]}
    ),
    # exports (B's subtree asked for by name; a job B's data was exported in)
    "GET /api/v1/exports/{kind}": Attempt(
        DENIED, {"kind": "export_kind"}, lambda b: {"agency": b["agency"], "fiscal_year": b["year"]}
    ),
    "POST /api/v1/export-jobs": denied(
        lambda b: {"kind": "plans", "agency": b["agency"], "fiscal_year": b["year"]}
    ),
    "GET /api/v1/export-jobs/{job_id}": denied(job_id="export_job_id"),
    "GET /api/v1/export-jobs/{job_id}/file": denied(job_id="export_job_id"),
    "GET /api/v1/me/plan-queue": not_b(),
    "GET /api/v1/planning/methods": not_b(),
    # assessments
    "POST /api/v1/people/{person_id}/assessments": denied(
        lambda b: {"fiscal_year": b["year"], "kind": "reflection"}, **PERSON
    ),
    "GET /api/v1/people/{person_id}/assessments": denied(**PERSON),
    "GET /api/v1/people/{person_id}/assessments/{assessment_id}": denied(**ASSESSMENT),
    "GET /api/v1/people/{person_id}/assessments/{assessment_id}/form": denied(**ASSESSMENT),
    "PATCH /api/v1/people/{person_id}/assessments/{assessment_id}/ratings": denied(
        lambda b: {"ratings": [{"code": "K-F1", "value": "has"}]}, **ASSESSMENT
    ),
    "POST /api/v1/people/{person_id}/assessments/{assessment_id}/submit": denied(**ASSESSMENT),
    "POST /api/v1/people/{person_id}/assessments/{assessment_id}/review": denied(
        lambda b: {"ratings": [{"code": "K-F1", "value": "has"}]}, **ASSESSMENT
    ),
    "POST /api/v1/people/{person_id}/assessments/{assessment_id}/finalize": denied(**ASSESSMENT),
    "POST /api/v1/people/{person_id}/assessments/{assessment_id}/reopen": denied(
        lambda b: {"reason": "x"}, **ASSESSMENT
    ),
    "GET /api/v1/people/{person_id}/assessments/{assessment_id}/results": denied(**ASSESSMENT),
    "GET /api/v1/people/{person_id}/assessments/{assessment_id}/comparison": denied(**ASSESSMENT),
    "GET /api/v1/me/assessment-queue": not_b(),
    # course catalogue (an agency's own provider and courses are its own)
    "GET /api/v1/course-providers": not_b(),
    "GET /api/v1/course-providers/{provider_code}": denied(**PROVIDER),
    "PUT /api/v1/course-providers/{provider_code}": denied(
        lambda b: {"name_th": "x", "kind": "agency", "agency": b["agency"]}, **PROVIDER
    ),
    "POST /api/v1/course-providers/{provider_code}/courses/bulk": denied(
        lambda b: [b["course_record"]], **PROVIDER
    ),
    "PUT /api/v1/course-providers/{provider_code}/courses/{course_code}": denied(
        lambda b: b["course_record"], **COURSE
    ),
    "GET /api/v1/course-providers/{provider_code}/courses/{course_code}": denied(**COURSE),
    "GET /api/v1/course-providers/{provider_code}/courses/{course_code}/history": denied(**COURSE),
    "GET /api/v1/courses": not_b(lambda b: {"provider": b["provider"]}),
    "GET /api/v1/me/recommended-courses": not_b(),
    "GET /api/v1/people/{person_id}/recommended-courses": denied(**PERSON),
    "GET /api/v1/me/learning-records": not_b(),
    "GET /api/v1/people/{person_id}/learning-records": denied(**PERSON),
    "POST /api/v1/people/{person_id}/drafted-plans": denied(
        lambda b: {"fiscal_year": b["year"]}, **PERSON
    ),
    # xAPI: a statement about B's officer is kept out of B's reach (never linked to them); B's
    # statements are not found
    "GET /xapi/about": not_b(),
    "POST /xapi/statements": Attempt(NOT_B, body=about_b_officer, headers=XAPI),
    "PUT /xapi/statements": Attempt(
        NOT_B,
        query=lambda b: {"statementId": str(uuid.uuid4())},
        body=about_b_officer,
        headers=XAPI,
    ),
    "GET /xapi/statements": Attempt(
        DENIED, query=lambda b: {"statementId": b["statement_id"]}, headers=XAPI
    ),
    # xAPI documents live in the writer's reach: A's writes and deletes land in A's own (B's
    # documents are read back unchanged at the end); a read finds A's own document of that key
    # (written by the PUT just before), never B's content
    **{
        f"{method} {path}": document(path, expect, body)
        for path in ("/xapi/activities/state", "/xapi/activities/profile", "/xapi/agents/profile")
        for method, expect, body in (
            ("PUT", NOT_B, True),
            ("POST", NOT_B, True),
            ("GET", NOT_B, False),
            ("DELETE", NOT_B, False),
        )
    },
    "GET /xapi/agents": Attempt(
        NOT_B,
        query=lambda b: {"agent": json.dumps({"mbox": f"mailto:{b['officer_email']}"})},
        headers=XAPI,
    ),
    "GET /xapi/activities": Attempt(
        NOT_B, query=lambda b: {"activityId": B_ACTIVITY}, headers=XAPI
    ),
}


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation the app documents."""
    spec = create_app().openapi()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    ]


def test_every_operation_has_an_entry_in_the_matrix() -> None:
    documented = {f"{m} {p}" for m, p in operations()}
    missing = sorted(documented - ATTEMPTS.keys())
    assert not missing, "add a line to ATTEMPTS for: " + ", ".join(missing)
    stale = sorted(ATTEMPTS.keys() - documented)
    assert not stale, "no such operation any more: " + ", ".join(stale)


async def build_world(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin: dict[str, str],
) -> tuple[World, dict[str, dict[str, str]]]:
    """B's world (ids and bodies, and B's own callers under ``own_callers``) and A's callers."""
    a = await build_workforce(client, session, auth, admin, agency=A, subject_prefix="a-")
    b = await build_workforce(client, session, auth, admin, agency=B, subject_prefix="b-")
    plan = await in_force(client, b)
    for line in (a, b):
        for path, body in (("planning-policy", {"min_topics": 2}), ("assessment-policy", {})):
            response = await client.put(
                f"/api/v1/agencies/{line['agency']}/{path}", json=body, headers=admin
            )
            assert response.status_code == 200, response.text
    b_client = await client.post(
        "/api/v1/clients",
        json={"name": "HRIS B", "agency": f"{B}-MIN", "scopes": sorted(KNOWN_SCOPES)},
        headers=admin,
    )
    assert b_client.status_code == 201, b_client.text
    b_key = {"X-API-Key": b_client.json()["api_key"]}
    synced = await client.post(
        "/api/v1/people/bulk",
        json=[
            {
                "external_id": "B-NID",
                "first_name_th": "มานี",
                "last_name_th": "มีตา",
                "agency": B,
                "national_id": NATIONAL_ID,
                "subject": "b-nid",
            }
        ],
        headers=b_key,
    )
    assert synced.json()["results"][0]["outcome"] == "created", synced.text
    a_client = await client.post(
        "/api/v1/clients",
        json={"name": "HRIS A", "agency": f"{A}-MIN", "scopes": sorted(KNOWN_SCOPES)},
        headers=admin,
    )
    assert a_client.status_code == 201, a_client.text
    agencies = {
        code: (await client.get(f"/api/v1/agencies/{code}", headers=admin)).json()["id"]
        for code in (f"{B}-MIN", B, f"{B}-OUT")
    }
    provider = await client.put(
        "/api/v1/course-providers/scopeb-academy",
        json={"name_th": "สถาบันของ B", "kind": "agency", "agency": B},
        headers=admin,
    )
    assert provider.status_code == 201, provider.text
    course_record = {"title_th": "หลักสูตรของ B", "methods": ["coaching"], "items": ["DLit100"]}
    course = await client.put(
        "/api/v1/course-providers/scopeb-academy/courses/scopeb-course",
        json=course_record,
        headers=admin,
    )
    assert course.status_code == 201, course.text
    officer = (await client.get(f"/api/v1/people/{b['officer_id']}", headers=admin)).json()
    export_job = await client.post(
        "/api/v1/export-jobs",
        json={"kind": "plans", "format": "csv", "agency": B, "fiscal_year": b["year"]},
        headers=admin,
    )
    assert export_job.status_code == 202, export_job.text
    officer_email = "b-officer@scopeb.go.th"
    patched = await client.patch(
        f"/api/v1/people/{b['officer_id']}",
        json={"email": officer_email},
        headers={**admin, "Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    statement_id = str(uuid.uuid4())
    posted = await client.post(
        "/xapi/statements",
        json={"id": statement_id, **about_b_officer({"officer_email": officer_email})},
        headers={**b_key, **XAPI},
    )
    assert posted.status_code == 200, posted.text
    for path, params in documents_of_b({"officer_email": officer_email}).items():
        stored = await client.put(
            path, params=params, json=B_DOCUMENT, headers={**b_key, **XAPI, "If-None-Match": "*"}
        )
        assert stored.status_code == 204, stored.text
    activity = plan["items"][0]["activities"][0]
    assignments = await client.get(
        f"/api/v1/people/{b['officer_id']}/group-assignments", headers=admin
    )
    assert assignments.status_code == 200, assignments.text
    assignment_id = assignments.json()["items"][0]["id"]
    world: World = {
        "agency": B,
        "year": b["year"],
        "officer_id": b["officer_id"],
        "plan_id": plan["id"],
        "assessment_id": plan["baseline_assessment_id"],
        "client_id": b_client.json()["id"],
        "framework": "ocsc",
        "framework_version": "2561",
        "unit": "DLit100",
        "stage": "developing",
        "group": "technologist",
        "activity_id": activity.get("id", "a1"),
        "officer_email": officer_email,
        "statement_id": statement_id,
        "b_key": {**b_key, **XAPI},
        "assignment_id": assignment_id,
        "export_kind": "plans",
        "export_job_id": export_job.json()["id"],
        "own_callers": {
            "employee": b["officer"],
            "supervisor": b["head"],
            "second-line supervisor": b["director"],
            "agency admin": b["admin"],
            "integration client": b_key,
            "central admin": admin,
        },
        "officer_external_id": officer["external_id"],
        "officer_source": officer["source"],
        "group_proposal": {"fiscal_year": b["year"] + 1, "groups": [{"group": "technologist"}]},
        "plan": {"baseline_assessment_id": plan["baseline_assessment_id"], "items": plan["items"]},
        "plan_create": {
            "fiscal_year": b["year"],
            "baseline_assessment_id": plan["baseline_assessment_id"],
            "items": plan["items"],
        },
        "provider": "scopeb-academy",
        "course": "scopeb-course",
        "course_record": {**course_record, "code": "scopeb-course"},
        "agency_record": {
            "code": B,
            "name_th": "ชื่อใหม่",
            "kind": "department",
            "parent": f"{B}-MIN",
        },
        "new_agency_record": {
            "code": "SCOPEB-NEW",
            "name_th": "ใหม่",
            "kind": "division",
            "parent": B,
        },
        "person_record": {
            **{k: v for k, v in officer.items() if k in PERSON_FIELDS},
            "email": "taken-over@a.go.th",
        },
        # what of B must never come back unasked
        "secrets": {
            b["officer_id"],
            b["head_id"],
            b["director_id"],
            b["outsider_id"],
            synced.json()["results"][0]["id"],
            statement_id,
            B_DOCUMENT["kept"],
            officer_email,
            plan["id"],
            plan["baseline_assessment_id"],
            assignment_id,
            b_client.json()["id"],
            b_client.json()["key_prefix"],
            *agencies.values(),
            f"{B}-MIN",
            f"{B}-OUT",
            B,
            "b-officer",
            "b-head",
            "b-director",
            "b-outsider",
            "b-nid",
            "HRIS B",
            "scopeb-academy",
            "scopeb-course",
            course.json()["id"],
        },
    }
    callers = {
        "employee": a["officer"],
        "supervisor": a["head"],
        "agency admin": a["admin"],
        "integration client": {"X-API-Key": a_client.json()["api_key"]},
        "token without agency": auth("ghost", "employee", "supervisor", "agency_admin"),
        "token of an unknown agency": auth(
            "ghost", "employee", "supervisor", "agency_admin", agency="NO-SUCH-AGENCY"
        ),
    }
    return world, callers


PERSON_FIELDS = {
    "external_id",
    "first_name_th",
    "last_name_th",
    "agency",
    "supervisor",
    "subject",
    "position_title",
}


def fill_path(path: str, attempt: Attempt, world: World) -> str:
    for name, key in attempt.path.items():
        path = path.replace("{" + name + "}", str(world[key]))
    assert "{" not in path, f"fill every path parameter of {path}"
    return path


def _leaks(response: httpx.Response, asked: str, world: World) -> set[str]:
    """B identifiers in the answer that the request did not carry."""
    text = response.text
    return {s for s in world["secrets"] if s in text and s not in asked}


def _problem(attempt: Attempt, response: httpx.Response, leaks: set[str]) -> str | None:
    status = response.status_code
    if leaks:
        return f"{status} shows {sorted(leaks)}"
    if status >= 500:
        return f"{status}"
    if attempt.expect == DENIED and status not in (403, 404):
        return f"{status} (wanted 403 or 404): {response.text[:300]}"
    if attempt.expect == REJECTED:
        if status in (403, 422):
            return None
        if status != 200:
            return f"{status}: {response.text[:300]}"
        outcomes = {r["outcome"] for r in response.json()["results"]}
        if outcomes != {"rejected"}:
            return f"wrote into B: {outcomes}"
    return None


async def test_no_caller_of_agency_a_sees_or_changes_anything_of_agency_b(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
    seeded: dict[str, Any],
) -> None:
    world, callers = await build_world(client, session, auth, admin_headers)
    failures: list[str] = []
    tried = 0
    for method, path in operations():
        attempt = ATTEMPTS[f"{method} {path}"]
        url = fill_path(path, attempt, world)
        params = attempt.query(world) if attempt.query else None
        body = attempt.body(world) if attempt.body is not None else None
        content = None if body is None else json.dumps(body, ensure_ascii=False)
        asked = url + json.dumps(params or {}, ensure_ascii=False) + (content or "")
        for who, headers in callers.items():
            request_headers = {**headers, **attempt.headers}
            if content is not None:
                request_headers["Content-Type"] = (
                    "application/merge-patch+json" if attempt.merge else "application/json"
                )
            response = await client.request(
                method, url, params=params, content=content, headers=request_headers
            )
            tried += 1
            problem = _problem(attempt, response, _leaks(response, asked, world))
            if problem:
                failures.append(f"{who}: {method} {url} -> {problem}")
    for path, params in documents_of_b(world).items():
        kept = await client.get(path, params=params, headers=world["b_key"])
        if kept.status_code != 200 or kept.json() != B_DOCUMENT:
            failures.append(f"B's document {path} changed: {kept.status_code} {kept.text[:200]}")
    operations_count, callers_count = len(ATTEMPTS), len(callers)
    assert tried == operations_count * callers_count
    assert not failures, f"{len(failures)} leaks over {operations_count} operations x " + (
        f"{callers_count} caller kinds:\n" + "\n".join(failures)
    )
    print(f"0 leaks over {operations_count} operations x {callers_count} caller kinds")
