"""Agency assessment policy through the API: one test per final-rating rule (set on the parent
agency, applied to the child's assessments), the priority order, inheritance and errors.

Expected finals come from the table in docs/assessment.md: the person rates everything "has"
except K-F3; the supervisor rates DLit400 "has not", K-F3 "has", E-F1 "has" and nothing else.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.helpers import problem_of

POLICY = "/api/v1/agencies/{}/assessment-policy"


async def _set(client: httpx.AsyncClient, code: str, body: Any, headers: dict[str, str]) -> Any:
    r = await client.put(POLICY.format(code), json=body, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _requirements(codes: list[str]) -> set[str]:
    return {"DS100" if c.startswith("DS10") and "." in c else c for c in codes}


@pytest.mark.parametrize(
    ("rule", "not_met"),
    [
        ("supervisor_prevails", lambda every: {"DLit400"}),
        ("self_prevails", lambda every: {"K-F3"}),
        ("self_only", lambda every: {"K-F3"}),
        ("supervisor_only", lambda every: every - {"K-F3", "E-F1"}),
        ("both_must_agree", lambda every: every - {"E-F1"}),
        ("either_suffices", lambda every: set()),
    ],
)
async def test_each_final_rating_rule_set_on_the_parent_agency_applies_to_the_child(
    client: httpx.AsyncClient,
    make_workforce: Any,
    admin_headers: dict[str, str],
    rule: str,
    not_met: Any,
) -> None:
    line = await make_workforce()
    parent = f"{line['agency']}-MIN"
    await _set(client, parent, {"final_rating": rule}, admin_headers)
    shown = (await client.get(POLICY.format(line["agency"]), headers=line["officer"])).json()
    assert shown["effective"]["final_rating"] == rule
    assert shown["sources"]["final_rating"] == {"origin": "inherited", "agency": parent}
    assert shown["own"] == {}

    a = await open_(client, line)
    codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
    assert (await rate(client, line, a, all_has(codes, except_=["K-F3"]))).status_code == 200
    assert (await client.post(url(line, a, "/submit"), headers=line["officer"])).status_code == 200
    boss = {"DLit400": "has_not", "K-F3": "has", "E-F1": "has"}
    assert (await rate(client, line, a, boss, by="head", path="/review")).status_code == 200

    results = (await client.get(url(line, a, "/results"), headers=line["head"])).json()
    assert results["policy"]["final_rating"] == rule
    assert {g["code"] for g in results["gaps"]} == not_met(_requirements(codes))
    assert {d["code"] for d in results["disagreements"]} == {"DLit400", "K-F3"}

    finalize = await client.post(url(line, a, "/finalize"), headers=line["head"])
    if rule in ("supervisor_only", "both_must_agree"):
        # the supervisor has not rated every item: no final rating for the rest
        body = problem_of(finalize, 422)
        assert "DLit300" in body["missing"]
    else:
        assert finalize.status_code == 200, finalize.text


async def test_the_childs_own_field_overrides_the_parents_and_the_rest_is_inherited(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    parent = f"{line['agency']}-MIN"
    await _set(
        client, parent, {"final_rating": "self_only", "priority": ["component"]}, admin_headers
    )
    got = await _set(client, line["agency"], {"final_rating": "both_must_agree"}, line["admin"])
    assert got["effective"] == {
        "final_rating": "both_must_agree",
        "priority": ["component"],
        "foundational_domains": ["DG", "DLit"],
    }
    assert got["sources"] == {
        "final_rating": {"origin": "own", "agency": line["agency"]},
        "priority": {"origin": "inherited", "agency": parent},
        "foundational_domains": {"origin": "default", "agency": None},
    }
    cleared = await _set(client, line["agency"], {}, line["admin"])
    assert cleared["effective"]["final_rating"] == "self_only"


async def test_the_priority_policy_orders_the_gaps(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await open_(client, line)
    codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
    assert (
        await rate(client, line, a, all_has(codes, except_=["DS101.1", "DLit400"]))
    ).status_code == 200

    async def gaps() -> list[str]:
        r = await client.get(url(line, a, "/results"), headers=line["officer"])
        return [g["code"] for g in r.json()["gaps"]]

    assert await gaps() == ["DLit400", "DS100"]  # default: foundational DLit and DG first
    await _set(client, line["agency"], {"foundational_domains": ["DS"]}, line["admin"])
    assert await gaps() == ["DS100", "DLit400"]


async def test_policy_errors(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    path = POLICY.format(line["agency"])
    problem_of(await client.get(POLICY.format("NOWHERE"), headers=admin_headers), 404)
    problem_of(await client.put(path, json={}, headers=line["officer"]), 403)
    problem_of(await client.put(path, json={}, headers=line["outsider"]), 403)
    other = POLICY.format(f"{line['agency']}-OUT")
    problem_of(await client.put(other, json={}, headers=line["admin"]), 404)
    r = await client.put(
        path,
        json={"final_rating": "loudest", "priority": ["target", "target"], "colour": "red"},
        headers=line["admin"],
    )
    errors = {(e["pointer"], e["rule"]) for e in problem_of(r, 422)["errors"]}
    assert errors == {
        ("/colour", "unknown-field"),
        ("/final_rating", "enum"),
        ("/priority/1", "unique"),
    }
    problem_of(await client.put(path, json=["x"], headers=line["admin"]), 422)
