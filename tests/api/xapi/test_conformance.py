"""Requirements of xAPI 1.0.3 that the ADL LRS conformance suite checks (its requirement ids in
the test names' docstrings), each once found unmet here."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.xapi.conftest import COURSE, statement
from tests.helpers import problem_of

STATEMENTS = "/xapi/statements"


async def test_an_interaction_type_that_is_not_a_string_is_a_400_not_a_500(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00049: ``interactionType`` is one of ten strings; an object, a number or null is
    refused like any other wrong value, in a SubStatement too."""
    a = lrs["keys"]["a"]
    for wrong in ({"test": "value"}, ["choice"], 12345, None, "should error"):
        sent = statement()
        sent["object"]["definition"]["interactionType"] = wrong
        refused = problem_of(await client.post(STATEMENTS, json=sent, headers=a), 400)
        assert [e["rule"] for e in refused["errors"]] == ["enum"], refused
        assert refused["errors"][0]["pointer"] == "/object/definition/interactionType"
        inner = statement()
        inner["object"]["definition"]["interactionType"] = wrong
        sub = {
            **statement(),
            "object": {
                "objectType": "SubStatement",
                **{k: inner[k] for k in ("actor", "verb", "object")},
            },
        }
        problem_of(await client.post(STATEMENTS, json=sub, headers=a), 400)


