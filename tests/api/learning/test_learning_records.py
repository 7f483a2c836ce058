"""Completions from e-learning providers into plans, evidence and learning records (docs/xapi.md
"From statements to plans and evidence")."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.services.learning import statements as lrs_service
from app.services.platform import clients
from tests.api.plans.bodies import activity, baseline, create, plans_url, post, valid_items
from tests.api.xapi.conftest import V, basic
from tests.workforce import OPERATOR

LMS = "https://lms.example.go.th"
D400 = f"{LMS}/course/D400"
ADL = "http://adlnet.gov/expapi/verbs/"
VOIDED = ADL + "voided"


def _course(code: str = "D400", **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title_th": "การใช้เครื่องมือดิจิทัลในงาน",
        "scope_th": "การใช้ตารางคำนวณ",
        "hours": 6,
        "delivery_mode": "online",
        "activity_ids": [f"{LMS}/course/{code}"],
        "items": ["DLit400"],
        "groups": ["technologist"],
        "methods": ["online_course", "e_learning_implementation"],
        **extra,
    }


def completion(
    name: str = "officer",
    verb: str = "completed",
    activity_id: str = D400,
    **more: Any,
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": LMS, "name": name}},
        "verb": {"id": ADL + verb},
        "object": {"id": activity_id},
        "timestamp": "2025-01-15T10:00:00+07:00",
        **more,
    }


def voiding(target: str, name: str = "officer") -> dict[str, Any]:
    return {
        "actor": {"objectType": "Agent", "account": {"homePage": LMS, "name": name}},
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": target},
    }


async def _world(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> dict[str, Any]:
    """The workforce's officer with a plan in force whose first item (DLit400) has an online
    course activity taking course lms/D400; a provider client of the agency."""
    line = await make_workforce()
    provider = {"name_th": "สถาบันพัฒนาข้าราชการ", "kind": "national"}
    r = await client.put("/api/v1/course-providers/lms", json=provider, headers=admin_headers)
    assert r.status_code == 201, r.text
    r = await client.post(
        "/api/v1/course-providers/lms/courses/bulk",
        json=[_course(), _course("D999", items=["DG100"], methods=["classroom_training"])],
        headers=admin_headers,
    )
    assert [x["outcome"] for x in r.json()["results"]] == ["created", "created"], r.text
    issued = await clients.create_client(
        session,
        OPERATOR,
        name="LMS",
        agency=line["agency"],
        scopes=["statements:write", "statements:read", "people:write"],
    )
    await session.flush()
    await lrs_service.register_home_page(session, OPERATOR, LMS, None)
    items = valid_items()
    online = activity("online_course", 4, lecture=50)
    online["course"] = {"provider": "lms", "code": "D400"}
    items[0]["activities"] = [*items[0]["activities"][:2], online]
    plan = await create(client, line, items)
    assert (await post(client, line, plan, "submit", "officer")).status_code == 200
    assert (await post(client, line, plan, "acknowledge", "officer")).status_code == 200
    agreed = (await post(client, line, plan, "acknowledge", "head")).json()
    assert agreed["state"] == "acknowledged", agreed
    online_id = agreed["items"][0]["activities"][2]["id"]
    return {
        "line": line,
        "plan": agreed,
        "online_id": online_id,
        "xapi": {**basic(issued.api_key), **V},
        "hris": {"X-API-Key": issued.api_key},
        "assessment": await baseline(client, line),
    }


async def _send(client: httpx.AsyncClient, w: dict[str, Any], body: Any) -> None:
    r = await client.post("/xapi/statements", json=body, headers=w["xapi"])
    assert r.status_code == 200, r.text


async def _progress(client: httpx.AsyncClient, w: dict[str, Any]) -> dict[str, Any]:
    url = f"{plans_url(w['line'])}/{w['plan']['id']}/progress"
    r = await client.get(url, headers=w["line"]["officer"])
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _actual(progress: dict[str, Any], activity_id: str) -> float:
    return float(
        next(a["actual_hours"] for a in progress["activities"] if a["activity_id"] == activity_id)
    )


def _form_items(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "evidence" in node and "code" in node:
            found.append(node)
        for value in node.values():
            found.extend(_form_items(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_form_items(value))
    return found


async def _evidence(client: httpx.AsyncClient, w: dict[str, Any]) -> dict[str, set[str]]:
    """Form item code -> statement ids shown as evidence beside it."""
    line = w["line"]
    r = await client.get(
        f"/api/v1/people/{line['officer_id']}/assessments/{w['assessment']}/form",
        headers=line["officer"],
    )
    assert r.status_code == 200, r.text
    return {
        i["code"]: {e["statement_id"] for e in i["evidence"]}
        for i in _form_items(r.json())
        if i["evidence"]
    }


async def test_a_completion_shows_in_plan_progress_and_as_evidence_in_the_form(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    """A person whose plan has an online-course activity for DLit400 sees a completion from the
    provider in plan progress and as evidence in their next assessment form."""
    w = await _world(client, session, make_workforce, admin_headers)
    assert await _evidence(client, w) == {}
    sent = completion(result={"completion": True, "duration": "PT2H30M"})
    await _send(client, w, sent)

    progress = await _progress(client, w)
    assert _actual(progress, w["online_id"]) == 2.5
    assert progress["actual_hours"] == 2.5
    buckets = {b["bucket"]: b for b in progress["buckets"]}
    assert buckets[10]["actual_percent"] == 100
    assert [e["source"] for e in progress["entries"]] == ["completion"]

    shown = await _evidence(client, w)
    assert shown, "the completion is evidence on DLit400's items"
    assert all(code.startswith("DLit400") for code in shown)
    assert all(ids == {sent["id"]} for ids in shown.values())
    # never an automatic rating: the items stay unrated
    form = await client.get(
        f"/api/v1/people/{w['line']['officer_id']}/assessments/{w['assessment']}/form",
        headers=w["line"]["officer"],
    )
    items = [i for i in _form_items(form.json()) if i["evidence"]]
    assert all(i["self_rating"] is None and i["supervisor_rating"] is None for i in items)
    first = items[0]["evidence"][0]
    assert (first["course"], first["on"], first["outcome"]) == (
        "lms/D400",
        "2025-01-15",
        "completed",
    )

    mine = await client.get("/api/v1/me/learning-records", headers=w["line"]["officer"])
    assert mine.status_code == 200, mine.text
    [record] = mine.json()["items"]
    assert (record["statement_id"], record["outcome"], record["hours"], record["bucket"]) == (
        sent["id"],
        "completed",
        2.5,
        10,
    )
    assert (record["plan_id"], record["plan_activity_id"]) == (w["plan"]["id"], w["online_id"])
    assert record["evidence_on"] == ["DLit400"]

    # the same in GraphQL: the form's evidence and my records
    items = "code evidence { course on statementId }"
    query = (
        f'{{ assessmentForm(personId: "{w["line"]["officer_id"]}", id: "{w["assessment"]}") {{'
        f" sections {{ domains {{ units {{ item {{ {items} }} elements {{ criteria {{ {items}"
        " } } } } } } myLearningRecords { items { statementId on hours planActivityId } } }"
    )
    r = await client.post("/graphql", json={"query": query}, headers=w["line"]["officer"])
    data = r.json()["data"]
    shown = [i for i in _form_items(data["assessmentForm"]) if i["evidence"]]
    assert shown
    assert all(
        i["evidence"] == [{"course": "lms/D400", "on": "2025-01-15", "statementId": sent["id"]}]
        for i in shown
    )
    assert data["myLearningRecords"]["items"] == [
        {
            "statementId": sent["id"],
            "on": "2025-01-15",
            "hours": 2.5,
            "planActivityId": w["online_id"],
        }
    ]


async def test_voiding_a_completion_removes_its_effort_and_its_evidence(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    kept, voided = completion(), completion(result={"duration": "PT1H"})
    await _send(client, w, [kept, voided])
    # no duration: the course's 6 hours; with one: its hour
    assert _actual(await _progress(client, w), w["online_id"]) == 7
    assert {i for ids in (await _evidence(client, w)).values() for i in ids} == {
        kept["id"],
        voided["id"],
    }
    await _send(client, w, voiding(voided["id"]))
    assert _actual(await _progress(client, w), w["online_id"]) == 6
    assert {i for ids in (await _evidence(client, w)).values() for i in ids} == {kept["id"]}
    records = (
        await client.get(
            f"/api/v1/people/{w['line']['officer_id']}/learning-records",
            headers=w["line"]["head"],
        )
    ).json()["items"]
    assert {r["statement_id"]: r["voided"] for r in records} == {
        kept["id"]: False,
        voided["id"]: True,
    }


async def test_a_completion_sent_twice_counts_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    sent = completion(result={"duration": "PT2H"})
    await _send(client, w, sent)
    await _send(client, w, sent)
    await _send(client, w, [copy.deepcopy(sent)])
    r = await client.put(
        "/xapi/statements", params={"statementId": sent["id"]}, json=sent, headers=w["xapi"]
    )
    assert r.status_code == 204, r.text
    assert _actual(await _progress(client, w), w["online_id"]) == 2
    mine = (await client.get("/api/v1/me/learning-records", headers=w["line"]["officer"])).json()
    assert [x["statement_id"] for x in mine["items"]] == [sent["id"]]


async def test_failed_is_recorded_but_neither_evidence_nor_effort(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    failed = completion(verb="failed", result={"success": False, "duration": "PT1H"})
    await _send(client, w, failed)
    assert _actual(await _progress(client, w), w["online_id"]) == 0
    assert await _evidence(client, w) == {}
    mine = (await client.get("/api/v1/me/learning-records", headers=w["line"]["officer"])).json()
    [record] = mine["items"]
    assert (record["outcome"], record["plan_id"], record["evidence_on"]) == ("failed", None, [])


async def test_a_completion_no_plan_activity_takes_still_counts_as_learning(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    """D999 develops DG100 by classroom training: the plan's DG100 item has classroom training,
    so it counts there; an unmapped activity is recorded with no course."""
    w = await _world(client, session, make_workforce, admin_headers)
    by_method = completion(verb="passed", activity_id=f"{LMS}/course/D999")
    stray = completion(activity_id="https://elsewhere.example/x")
    await _send(client, w, [by_method, stray])
    progress = await _progress(client, w)
    dg100 = next(i for i in w["plan"]["items"] if i["framework_items"] == ["DG100"])
    classroom = next(a for a in dg100["activities"] if a["method"] == "classroom_training")
    assert _actual(progress, classroom["id"]) == 6
    mine = (await client.get("/api/v1/me/learning-records", headers=w["line"]["officer"])).json()
    by_id = {r["statement_id"]: r for r in mine["items"]}
    assert by_id[by_method["id"]]["plan_activity_id"] == classroom["id"]
    assert by_id[stray["id"]]["course_id"] is None
    assert by_id[stray["id"]]["plan_id"] is None


async def test_an_unknown_actor_is_linked_by_the_hris_sync_and_its_completion_then_counts(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
    auth: Any,
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    early = completion(name="newcomer", result={"duration": "PT3H"})
    await _send(client, w, early)
    synced = await client.post(
        "/api/v1/people/bulk",
        json=[
            {
                "external_id": "NEW",
                "first_name_th": "ใหม่",
                "last_name_th": "มาก",
                "agency": w["line"]["agency"],
                "subject": "newcomer",
            }
        ],
        headers=w["hris"],
    )
    assert synced.json()["results"][0]["outcome"] == "created", synced.text
    newcomer = auth("newcomer", "employee", agency=w["line"]["agency"])
    mine = (await client.get("/api/v1/me/learning-records", headers=newcomer)).json()
    [record] = mine["items"]
    assert (record["statement_id"], record["outcome"], record["hours"]) == (
        early["id"],
        "completed",
        3,
    )
    assert record["plan_id"] is None  # no plan yet: it counts as learning all the same
    query = "{ myLearningRecords { items { statementId outcome } } myDashboard { learning {"
    query += " completions learningHours } } }"
    query = query.replace("myDashboard {", "myDashboard(fiscalYear: 2568) {")
    r = await client.post("/graphql", json={"query": query}, headers=newcomer)
    data = r.json()["data"]
    assert data["myLearningRecords"]["items"] == [
        {"statementId": early["id"], "outcome": "completed"}
    ]
    assert data["myDashboard"]["learning"] == {"completions": 1, "learningHours": 3.0}


async def test_learning_records_are_not_found_outside_the_readers_scope(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    url = f"/api/v1/people/{w['line']['officer_id']}/learning-records"
    assert (await client.get(url, headers=w["line"]["outsider"])).status_code == 404
    assert (await client.get(url, headers=w["line"]["admin"])).status_code == 200


async def test_the_completions_report_counts_learning_records(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    w = await _world(client, session, make_workforce, admin_headers)
    url = f"/api/v1/agencies/{w['line']['agency']}/reports/completions?fiscal_year=2568"

    async def report() -> tuple[bool, int | None, int | None]:
        r = await client.get(url, headers=w["line"]["admin"])
        assert r.status_code == 200, r.text
        body = r.json()
        return body["available"], body["completions"], body["people"]

    assert await report() == (True, 0, 0)
    first, second = completion(), completion(verb="passed")
    later = completion(timestamp="2025-12-01T10:00:00+07:00")  # fiscal year 2569
    await _send(client, w, [first, second, later, completion(verb="failed")])
    assert await report() == (True, 2, 1)
    await _send(client, w, voiding(second["id"]))
    assert await report() == (True, 1, 1)
