"""Recommended courses for a person's gaps (priority order, with why), a drafted IDP1 that
passes validation, and plan activities that take catalogue courses."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import form_of, open_, rate, rated_items, url
from tests.helpers import problem_of

Headers = dict[str, str]


async def finalised(
    client: httpx.AsyncClient, line: dict[str, Any], present: int = 2, future: int = 1
) -> dict[str, Any]:
    """A finalised baseline whose first ``present`` present items and first ``future``
    future-only items are not had."""
    a = await open_(client, line)
    items = rated_items(await form_of(client, line, a))
    now = [i["code"] for i in items if "present" in i["targets"]][:present]
    later = [i["code"] for i in items if i["targets"] == ["future"]][:future]
    values = {i["code"]: ("has_not" if i["code"] in now + later else "has") for i in items}
    assert (await rate(client, line, a, values)).status_code == 200
    assert (await client.post(url(line, a, "/submit"), headers=line["officer"])).status_code == 200
    r = await client.post(url(line, a, "/finalize"), headers=line["head"])
    assert r.json()["status"] == "final", r.text
    results = (await client.get(url(line, a, "/results"), headers=line["head"])).json()
    return {"assessment": a, "results": results}


def course(code: str, items: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title_th": f"หลักสูตร {code}",
        "hours": 6,
        "items": items,
        "groups": ["technologist"],
        "methods": ["online_course", "e_learning_implementation"],
        **extra,
    }


async def _catalogue(
    client: httpx.AsyncClient, admin: Headers, courses: list[dict[str, Any]]
) -> None:
    r = await client.put(
        "/api/v1/course-providers/lms",
        json={"name_th": "ศูนย์เรียนรู้", "kind": "national"},
        headers=admin,
    )
    assert r.status_code in (200, 201), r.text
    r = await client.post("/api/v1/course-providers/lms/courses/bulk", json=courses, headers=admin)
    assert r.json()["counts"]["rejected"] == 0, r.text


async def test_recommended_courses_follow_the_gaps_priority_order_with_why(
    make_workforce: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    line = await make_workforce()
    done = await finalised(client, line)
    gaps = [g["code"] for g in done["results"]["gaps"]]
    assert len(gaps) == 3
    await _catalogue(
        client,
        admin_headers,
        [
            course("LATE", [gaps[-1]]),
            course("FIRST", [gaps[0]]),
            course("OTHER-GROUP", [gaps[0]], groups=["executive"]),
            course("NO-GAP", ["DG100"]),
        ],
    )
    r = await client.get(
        f"/api/v1/people/{line['officer_id']}/recommended-courses", headers=line["head"]
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["assessment_id"] == done["assessment"]["id"]
    codes = [x["course"]["code"] for x in body["items"]]
    assert codes == ["FIRST", "LATE"]
    why = body["items"][0]["why"][0]
    assert why["gap"] == gaps[0]
    assert why["item"] == gaps[0]
    assert why["priority"] == 1
    assert why["target"] == "present"
    assert body["items"][1]["why"][0]["target"] == "future"
    mine = await client.get("/api/v1/me/recommended-courses", headers=line["officer"])
    assert [x["course"]["code"] for x in mine.json()["items"]] == codes
    outsider = await client.get(
        f"/api/v1/people/{line['officer_id']}/recommended-courses", headers=line["outsider"]
    )
    problem_of(outsider, 404)


async def test_without_a_finalised_assessment_nothing_is_recommended(
    make_workforce: Any, client: httpx.AsyncClient
) -> None:
    line = await make_workforce()
    r = await client.get("/api/v1/me/recommended-courses", headers=line["officer"])
    assert r.json()["items"] == []
    assert r.json()["assessment_id"] is None


async def test_a_drafted_plan_is_saved_as_a_draft_with_no_error_and_uses_the_catalogue(
    make_workforce: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    line = await make_workforce()
    done = await finalised(client, line, present=3, future=1)
    gaps = [g["code"] for g in done["results"]["gaps"]]
    await _catalogue(client, admin_headers, [course("FIRST", [gaps[0]])])
    path = f"/api/v1/people/{line['officer_id']}/drafted-plans"
    r = await client.post(path, json={"fiscal_year": line["year"]}, headers=line["officer"])
    assert r.status_code == 201, r.text
    drafted = r.json()
    assert drafted["state"] == "draft"
    assert drafted["baseline_assessment_id"] == done["assessment"]["id"]
    assert [f for f in drafted["findings"] if f["severity"] == "error"] == []
    assert 2 <= len(drafted["items"]) <= 4
    first = drafted["items"][0]
    assert first["framework_items"] == [gaps[0]]
    assert first["topic"] == "หลักสูตร FIRST"
    assert any(a["course"] == {"provider": "lms", "code": "FIRST"} for a in first["activities"])
    # the saved plan is a draft the person edits, and it validates as drafted
    plan_url = r.headers["Location"]
    plan = await client.get(plan_url, headers=line["officer"])
    assert plan.status_code == 200, plan.text
    assert [f for f in plan.json()["findings"] if f["severity"] == "error"] == []
    again = await client.post(path, json={"fiscal_year": line["year"]}, headers=line["officer"])
    problem_of(again, 409)


async def test_drafting_needs_a_finalised_self_assessment_and_the_person_or_supervisor(
    make_workforce: Any, client: httpx.AsyncClient
) -> None:
    line = await make_workforce()
    path = f"/api/v1/people/{line['officer_id']}/drafted-plans"
    problem_of(await client.post(path, json={}, headers=line["officer"]), 409)
    problem_of(await client.post(path, json={"bogus": 1}, headers=line["officer"]), 422)


async def test_plan_validation_knows_a_courses_methods_and_hours(
    make_workforce: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    line = await make_workforce()
    await _catalogue(client, admin_headers, [course("C1", ["DLit400"], hours=10)])
    activity = {
        "method": "coaching",
        "planned_hours": 4,
        "course": {"provider": "lms", "code": "C1"},
    }
    item = {
        "priority": 1,
        "framework_items": ["DLit400"],
        "reason": "gap",
        "topic": "x",
        "activities": [
            activity,
            {
                "method": "online_course",
                "planned_hours": 2,
                "lecture_share": 50,
                "course": {"provider": "lms", "code": "C1"},
            },
            {
                "method": "online_course",
                "planned_hours": 2,
                "lecture_share": 50,
                "course": {"provider": "lms", "code": "NONE"},
            },
        ],
    }
    r = await client.post(
        f"/api/v1/people/{line['officer_id']}/plans/validate",
        json={"fiscal_year": line["year"], "items": [item]},
        headers=line["officer"],
    )
    assert r.status_code == 200, r.text
    found = {(f["rule"], f["pointer"]) for f in r.json()["findings"]}
    assert ("P-COURSE-METHOD", "/items/0/activities/0/method") in found
    assert ("P-COURSE-HOURS", "/items/0/activities/1/planned_hours") in found
    assert ("P-COURSE-UNKNOWN", "/items/0/activities/2/course") in found


async def _gql(
    client: httpx.AsyncClient, query: str, headers: Headers, **variables: Any
) -> dict[str, Any]:
    r = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


COURSES = """query($search: String, $unit: String) {
  courses(search: $search, unit: $unit) { items { provider code titleTh items } nextCursor }
}"""
RECOMMENDED = """query($person: ID) {
  recommendedCourses(personId: $person) {
    course { code } why { gap item target priority }
  }
}"""
DRAFT = """mutation($person: ID!, $year: Int) {
  draftPlan(personId: $person, fiscalYear: $year) {
    state items { frameworkItems activities { method course { provider code } } }
    findings { rule severity }
  }
}"""


async def test_graphql_courses_recommended_courses_and_draft_plan(
    make_workforce: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    line = await make_workforce()
    done = await finalised(client, line, present=3, future=1)
    gaps = [g["code"] for g in done["results"]["gaps"]]
    await _catalogue(client, admin_headers, [course("FIRST", [gaps[0]], title_th="การใช้ข้อมูลเปิด")])
    found = await _gql(client, COURSES, line["officer"], search="ข้อมูล เปิด")
    assert [c["code"] for c in found["courses"]["items"]] == ["FIRST"]
    found = await _gql(client, COURSES, line["officer"], unit=gaps[0])
    assert [c["code"] for c in found["courses"]["items"]] == ["FIRST"]
    mine = await _gql(client, RECOMMENDED, line["officer"])
    assert mine["recommendedCourses"][0]["why"][0] == {
        "gap": gaps[0],
        "item": gaps[0],
        "target": "present",
        "priority": 1,
    }
    theirs = await _gql(client, RECOMMENDED, line["head"], person=line["officer_id"])
    assert theirs == mine
    drafted = (
        await _gql(client, DRAFT, line["head"], person=line["officer_id"], year=line["year"])
    )["draftPlan"]
    assert drafted["state"] == "draft"
    assert [f for f in drafted["findings"] if f["severity"] == "error"] == []
    assert drafted["items"][0]["frameworkItems"] == [gaps[0]]