async def test_weeks_in_a_duration_stand_alone(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00124: ISO 8601 durations; the week form (``P4W``) takes no other component."""
    a = lrs["keys"]["a"]
    for wrong in ("P4W1D", "P1Y2W", "P2WT1H"):
        refused = await client.post(
            STATEMENTS, json=statement(result={"duration": wrong}), headers=a
        )
        assert problem_of(refused, 400)["errors"][0]["rule"] == "duration", wrong
    for right in ("P4W", "P1Y2M3DT4H5M6.5S", "PT0S"):
        sent = statement(result={"duration": right})
        assert (await client.post(STATEMENTS, json=sent, headers=a)).status_code == 200, right


async def test_an_authority_that_is_a_group_is_anonymous_with_two_agents(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00024, 00098, 00100: an authority is an Agent, or an anonymous Group of exactly two
    Agents (xAPI-Data §2.4.9); the LRS still puts its own authority on what it stores."""
    a = lrs["keys"]["a"]
    app = {"account": {"homePage": "https://lms.example", "name": "consumer"}}
    user = {"mbox": "mailto:user@example.com"}
    third = {"mbox": "mailto:third@example.com"}
    wrong = [
        {"objectType": "Group", "mbox": "mailto:group@example.com", "member": [app, user]},
        {"objectType": "Group", "member": [app]},
        {"objectType": "Group", "member": [app, user, third]},
        {"objectType": "Group", "openid": "https://id.example/group"},
    ]
    for authority in wrong:
        refused = problem_of(
            await client.post(STATEMENTS, json=statement(authority=authority), headers=a), 400
        )
        assert "authority-group" in {e["rule"] for e in refused["errors"]}, authority
    for authority in ({"objectType": "Group", "member": [app, user]}, user):
        sent = statement(authority=authority)
        assert (await client.post(STATEMENTS, json=sent, headers=a)).status_code == 200
        stored = await client.get(STATEMENTS, params={"statementId": sent["id"]}, headers=a)
        assert stored.json()["authority"]["account"]["name"].startswith("client:")


async def test_a_single_context_activity_is_returned_in_an_array(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00096: a context activity sent as an object comes back as an array of one, in the
    statement's context and a SubStatement's, in every format; a resend in the array form is
    the same statement."""
    a = lrs["keys"]["a"]
    parent = {"id": "https://learn.ocsc.go.th/programme/DLit", "definition": {"name": {"th": "ก"}}}
    context = {"contextActivities": {"parent": parent, "other": [{"id": "https://x.example/1"}]}}
    inner = statement()
    sent = {
        **statement(context=context),
        "object": {
            "objectType": "SubStatement",
            "context": context,
            **{k: inner[k] for k in ("actor", "verb", "object")},
        },
    }
    assert (await client.post(STATEMENTS, json=sent, headers=a)).status_code == 200
    for form in ("exact", "ids", "canonical"):
        got = await client.get(
            STATEMENTS, params={"statementId": sent["id"], "format": form}, headers=a
        )
        body = got.json()
        for where in (body["context"], body["object"]["context"]):
            activities = where["contextActivities"]
            assert [a["id"] for a in activities["parent"]] == [parent["id"]], form
            assert [a["id"] for a in activities["other"]] == ["https://x.example/1"], form
    resent = {**sent, "context": {"contextActivities": {"parent": [parent], "other": []}}}
    resent["context"]["contextActivities"]["other"] = context["contextActivities"]["other"]
    assert (await client.post(STATEMENTS, json=resent, headers=a)).status_code == 200


async def test_format_ids_reduces_an_activity_to_its_id(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00171: ``format=ids`` keeps the minimum that identifies each object: an Activity's
    id (in a SubStatement too), a Group's objectType and identifier."""
    a = lrs["keys"]["a"]
    inner = statement()
    group = {"objectType": "Group", "mbox": "mailto:team@a.go.th", "name": "ทีม"}
    sent = {
        **statement(),
        "object": {
            "objectType": "SubStatement",
            "actor": group,
            "verb": inner["verb"],
            "object": {"objectType": "Activity", **inner["object"]},
        },
    }
    assert (await client.post(STATEMENTS, json=sent, headers=a)).status_code == 200
    for params in ({"statementId": sent["id"]}, {"verb": sent["verb"]["id"]}):
        got = (await client.get(STATEMENTS, params={**params, "format": "ids"}, headers=a)).json()
        found = got if "id" in got else next(s for s in got["statements"] if s["id"] == sent["id"])
        assert found["object"]["object"] == {"id": inner["object"]["id"]}
        assert found["object"]["actor"] == {"objectType": "Group", "mbox": group["mbox"]}
        assert found["object"]["verb"] == {"id": inner["verb"]["id"]}


async def test_every_resource_refuses_a_parameter_it_does_not_take(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00324, 00325 (xAPI-Communication §3.2): 400 for a parameter the LRS does not
    recognise in its context, or one that differs from a known one in case only; nothing is
    written."""
    a = lrs["keys"]["a"]
    learner = json.dumps({"mbox": "mailto:somchai@a.go.th"})
    state = {"activityId": COURSE, "agent": learner, "stateId": "bookmark"}
    profile = {"activityId": COURSE, "profileId": "p"}
    agent_profile = {"agent": learner, "profileId": "p"}
    create = {**a, "If-None-Match": "*"}
    sent = statement()
    cases: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
        ("GET", STATEMENTS, {"foo": "bar"}, {}),
        ("GET", STATEMENTS, {"LIMIT": "1"}, {}),
        ("GET", STATEMENTS, {"StatementId": sent["id"]}, {}),
        ("PUT", STATEMENTS, {"statementId": sent["id"], "foo": "bar"}, {"json": sent}),
        ("POST", STATEMENTS, {"foo": "bar"}, {"json": sent}),
        ("GET", "/xapi/activities/state", {**state, "foo": "bar"}, {}),
        ("PUT", "/xapi/activities/state", {**state, "since": "2025-01-01T00:00:00Z"}, {"json": {}}),
        ("DELETE", "/xapi/activities/state", {**state, "StateId": "x"}, {}),
        ("PUT", "/xapi/activities/profile", {**profile, "registration": str(sent["id"])}, {}),
        ("GET", "/xapi/activities/profile", {**profile, "agent": learner}, {}),
        ("POST", "/xapi/agents/profile", {**agent_profile, "activityId": COURSE}, {"json": {}}),
        ("DELETE", "/xapi/agents/profile", {**agent_profile, "foo": "bar"}, {}),
        ("GET", "/xapi/agents", {"agent": learner, "foo": "bar"}, {}),
        ("GET", "/xapi/activities", {"activityId": COURSE, "ActivityId": COURSE}, {}),
        ("GET", "/xapi/about", {"foo": "bar"}, {}),
    ]
    for method, path, params, more in cases:
        headers = create if method in ("PUT", "POST") and "json" in more else a
        response = await client.request(method, path, params=params, headers=headers, **more)
        refused = problem_of(response, 400)
        assert refused["code"] == "unsupported-parameter", (method, path, refused)
    cased = problem_of(await client.get(STATEMENTS, params={"LIMIT": "1"}, headers=a), 400)
    assert "'limit'" in cased["detail"]
    assert (
        await client.get(STATEMENTS, params={"statementId": sent["id"]}, headers=a)
    ).status_code == 404
    for path, params in (
        ("/xapi/activities/state", state),
        ("/xapi/activities/profile", profile),
        ("/xapi/agents/profile", agent_profile),
    ):
        assert (await client.get(path, params=params, headers=a)).status_code == 404, path


async def test_every_answer_of_the_statement_resource_says_how_consistent_it_is(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00153 (xAPI-Communication §2.1.3): ``X-Experience-API-Consistent-Through`` on an
    answer of the Statement resource whatever its status: a 404, a 400 of the handler or of the
    parameters, a 401, a 409."""
    a = lrs["keys"]["a"]
    sent = statement()
    assert (await client.post(STATEMENTS, json=sent, headers=a)).status_code == 200
    answers = [
        await client.get(STATEMENTS, params={"statementId": statement()["id"]}, headers=a),
        await client.get(STATEMENTS, params={"statementId": sent["id"], "verb": "x:y"}, headers=a),
        await client.get(STATEMENTS, params={"LIMIT": "1"}, headers=a),
        await client.get(STATEMENTS, params={"limit": "-1"}, headers=a),
        await client.get(STATEMENTS, params={"since": "yesterday"}, headers=a),
        await client.get(STATEMENTS, headers={"X-Experience-API-Version": "1.0.3"}),
        await client.get(STATEMENTS, headers={k: v for k, v in a.items() if "Version" not in k}),
        await client.post(STATEMENTS, json={**sent, "verb": {"id": "x:other"}}, headers=a),
        await client.put(STATEMENTS, params={"statementId": "nope"}, json=sent, headers=a),
    ]
    assert [r.status_code for r in answers] == [404, 400, 400, 400, 400, 401, 400, 409, 400]
    read = await client.get(STATEMENTS, params={"statementId": sent["id"]}, headers=a)
    for answer in answers:
        through = answer.headers.get("X-Experience-API-Consistent-Through")
        assert through is not None, answer.text
        assert through.endswith("Z")
        assert through >= read.json()["stored"][:19]
    documents = await client.get("/xapi/activities/state", params={"activityId": COURSE}, headers=a)
    assert "X-Experience-API-Consistent-Through" not in documents.headers


async def test_a_put_in_the_alternate_request_syntax_is_refused_with_a_400_that_names_it(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """xAPI-Communication §1.3 (the suite's "not issued as a POST"): a PUT with ``?method=`` and
    a form is a 400 naming the syntax, as the POST is, not a 415 about its form."""
    sent = statement()
    form = {"content": json.dumps(sent), **lrs["keys"]["a"]}
    response = await client.put(STATEMENTS, params={"method": "POST"}, data=form)
    assert problem_of(response, 400)["code"] == "alternate-request-syntax"


async def test_a_statement_body_that_is_not_json_is_a_400(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """XAPI-00127 and xAPI-Communication §3.2 (whose list of statuses has no 415): statements
    in another content type, multipart/mixed with attachment data among them, are refused with
    400, saying what this LRS takes; nothing is stored."""
    a = lrs["keys"]["a"]
    sent = statement()
    boundary = "-------314159265358979323846"
    multipart = (
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(sent)}\r\n"
        f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
        f"X-Experience-API-Hash: {'0' * 64}\r\n\r\nhello\r\n--{boundary}--\r\n"
    )
    for content_type, body in (
        (f"multipart/mixed; boundary={boundary}", multipart),
        (f"multipart/form-data; boundary={boundary}", json.dumps(sent)),
        ("text/plain", json.dumps(sent)),
    ):
        headers = {**a, "Content-Type": content_type}
        for method, params in (("POST", {}), ("PUT", {"statementId": sent["id"]})):
            response = await client.request(
                method, STATEMENTS, params=params, content=body, headers=headers
            )
            refused = problem_of(response, 400)
            assert refused["code"] == "unsupported-media-type", refused
            assert "application/json" in refused["detail"]
            assert response.headers["X-Experience-API-Version"] == "1.0.3"
    found = await client.get(STATEMENTS, params={"statementId": sent["id"]}, headers=a)
    assert found.status_code == 404
