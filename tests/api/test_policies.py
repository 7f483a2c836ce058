"""The planning policy and the assessment policy read and write the same way: one shape (values
as their JSON types; `own` / `inherited` / `default` sources), PUT replaces, PATCH merges."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers import problem_of

MERGE = {"Content-Type": "application/merge-patch+json"}
# per policy: its URL, two settings an agency may set, and a value for each
POLICIES = {
    "planning": (
        "/api/v1/agencies/{}/planning-policy",
        {"min_topics": 2, "max_lecture_percent": 50},
    ),
    "assessment": (
        "/api/v1/agencies/{}/assessment-policy",
        {"final_rating": "self_only", "priority": ["component"]},
    ),
}


def _numbers_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_numbers_only(v) for v in value.values())
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.parametrize("kind", POLICIES)
async def test_both_policies_answer_one_shape_with_the_same_words_for_where_a_setting_comes_from(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str], kind: str
) -> None:
    line = await make_workforce()
    url, settings = POLICIES[kind]
    first, second = settings
    parent, own = f"{line['agency']}-MIN", line["agency"]
    put = await client.put(url.format(parent), json={first: settings[first]}, headers=admin_headers)
    assert put.status_code == 200, put.text
    put = await client.put(url.format(own), json={second: settings[second]}, headers=line["admin"])
    assert put.status_code == 200, put.text

    body = (await client.get(url.format(own), headers=line["admin"])).json()
    assert set(body) == {"agency", "own", "effective", "sources"}
    assert (body["agency"], body["own"]) == (own, {second: settings[second]})
    assert set(body["sources"]) == set(body["effective"])
    assert body["sources"][first] == {"origin": "inherited", "agency": parent}
    assert body["sources"][second] == {"origin": "own", "agency": own}
    defaults = [s for s in body["sources"].values() if s["origin"] == "default"]
    assert defaults
    assert all(s["agency"] is None for s in defaults)
    assert body["effective"][first] == settings[first]
    assert body["effective"][second] == settings[second]


async def test_planning_numbers_are_json_numbers_not_strings(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    url = POLICIES["planning"][0].format(line["agency"])
    body = (await client.put(url, json={"mix_tolerance_points": 7.5}, headers=line["admin"])).json()
    assert body["own"] == {"mix_tolerance_points": 7.5}
    effective = body["effective"]
    assert effective["mix_target"] == {"70": 70, "20": 20, "10": 10}
    assert all(_numbers_only(v) for v in effective.values()), effective


@pytest.mark.parametrize("kind", POLICIES)
async def test_put_replaces_the_own_settings_and_null_or_absent_inherits(
    client: httpx.AsyncClient, make_workforce: Any, kind: str
) -> None:
    line = await make_workforce()
    url, settings = POLICIES[kind]
    url = url.format(line["agency"])
    first, second = settings
    both = await client.put(url, json=settings, headers=line["admin"])
    assert both.json()["own"] == settings, both.text
    one = await client.put(url, json={first: settings[first], second: None}, headers=line["admin"])
    assert one.status_code == 200, one.text
    assert one.json()["own"] == {first: settings[first]}
    assert one.json()["sources"][second]["origin"] == "default"
    cleared = await client.put(url, json={}, headers=line["admin"])
    assert cleared.json()["own"] == {}


@pytest.mark.parametrize("kind", POLICIES)
async def test_patch_changes_only_what_it_names_and_null_inherits_again(
    client: httpx.AsyncClient, make_workforce: Any, kind: str
) -> None:
    line = await make_workforce()
    url, settings = POLICIES[kind]
    url = url.format(line["agency"])
    first, second = settings
    headers = {**line["admin"], **MERGE}
    one = await client.patch(url, json={first: settings[first]}, headers=headers)
    assert (one.status_code, one.json()["own"]) == (200, {first: settings[first]}), one.text
    two = await client.patch(url, json={second: settings[second]}, headers=headers)
    assert two.json()["own"] == settings
    back = await client.patch(url, json={first: None}, headers=headers)
    assert back.json()["own"] == {second: settings[second]}
    assert back.json()["sources"][first] == {"origin": "default", "agency": None}
    # a bad value changes nothing
    problem_of(await client.patch(url, json={"colour": "red"}, headers=headers), 422)
    assert (await client.get(url, headers=line["admin"])).json()["own"] == back.json()["own"]
    problem_of(await client.patch(url, json={first: None}, headers=line["officer"]), 403)


@pytest.mark.parametrize("kind", POLICIES)
@pytest.mark.parametrize("body", [[], "min_topics", 3])
async def test_a_policy_is_a_json_object_for_both(
    client: httpx.AsyncClient, make_workforce: Any, kind: str, body: Any
) -> None:
    line = await make_workforce()
    url = POLICIES[kind][0].format(line["agency"])
    for method, headers in (("PUT", line["admin"]), ("PATCH", {**line["admin"], **MERGE})):
        problem_of(await client.request(method, url, json=body, headers=headers), 422)
