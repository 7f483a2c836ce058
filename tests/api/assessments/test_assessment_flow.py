"""The assessment workflow through the REST API: targets, the form, rating, submission, review,
finalisation, results and the reflection's comparison (the issue's "Must show")."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.helpers import problem_of


async def test_a_developing_technologist_targets_developing_now_and_mature_next(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce(stage="developing", groups=("TECHNOLOGIST",))
    a = await open_(client, line)
    assert a["status"] == "draft"
    assert a["targets"]["present"] == ["developing/technologist"]
    assert a["targets"]["future"] == ["mature/technologist"]
    form = await form_of(client, line, a)
    targets = {t for item in rated_items(form) for t in item["targets"]}
    assert targets == {"present", "future"}


async def test_a_technologist_of_a_mature_agency_has_no_future_target(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce(stage="mature")
    a = await open_(client, line)
    assert a["targets"]["present"] == ["mature/technologist"]
    assert a["targets"]["future"] == []
    results = (await client.get(url(line, a, "/results"), headers=line["officer"])).json()
    assert results["future"] is None
    assert results["present"]["overall"]["required"] > 0


async def test_opening_twice_returns_the_same_assessment(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    first = await client.post(
        f"/api/v1/people/{line['officer_id']}/assessments",
        json={"fiscal_year": line["year"]},
        headers=line["officer"],
    )
    again = await client.post(
        f"/api/v1/people/{line['officer_id']}/assessments",
        json={"fiscal_year": line["year"], "kind": "baseline"},
        headers=line["head"],
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.headers["Location"].endswith(first.json()["id"])


async def test_the_form_rates_ds100_by_criteria_and_other_units_whole(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    form = await form_of(client, line, await open_(client, line))
    capability = next(s for s in form["sections"] if s["component"] == "capability")
    units = {u["code"]: u for d in capability["domains"] for u in d["units"]}
    ds100 = units["DS100"]
    assert ds100["item"] is None
    assert [e["code"] for e in ds100["elements"]] == ["DS101", "DS102"]
    assert [c["code"] for c in ds100["elements"][1]["criteria"]] == [
        "DS102.1",
        "DS102.2",
        "DS102.3",
    ]
    assert units["DLit400"]["item"]["code"] == "DLit400"
    assert units["DLit400"]["title"]["th"]
    assert [s["component"] for s in form["sections"]][:2] == ["capability", "knowledge"]
    assert form["item_count"] == len(rated_items(form))


async def test_one_ds100_criterion_not_had_leaves_ds100_the_only_gap_readiness_by_hand_count(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    form = await form_of(client, line, a)
    codes = [i["code"] for i in rated_items(form)]
    r = await rate(client, line, a, all_has(codes, except_=["DS102.2"]))
    assert r.status_code == 200, r.text
    results = (await client.get(url(line, a, "/results"), headers=line["officer"])).json()
    assert [g["code"] for g in results["gaps"]] == ["DS100"]
    assert results["gaps"][0]["items_not_met"] == ["DS102.2"]
    assert results["gaps"][0]["elements_not_met"] == ["DS102"]

    # Hand count from the form: each unit counts once (DS100 through its 5 criteria), every
    # other item once; only DS100 is not met.
    capability = next(s for s in form["sections"] if s["component"] == "capability")
    for target in ("present", "future"):
        units = [
            (d["code"], d["learning_dimension"], u["code"])
            for d in capability["domains"]
            for u in d["units"]
            if target in u["targets"]
        ]
        others = [i["code"] for s in form["sections"] for i in s["items"] if target in i["targets"]]
        assert ("DS", 3, "DS100") in units
        got = results[target]
        assert got["overall"] == readiness(len(units) + len(others) - 1, len(units) + len(others))
        assert got["by_component"]["capability"] == readiness(len(units) - 1, len(units))
        ds = [u for u in units if u[0] == "DS"]
        assert got["by_domain"]["DS"] == readiness(len(ds) - 1, len(ds))
        dim3 = [u for u in units if u[1] == 3]
        assert got["by_learning_dimension"]["3"] == readiness(len(dim3) - 1, len(dim3))
        dlit = [u for u in units if u[0] == "DLit"]
        assert got["by_domain"]["DLit"] == readiness(len(dlit), len(dlit))
    assert all(len(s["items"]) == 1 for s in results["strengths"])


def readiness(met: int, required: int) -> dict[str, Any]:
    return {"met": met, "required": required, "ratio": met / required}


async def test_submitting_with_unrated_items_names_them(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
    left = ["DS101.2", "K-F3", codes[-1]]
    assert (
        await rate(client, line, a, all_has(c for c in codes if c not in left))
    ).status_code == 200
    body = problem_of(await client.post(url(line, a, "/submit"), headers=line["officer"]), 422)
    assert sorted(body["missing"]) == sorted(left)
    assert sorted(e["code"] for e in body["errors"]) == sorted(left)
    assert {e["rule"] for e in body["errors"]} == {"D1"}


async def test_rating_an_item_not_in_the_assessment_is_422_and_saves_nothing(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    r = await rate(client, line, a, {"DLit400": "has", "NOPE1": "has", "DS100": "has"})
    body = problem_of(r, 422)
    assert [(e["pointer"], e["rule"]) for e in body["errors"]] == [
        ("/ratings/1/code", "not-in-assessment"),
        ("/ratings/2/code", "A4"),
    ]
    form = await form_of(client, line, a)
    assert form["self_rated"] == 0


async def test_a_supervisor_who_is_not_the_first_line_supervisor_gets_403(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await submitted(client, line)
    r = await rate(client, line, a, {"DLit400": "has"}, by="director", path="/review")
    assert problem_of(r, 403)["code"] == "forbidden"
    r = await rate(client, line, a, {"DLit400": "has"}, by="outsider", path="/review")
    problem_of(r, 404)
    r = await rate(client, line, a, {"DLit400": "has"}, by="head", path="/review")
    assert r.status_code == 200, r.text


async def submitted(
    client: httpx.AsyncClient,
    line: dict[str, Any],
    kind: str = "baseline",
    *,
    not_had: tuple[str, ...] = (),
) -> dict[str, Any]:
    a = await open_(client, line, kind)
    codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
    assert (await rate(client, line, a, all_has(codes, except_=not_had))).status_code == 200
    r = await client.post(url(line, a, "/submit"), headers=line["officer"])
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == "submitted"
    return body


async def test_the_supervisor_reviews_and_finalises_and_the_assessment_locks(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await submitted(client, line)
    queue = (await client.get("/api/v1/me/assessment-queue", headers=line["head"])).json()
    assert [q["assessment"]["id"] for q in queue["items"]] == [a["id"]]
    empty = (await client.get("/api/v1/me/assessment-queue", headers=line["director"])).json()
    assert empty == {"items": [], "next_cursor": None}
    r = await rate(client, line, a, {"DLit400": "has_not"}, by="head", path="/review")
    assert r.status_code == 200
    r = await client.post(url(line, a, "/finalize"), headers=line["head"])
    assert r.json()["status"] == "final"
    results = (await client.get(url(line, a, "/results"), headers=line["head"])).json()
    assert results["disagreements"] == [
        {"code": "DLit400", "self_value": "has", "supervisor_value": "has_not", "final": "has_not"}
    ]
    assert "DLit400" in [g["code"] for g in results["gaps"]]
    assert (await client.get("/api/v1/me/assessment-queue", headers=line["head"])).json()[
        "items"
    ] == []
    r = await rate(client, line, a, {"DLit400": "has"})
    assert "final" in problem_of(r, 409)["detail"]


async def test_a_reflection_shows_the_items_gained_since_the_baseline(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    await submitted(client, line, not_had=("DS102.2", "K-F3"))
    reflection = await submitted(client, line, "reflection", not_had=("K-F3",))
    r = await client.get(url(line, reflection, "/comparison"), headers=line["officer"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert [g["code"] for g in body["gained"]] == ["DS100"]
    assert body["items_gained"] == ["DS102.2"]
    assert body["lost"] == []
    assert body["items_lost"] == []
    delta = body["present"]["overall"]
    assert delta["after"]["met"] == delta["before"]["met"] + 1
    assert delta["delta"] > 0
