"""The xAPI document resources (State, Activity Profile, Agent Profile) and the Agents and
Activities resources: what an LRS client relies on, concurrency, errors and agency reach."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.domain.errors import PreconditionFailed
from app.domain.learning.documents import Key, Kind
from app.services.learning import documents
from app.services.learning.documents import Conditions
from tests.api.xapi.conftest import COURSE, statement
from tests.helpers import problem_of
from tests.workforce import OPERATOR

STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"
LEARNER = {"objectType": "Agent", "mbox": "mailto:somchai@a.go.th"}
JSON = {"Content-Type": "application/json"}
CREATE = {"If-None-Match": "*"}


def state(state_id: str | None = "bookmark", **more: Any) -> dict[str, Any]:
    params = {"activityId": COURSE, "agent": json.dumps(LEARNER), **more}
    if state_id is not None:
        params["stateId"] = state_id
    return params


async def test_a_state_is_stored_read_back_as_sent_listed_and_deleted(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    put = await client.put(
        STATE, params=state(), content=b"page 7", headers={**a, "Content-Type": "text/plain"}
    )
    assert put.status_code == 204, put.text
    assert put.headers["X-Experience-API-Version"] == "1.0.3"
    got = await client.get(STATE, params=state(), headers=a)
    assert got.status_code == 200, got.text
    assert got.content == b"page 7"
    assert got.headers["Content-Type"].startswith("text/plain")
    assert got.headers["ETag"] == put.headers["ETag"]
    assert got.headers["ETag"].startswith('"')
    assert len(got.headers["ETag"]) == 42
    assert "Last-Modified" in got.headers
    head = await client.head(STATE, params=state(), headers=a)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    # the same agent, its e-mail domain in another case, names the same documents
    other_case = {**LEARNER, "mbox": "mailto:somchai@A.GO.TH"}
    same = await client.get(STATE, params=state(agent=json.dumps(other_case)), headers=a)
    assert same.content == b"page 7"
    await client.put(STATE, params=state("suspend"), json={"x": 1}, headers=a)
    listed = await client.get(STATE, params=state(None), headers=a)
    assert listed.status_code == 200, listed.text
    assert sorted(listed.json()) == ["bookmark", "suspend"]
    deleted = await client.delete(STATE, params=state(), headers=a)
    assert deleted.status_code == 204, deleted.text
    problem_of(await client.get(STATE, params=state(), headers=a), 404)
    assert (await client.get(STATE, params=state(None), headers=a)).json() == ["suspend"]


async def test_ids_since_lists_only_documents_written_after(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    first = await client.put(STATE, params=state("one"), json={"a": 1}, headers=a)
    assert first.status_code == 204, first.text
    await asyncio.sleep(0.05)
    between = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.05)
    await client.put(STATE, params=state("two"), json={"a": 2}, headers=a)
    assert sorted((await client.get(STATE, params=state(None), headers=a)).json()) == [
        "one",
        "two",
    ]
    since = await client.get(STATE, params=state(None, since=between), headers=a)
    assert since.status_code == 200, since.text
    assert since.json() == ["two"]
    # rewriting a document moves it after ``since``
    await client.post(STATE, params=state("one"), json={"b": 1}, headers=a)
    again = await client.get(STATE, params=state(None, since=between), headers=a)
    assert sorted(again.json()) == ["one", "two"]
    for resource, params in (
        (ACTIVITY_PROFILE, {"activityId": COURSE}),
        (AGENT_PROFILE, {"agent": json.dumps(LEARNER)}),
    ):
        created = await client.put(
            resource, params={**params, "profileId": "p"}, json={}, headers={**a, **CREATE}
        )
        assert created.status_code == 204, created.text
        listed = await client.get(resource, params=params, headers=a)
        assert listed.json() == ["p"]
        assert "Last-Modified" in listed.headers
        later = await client.get(
            resource, params={**params, "since": "2999-01-01T00:00:00+07:00"}, headers=a
        )
        assert later.json() == []


async def test_a_registration_keeps_its_own_states_and_delete_all_honours_it(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    r1, r2 = str(uuid.uuid4()), str(uuid.uuid4())
    for registration, body in ((r1, b'{"r":1}'), (r2, b'{"r":2}')):
        response = await client.put(
            STATE,
            params=state(registration=registration),
            content=body,
            headers={**a, "Content-Type": "application/json"},
        )
        assert response.status_code == 204, response.text
    got = await client.get(STATE, params=state(registration=r1.upper()), headers=a)
    assert got.json() == {"r": 1}
    problem_of(await client.get(STATE, params=state(), headers=a), 404)  # no registration
    deleted = await client.delete(STATE, params=state(None, registration=r1), headers=a)
    assert deleted.status_code == 204
    problem_of(await client.get(STATE, params=state(registration=r1), headers=a), 404)
    assert (await client.get(STATE, params=state(registration=r2), headers=a)).json() == {"r": 2}
    # without a registration: every state of the activity and agent
    await client.delete(STATE, params=state(None), headers=a)
    problem_of(await client.get(STATE, params=state(registration=r2), headers=a), 404)


async def test_post_merges_top_level_properties_and_stores_when_there_is_none(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    for resource, params in (
        (STATE, state()),
        (ACTIVITY_PROFILE, {"activityId": COURSE, "profileId": "p"}),
        (AGENT_PROFILE, {"agent": json.dumps(LEARNER), "profileId": "p"}),
    ):
        first = {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"}
        created = await client.post(resource, params=params, json=first, headers=a)
        assert created.status_code == 204, created.text
        merged = await client.post(
            resource,
            params=params,
            json={"car": {"make": "Dodge"}, "series": "sprint"},
            headers=a,
        )
        assert merged.status_code == 204, merged.text
        got = await client.get(resource, params=params, headers=a)
        assert got.json() == {"car": {"make": "Dodge"}, "driver": "Dale", "series": "sprint"}
        assert got.headers["ETag"] == merged.headers["ETag"] != created.headers["ETag"]


async def test_post_onto_a_document_that_is_not_a_json_object_is_400_and_changes_nothing(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    stored = await client.post(STATE, params=state(), content=b"1", headers={**a, **JSON})
    assert stored.status_code == 204, stored.text  # no document yet: stored as sent
    refused = problem_of(await client.post(STATE, params=state(), json={"x": 1}, headers=a), 400)
    assert refused["code"] == "document-not-mergeable"
    await client.put(STATE, params=state(), json={"x": 1}, headers=a)
    text = await client.post(
        STATE, params=state(), content=b"abc", headers={**a, "Content-Type": "text/plain"}
    )
    problem_of(text, 400)
    broken = await client.post(STATE, params=state(), content=b"{abc", headers={**a, **JSON})
    assert problem_of(broken, 400)["errors"][0]["rule"] == "json_invalid"
    assert (await client.get(STATE, params=state(), headers=a)).json() == {"x": 1}


async def test_if_match_and_if_none_match_guard_every_write(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    params = {"activityId": COURSE, "profileId": "prefs"}
    created = await client.put(
        ACTIVITY_PROFILE, params=params, json={"v": 1}, headers={**a, "If-None-Match": "*"}
    )
    assert created.status_code == 204, created.text
    tag = created.headers["ETag"]
    again = await client.put(
        ACTIVITY_PROFILE, params=params, json={"v": 9}, headers={**a, "If-None-Match": "*"}
    )
    assert problem_of(again, 412)["code"] == "precondition-failed"
    stale = {**a, "If-Match": '"' + "0" * 40 + '"'}
    for method in ("PUT", "POST"):
        response = await client.request(
            method, ACTIVITY_PROFILE, params=params, json={"v": 9}, headers=stale
        )
        problem_of(response, 412)
    problem_of(await client.delete(ACTIVITY_PROFILE, params=params, headers=stale), 412)
    assert (await client.get(ACTIVITY_PROFILE, params=params, headers=a)).json() == {"v": 1}
    updated = await client.put(
        ACTIVITY_PROFILE, params=params, json={"v": 2}, headers={**a, "If-Match": tag}
    )
    assert updated.status_code == 204, updated.text
    # the state resource honours them too
    await client.put(STATE, params=state(), json={"s": 1}, headers=a)
    problem_of(
        await client.put(STATE, params=state(), json={"s": 2}, headers={**a, "If-Match": '"nope"'}),
        412,
    )
    problem_of(
        await client.post(
            STATE, params=state("new"), json={"s": 2}, headers={**a, "If-Match": "*"}
        ),
        412,
    )
    deleted = await client.delete(
        ACTIVITY_PROFILE, params=params, headers={**a, "If-Match": updated.headers["ETag"]}
    )
    assert deleted.status_code == 204


async def test_a_profile_put_without_a_precondition_is_409_over_one_and_400_for_a_new_one(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    for resource, params in (
        (ACTIVITY_PROFILE, {"activityId": COURSE, "profileId": "p"}),
        (AGENT_PROFILE, {"agent": json.dumps(LEARNER), "profileId": "p"}),
    ):
        bare = problem_of(await client.put(resource, params=params, json={"v": 0}, headers=a), 400)
        assert bare["code"] == "precondition-missing"
        assert {e["parameter"] for e in bare["errors"]} == {"If-Match", "If-None-Match"}
        problem_of(await client.get(resource, params=params, headers=a), 404)
        first = await client.put(resource, params=params, json={"v": 1}, headers={**a, **CREATE})
        assert first.status_code == 204, first.text
        conflict = await client.put(resource, params=params, json={"v": 2}, headers=a)
        assert "If-Match" in problem_of(conflict, 409)["detail"]
        assert (await client.get(resource, params=params, headers=a)).json() == {"v": 1}
    # a state is simply written
    await client.put(STATE, params=state(), json={"v": 1}, headers=a)
    assert (await client.put(STATE, params=state(), json={"v": 2}, headers=a)).status_code == 204


async def test_errors_name_the_parameter_and_the_version_header_is_required(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    unversioned = {k: v for k, v in a.items() if k != "X-Experience-API-Version"}
    missing = problem_of(await client.get(STATE, params=state(), headers=unversioned), 400)
    assert missing["code"] == "xapi-version"
    assert missing["errors"] or missing["detail"]
    cases = [
        (state(activityId="not an iri"), "activityId"),
        (state(agent='{"name": "no identifier"}'), "agent"),
        (state(agent="{not json"), "agent"),
        (state(agent=json.dumps({**LEARNER, "openid": "https://id.example/1"})), "agent"),
        (state(registration="nope"), "registration"),
        (state(None, since="yesterday"), "since"),
        (state(since="yesterday"), "since"),
    ]
    for params, name in cases:
        refused = problem_of(await client.get(STATE, params=params, headers=a), 400)
        assert [e.get("parameter") for e in refused["errors"]] == [name], refused
    absent = problem_of(await client.get(STATE, params={"activityId": COURSE}, headers=a), 400)
    assert "agent" in {e.get("parameter") for e in absent["errors"]}
    no_id = problem_of(await client.put(STATE, params=state(None), json={}, headers=a), 400)
    assert no_id["errors"][0]["parameter"] == "stateId"
    no_profile = await client.put(
        ACTIVITY_PROFILE, params={"activityId": COURSE}, json={}, headers=a
    )
    assert problem_of(no_profile, 400)["errors"][0]["parameter"] == "profileId"
    problem_of(
        await client.get(
            AGENT_PROFILE, params={"agent": json.dumps(LEARNER), "profileId": "x"}, headers=a
        ),
        404,
    )


async def test_a_document_over_one_mebibyte_is_413(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    big = b"x" * (1024 * 1024 + 1)
    response = await client.put(
        STATE, params=state(), content=big, headers={**a, "Content-Type": "text/plain"}
    )
    problem_of(response, 413)
    problem_of(await client.get(STATE, params=state(), headers=a), 404)


async def test_an_agency_never_reads_or_changes_another_agencys_documents(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a, b, national = lrs["keys"]["a"], lrs["keys"]["b"], lrs["keys"]["national"]
    await client.put(STATE, params=state(), json={"of": "a"}, headers=a)
    profile = {"agent": json.dumps(LEARNER), "profileId": "p"}
    await client.put(AGENT_PROFILE, params=profile, json={"of": "a"}, headers={**a, **CREATE})
    for other in (b, national):
        problem_of(await client.get(STATE, params=state(), headers=other), 404)
        assert (await client.get(STATE, params=state(None), headers=other)).json() == []
        problem_of(await client.get(AGENT_PROFILE, params=profile, headers=other), 404)
    # B's writes and deletes land in B's own reach
    await client.put(STATE, params=state(), json={"of": "b"}, headers=b)
    await client.post(AGENT_PROFILE, params=profile, json={"of": "b"}, headers=b)
    await client.delete(STATE, params=state(None), headers=national)
    assert (await client.delete(AGENT_PROFILE, params=profile, headers=national)).status_code == 204
    assert (await client.get(STATE, params=state(), headers=a)).json() == {"of": "a"}
    assert (await client.get(AGENT_PROFILE, params=profile, headers=a)).json() == {"of": "a"}
    assert (await client.get(STATE, params=state(), headers=b)).json() == {"of": "b"}
    # a central administrator works in the national reach, not in A's
    admin = await client.get(STATE, params=state(), headers=lrs["admin"])
    problem_of(admin, 404)


async def test_the_agents_resource_answers_a_person_with_the_agents_identifiers(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a, b = lrs["keys"]["a"], lrs["keys"]["b"]
    assert (await client.post("/xapi/statements", json=statement(), headers=a)).status_code == 200
    found = await client.get("/xapi/agents", params={"agent": json.dumps(LEARNER)}, headers=a)
    assert found.status_code == 200, found.text
    assert found.headers["X-Experience-API-Version"] == "1.0.3"
    assert found.json() == {
        "objectType": "Person",
        "name": ["สมชาย"],
        "mbox": ["mailto:somchai@a.go.th"],
    }
    # another agency's client does not learn the names A's statements give
    other = await client.get("/xapi/agents", params={"agent": json.dumps(LEARNER)}, headers=b)
    assert other.json() == {"objectType": "Person", "mbox": ["mailto:somchai@a.go.th"]}
    account = {"account": {"homePage": "https://lms.example", "name": "u1"}, "name": "U"}
    person = await client.get("/xapi/agents", params={"agent": json.dumps(account)}, headers=a)
    assert person.json() == {"objectType": "Person", "name": ["U"], "account": [account["account"]]}
    problem_of(await client.get("/xapi/agents", params={"agent": "{}"}, headers=a), 400)


async def test_the_activities_resource_answers_the_newest_definition_or_the_id(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a, b = lrs["keys"]["a"], lrs["keys"]["b"]
    assert (await client.post("/xapi/statements", json=statement(), headers=a)).status_code == 200
    newer = statement()
    newer["object"]["definition"] = {"name": {"th": "ดิจิทัล 400 (ใหม่)"}}
    assert (await client.post("/xapi/statements", json=newer, headers=a)).status_code == 200
    found = await client.get("/xapi/activities", params={"activityId": COURSE}, headers=a)
    assert found.status_code == 200, found.text
    assert found.json() == {
        "objectType": "Activity",
        "id": COURSE,
        "definition": {"name": {"th": "ดิจิทัล 400 (ใหม่)"}},
    }
    unknown = "https://lms.example/never"
    got = await client.get("/xapi/activities", params={"activityId": unknown}, headers=a)
    assert got.json() == {"objectType": "Activity", "id": unknown}
    hidden = await client.get("/xapi/activities", params={"activityId": COURSE}, headers=b)
    assert hidden.json() == {"objectType": "Activity", "id": COURSE}
    refused = await client.get("/xapi/activities", params={"activityId": "x y"}, headers=a)
    assert problem_of(refused, 400)["errors"][0]["parameter"] == "activityId"


AGENTS = st.one_of(
    st.text(max_size=40),
    st.builds(
        json.dumps,
        st.dictionaries(
            st.sampled_from(["objectType", "mbox", "mbox_sha1sum", "openid", "account", "name"]),
            st.one_of(
                st.text(max_size=20),
                st.sampled_from(["mailto:x@y.th", "Agent", "Group", "a" * 40, "https://i.d/1"]),
                st.integers(),
                st.none(),
                st.fixed_dictionaries({"homePage": st.text(max_size=10), "name": st.text()}),
            ),
            max_size=4,
        ),
    ),
)
IRIS = st.one_of(st.text(max_size=30), st.sampled_from([COURSE, "urn:x", "a:b c", ":x"]))
REGISTRATIONS = st.one_of(st.none(), st.text(max_size=40), st.uuids().map(str))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(agent=AGENTS, activity_id=IRIS, registration=REGISTRATIONS)
async def test_no_parameter_value_gets_a_500(
    client: httpx.AsyncClient,
    lrs: dict[str, Any],
    agent: str,
    activity_id: str,
    registration: str | None,
) -> None:
    a = lrs["keys"]["a"]
    params = {"activityId": activity_id, "agent": agent, "stateId": "s"}
    if registration is not None:
        params["registration"] = registration
    for method in ("GET", "PUT", "DELETE"):
        response = await client.request(
            method, STATE, params=params, json={} if method == "PUT" else None, headers=a
        )
        assert response.status_code in (200, 204, 400, 404), response.text
        if response.status_code == 400:
            names = {e.get("parameter") for e in problem_of(response, 400).get("errors", [])}
            assert names & {"activityId", "agent", "registration"}, response.text
    profile = await client.get(AGENT_PROFILE, params={"agent": agent, "profileId": "p"}, headers=a)
    assert profile.status_code in (400, 404), profile.text


async def test_two_concurrent_creates_of_one_profile_store_exactly_one(engine: AsyncEngine) -> None:
    """Two clients both create a profile with ``If-None-Match: *`` at the same moment, in their
    own transactions: one is stored, the other is 412 (the writers of one document take a lock
    on its key before they check the precondition)."""
    factory = async_sessionmaker(engine, expire_on_commit=False)
    key = Key(Kind.ACTIVITY_PROFILE, activity_id=f"urn:test:{uuid.uuid4()}", document_id="p")
    create = Conditions(if_none_match="*")

    async def put(body: bytes) -> str:
        async with factory() as session:
            try:
                await documents.store(
                    session, OPERATOR, key, body, "application/json", create, merge=False
                )
                await asyncio.sleep(0.1)  # commit late: the other writer is checking meanwhile
                await session.commit()
            except PreconditionFailed:
                await session.rollback()
                return "412"
            return "stored"

    try:
        outcomes = await asyncio.gather(put(b'{"w": 1}'), put(b'{"w": 2}'))
        assert sorted(outcomes) == ["412", "stored"]
    finally:
        async with factory() as session:
            await session.execute(
                text("DELETE FROM xapi_document WHERE activity_id = :a"), {"a": key.activity_id}
            )
            await session.commit()


async def test_a_pdpa_erasure_deletes_the_documents_filed_under_the_persons_identifiers(
    client: httpx.AsyncClient, lrs: dict[str, Any], admin_headers: dict[str, str]
) -> None:
    a = lrs["keys"]["a"]
    assert (await client.post("/xapi/statements", json=statement(), headers=a)).status_code == 200
    assert (await client.put(STATE, params=state(), json={"page": 7}, headers=a)).status_code == 204
    profile = {"agent": json.dumps(LEARNER), "profileId": "prefs"}
    put = await client.put(
        AGENT_PROFILE, params=profile, json={"lang": "th"}, headers={**a, **CREATE}
    )
    assert put.status_code == 204, put.text
    someone_else = state(agent=json.dumps({"mbox": "mailto:other@a.go.th"}))
    assert (await client.put(STATE, params=someone_else, json={}, headers=a)).status_code == 204
    person = lrs["people"]["somchai"]
    erased = await client.post(f"/api/v1/people/{person}/erase", headers=admin_headers)
    assert erased.status_code == 200, erased.text
    problem_of(await client.get(STATE, params=state(), headers=a), 404)
    problem_of(await client.get(AGENT_PROFILE, params=profile, headers=a), 404)
    assert (await client.get(STATE, params=someone_else, headers=a)).status_code == 200
