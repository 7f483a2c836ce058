"""A partial staff group (003:657, rule B3) narrows the person's targets to the items chosen from
the profile plus those every profile keeps (A6, A8, A9): the assessment form, readiness and the
plan rules follow; an assessment opened before keeps what it snapshotted."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.api.plans.bodies import baseline, item, plans_url

# mature/technologist requires 28 units (8 of them DLit or DG), attributes A1-A5 and
# competencies C2-C4; knowledge and experience are the foundational ones and what it inherits.
FOUNDATIONAL_UNITS = {
    "DLit300", "DLit400", "DLit600", "DG100", "DG300", "DG400", "DG500", "DG600",
}  # fmt: skip
CHOSEN = ["DS100", "SPM100", "K-R3"]
PARTIAL = {"group": "TECHNOLOGIST", "scope": "PARTIAL", "items": CHOSEN}
CHOOSE = """mutation($person: ID!, $groups: [GroupShareInput!]!) {
  proposeGroupAssignment(personId: $person, fiscalYear: 2568, groups: $groups) {
    state groups { group scope items } } }"""


def codes_by_component(form: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for section in form["sections"]:
        found = out.setdefault(section["component"], set())
        found.update(i["code"] for i in section["items"])
        found.update(u["code"] for d in section["domains"] for u in d["units"])
    return out


async def results(client: httpx.AsyncClient, line: dict[str, Any], a: dict[str, Any]) -> Any:
    response = await client.get(url(line, a, "/results"), headers=line["officer"])
    assert response.status_code == 200, response.text
    return response.json()["present"]["overall"]


async def test_a_partial_group_narrows_the_form_and_readiness_of_assessments_opened_after_it(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce(stage="mature")
    whole = await open_(client, line)
    whole_form = await form_of(client, line, whole)
    whole_codes = codes_by_component(whole_form)
    assert len(whole_codes["capability"]) == 28
    assert whole_codes["competency"] == {"C2", "C3", "C4"}

    variables = {"person": line["officer_id"], "groups": [PARTIAL]}
    body = (
        await client.post(
            "/graphql", json={"query": CHOOSE, "variables": variables}, headers=line["head"]
        )
    ).json()
    assert body["data"]["proposeGroupAssignment"] == {
        "state": "APPROVED",
        "groups": [{"group": "TECHNOLOGIST", "scope": "PARTIAL", "items": CHOSEN}],
    }

    partial = await open_(client, line, kind="reflection")
    assert partial["targets"]["groups"] == [
        {"group": "technologist", "scope": "partial", "items": CHOSEN}
    ]
    form = await form_of(client, line, partial)
    codes = codes_by_component(form)
    assert codes["capability"] == FOUNDATIONAL_UNITS | {"DS100", "SPM100"}
    assert codes["knowledge"] == {f"K-F{i}" for i in range(1, 6)} | {"K-R3"}  # A8 + the choice
    assert codes["experience"] == {f"E-F{i}" for i in range(1, 6)}  # A8
    assert codes["attribute"] == {f"A{i}" for i in range(1, 6)}  # A6
    assert "competency" not in codes  # none chosen
    # Readiness counts the narrowed set: every rated item "has" but one.
    items = rated_items(form)
    rated = await rate(client, line, partial, all_has([i["code"] for i in items], except_=["K-R3"]))
    assert rated.status_code == 200, rated.text
    overall = await results(client, line, partial)
    required = sum(len(c) for c in codes.values())
    assert (overall["met"], overall["required"]) == (required - 1, required)
    # The assessment opened before the change keeps its snapshot and its own denominator.
    assert await form_of(client, line, whole) == whole_form
    before = await results(client, line, whole)
    assert before["required"] == sum(len(c) for c in whole_codes.values())
    assert before["required"] > required


async def test_plan_items_outside_a_partial_choice_break_rule_c9(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce(stage="mature", groups=(PARTIAL,))
    body = {
        "fiscal_year": line["year"],
        "baseline_assessment_id": await baseline(client, line),
        "items": [
            item(1, "DS100", "การออกแบบบริการ"),  # chosen
            item(2, "DLit400", "การใช้เครื่องมือดิจิทัล"),  # foundational (A9)
            item(3, "DT100", "เทคโนโลยีดิจิทัล"),  # in the profile, not chosen
        ],
    }
    response = await client.post(f"{plans_url(line)}/validate", json=body, headers=line["officer"])
    assert response.status_code == 200, response.text
    c9 = [f["pointer"] for f in response.json()["findings"] if f["rule"] == "C9"]
    assert c9 == ["/items/2/framework_items/0"]
