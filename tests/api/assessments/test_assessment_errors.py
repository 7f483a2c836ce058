"""Every error of the assessment endpoints is an RFC 9457 problem with its code and rule."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.assessments.flow import base, open_, rate, url
from tests.api.assessments.test_assessment_flow import submitted
from tests.helpers import problem_of


async def test_opening_needs_credentials(client: httpx.AsyncClient) -> None:
    r = await client.post(f"/api/v1/people/{uuid.uuid4()}/assessments", json={"fiscal_year": 2568})
    problem_of(r, 401)


async def test_opening_for_someone_out_of_sight_is_404_and_for_a_second_level_supervisor_403(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    body = {"fiscal_year": line["year"]}
    problem_of(await client.post(base(line), json=body, headers=line["outsider"]), 404)
    assert problem_of(await client.post(base(line), json=body, headers=line["director"]), 403)
    problem_of(
        await client.post(
            f"/api/v1/people/{uuid.uuid4()}/assessments", json=body, headers=line["admin"]
        ),
        404,
    )


async def test_an_agency_administrator_may_open_on_the_persons_behalf(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line, by="admin")
    assert a["opened_by"] == "dga-admin"


async def test_opening_without_an_approved_group_or_a_declared_stage_is_409(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    r = await client.post(
        base(line, "head"), json={"fiscal_year": line["year"]}, headers=line["head"]
    )
    assert problem_of(r, 409)["rule"] == "B3"
    r = await client.post(
        base(line), json={"fiscal_year": line["year"] + 1}, headers=line["officer"]
    )
    assert problem_of(r, 409)["rule"] == "B1"


async def test_opening_with_a_bad_year_or_kind_is_422(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    r = await client.post(base(line), json={"fiscal_year": 2025}, headers=line["officer"])
    assert problem_of(r, 422)["errors"][0]["pointer"] == "/fiscal_year"
    r = await client.post(
        base(line), json={"fiscal_year": line["year"], "kind": "midterm"}, headers=line["officer"]
    )
    assert problem_of(r, 422)["errors"][0]["pointer"] == "/kind"


async def test_an_unknown_assessment_is_404(client: httpx.AsyncClient, make_workforce: Any) -> None:
    line = await make_workforce()
    a = {"id": str(uuid.uuid4())}
    for tail in ("", "/form", "/results", "/comparison"):
        problem_of(await client.get(url(line, a, tail), headers=line["officer"]), 404)
    real = await open_(client, line)
    problem_of(await client.get(url(line, real), headers=line["outsider"]), 404)


async def test_only_the_person_gives_self_ratings_and_submits(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    problem_of(await rate(client, line, a, {"DLit400": "has"}, by="head"), 403)
    problem_of(await rate(client, line, a, {"DLit400": "has"}, by="admin"), 403)
    problem_of(await client.post(url(line, a, "/submit"), headers=line["head"]), 403)


async def test_a_bad_batch_reports_every_entry_and_saves_nothing(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    ratings = [
        {"code": "DLit400", "value": "maybe"},
        {"code": "K-F1", "value": "has", "note": "x" * 2001},
        {"code": "K-F2", "value": "has", "evidence_url": "ftp://files"},
        {"code": "K-F1", "value": "has_not"},
    ]
    r = await client.patch(
        url(line, a, "/ratings"), json={"ratings": ratings}, headers=line["officer"]
    )
    errors = [(e["pointer"], e["rule"]) for e in problem_of(r, 422)["errors"]]
    assert errors == [
        ("/ratings/0/value", "enum"),
        ("/ratings/1/note", "max-length"),
        ("/ratings/2/evidence_url", "url"),
        ("/ratings/3/code", "unique"),
    ]
    r = await client.patch(url(line, a, "/ratings"), json={"ratings": []}, headers=line["officer"])
    assert problem_of(r, 422)["errors"][0]["rule"] == "min-items"
    problem_of(
        await client.patch(url(line, a, "/ratings"), json={"rating": []}, headers=line["officer"]),
        422,
    )
    got = (await client.get(url(line, a), headers=line["officer"])).json()
    assert got["version"] == a["version"]


async def test_a_stale_etag_is_412(client: httpx.AsyncClient, make_workforce: Any) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    first = await client.patch(
        url(line, a, "/ratings"),
        json={"ratings": [{"code": "DLit400", "value": "has"}]},
        headers={**line["officer"], "If-Match": f'"{a["version"]}"'},
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"{a["version"] + 1}"'
    stale = await client.patch(
        url(line, a, "/ratings"),
        json={"ratings": [{"code": "DLit400", "value": "has_not"}]},
        headers={**line["officer"], "If-Match": f'"{a["version"]}"'},
    )
    problem_of(stale, 412)


async def test_workflow_steps_out_of_order_are_409(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    problem_of(await rate(client, line, a, {"DLit400": "has"}, by="head", path="/review"), 409)
    problem_of(await client.post(url(line, a, "/finalize"), headers=line["head"]), 409)
    r = await client.post(url(line, a, "/reopen"), json={"reason": "x"}, headers=line["admin"])
    problem_of(r, 409)
    done = await submitted(client, line)
    problem_of(await client.post(url(line, done, "/submit"), headers=line["officer"]), 409)
    problem_of(await rate(client, line, done, {"DLit400": "has"}), 409)


async def test_only_the_first_line_supervisor_finalises(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await submitted(client, line)
    problem_of(await client.post(url(line, a, "/finalize"), headers=line["director"]), 403)
    problem_of(await client.post(url(line, a, "/finalize"), headers=line["officer"]), 403)
    problem_of(await client.post(url(line, a, "/finalize"), headers=line["outsider"]), 404)


async def test_reopening_takes_an_agency_administrator_and_a_reason_and_is_audited(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    a = await submitted(client, line)
    assert (await client.post(url(line, a, "/finalize"), headers=line["head"])).status_code == 200
    reopen = url(line, a, "/reopen")
    problem_of(await client.post(reopen, json={"reason": "typo"}, headers=line["head"]), 403)
    r = await client.post(reopen, json={"reason": "   "}, headers=line["admin"])
    assert problem_of(r, 422)["errors"][0]["pointer"] == "/reason"
    r = await client.post(reopen, json={"reason": "ผิดพลาด"}, headers=line["admin"])
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["reopen_reason"]) == ("draft", "ผิดพลาด")
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"entity": "assessment", "entity_id": a["id"]},
            headers=admin_headers,
        )
    ).json()
    actions = [e["action"] for e in events["items"]]
    assert actions[0] == "reopen"
    assert events["items"][0]["details"]["reason"] == "ผิดพลาด"
    assert {"open", "rate:self", "submit", "finalize"} <= set(actions)
    assert (await rate(client, line, a, {"DLit400": "has_not"})).status_code == 200


async def test_comparing_a_baseline_or_a_reflection_without_baseline_is_409(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    reflection = await open_(client, line, "reflection")
    r = await client.get(url(line, reflection, "/comparison"), headers=line["officer"])
    assert problem_of(r, 409)["rule"] == "comparison"
    baseline = await open_(client, line, "baseline")
    r = await client.get(url(line, baseline, "/comparison"), headers=line["officer"])
    problem_of(r, 409)
