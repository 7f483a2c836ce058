"""The corners of the xAPI Statement resource: HEAD, the StatementRef filter conditions,
``format=canonical`` by ``Accept-Language``."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.xapi.conftest import COMPLETED, statement

SAME = ("X-Experience-API-Version", "Content-Type", "Content-Length", "Last-Modified")


async def test_head_answers_the_headers_of_get_without_a_body(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    assert (await client.post("/xapi/statements", json=sent, headers=a)).status_code == 200
    for params in ({"statementId": sent["id"]}, {"verb": COMPLETED}):
        got = await client.get("/xapi/statements", params=params, headers=a)
        head = await client.head("/xapi/statements", params=params, headers=a)
        assert got.status_code == head.status_code == 200, head.text
        assert got.content
        assert head.content == b""
        for name in SAME:
            assert head.headers[name] == got.headers[name], name
        assert "X-Experience-API-Consistent-Through" in head.headers
    got, head = await client.get("/xapi/about"), await client.head("/xapi/about")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.headers["X-Experience-API-Version"] == "1.0.3"
    # errors too: the status and headers, no body
    missing = await client.head(
        "/xapi/statements", params={"statementId": statement()["id"]}, headers=a
    )
    assert missing.status_code == 404
    assert missing.content == b""
    unversioned = await client.head("/xapi/statements", params={"verb": COMPLETED}, headers={})
    assert unversioned.status_code in (400, 401)
    assert unversioned.content == b""


def _ref(target: str, verb: str = "http://adlnet.gov/expapi/verbs/confirmed") -> dict[str, Any]:
    """A statement by someone else, with another verb, whose object is ``target``."""
    sent = statement(email="reviewer@elsewhere.example", verb=verb)
    return {**sent, "object": {"objectType": "StatementRef", "id": target}}


async def test_a_query_returns_the_statements_that_target_a_matching_statement(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """xAPI-Communication §2.1.3 "Filter Conditions for StatementRefs": recursively, and the
    statement voiding a matching one too (the voided one itself stays out)."""
    a = lrs["keys"]["a"]
    ben = statement(email="ben@a.go.th", activity="https://learn.ocsc.go.th/course/Explosives")
    confirmed = _ref(ben["id"])
    endorsed = _ref(confirmed["id"], verb="http://adlnet.gov/expapi/verbs/endorsed")
    other = statement(email="other@a.go.th", activity="https://learn.ocsc.go.th/course/Other")
    about_other = _ref(other["id"])
    for sent in (ben, confirmed, endorsed, other, about_other):
        assert (await client.post("/xapi/statements", json=sent, headers=a)).status_code == 200

    async def ids(**params: Any) -> set[str]:
        response = await client.get("/xapi/statements", params=params, headers=a)
        assert response.status_code == 200, response.text
        return {s["id"] for s in response.json()["statements"]}

    chain = {ben["id"], confirmed["id"], endorsed["id"]}
    assert await ids(agent='{"mbox": "mailto:ben@a.go.th"}') == chain
    assert await ids(activity="https://learn.ocsc.go.th/course/Explosives") == chain
    assert await ids(verb=COMPLETED) >= chain | {other["id"], about_other["id"]}
    # time applies to the targeting statement itself
    stored = (
        await client.get("/xapi/statements", params={"statementId": endorsed["id"]}, headers=a)
    ).json()["stored"]
    assert await ids(agent='{"mbox": "mailto:ben@a.go.th"}', since=stored) == set()
    assert await ids(agent='{"mbox": "mailto:ben@a.go.th"}', until=stored) == chain
    # a voided target still makes its voiding statement (and other targeting ones) match
    voiding = {
        **statement(verb="http://adlnet.gov/expapi/verbs/voided"),
        "object": {"objectType": "StatementRef", "id": other["id"]},
    }
    assert (await client.post("/xapi/statements", json=voiding, headers=a)).status_code == 200
    assert await ids(agent='{"mbox": "mailto:other@a.go.th"}') == {
        about_other["id"],
        voiding["id"],
    }
    # a statement by key B targeting A's statement does not reveal it to B's filters
    b = lrs["keys"]["b"]
    from_b = _ref(ben["id"])
    assert (await client.post("/xapi/statements", json=from_b, headers=b)).status_code == 200
    response = await client.get(
        "/xapi/statements", params={"agent": '{"mbox": "mailto:ben@a.go.th"}'}, headers=b
    )
    assert response.json()["statements"] == []


async def test_canonical_keeps_one_language_per_map_chosen_by_accept_language(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    sent["object"]["definition"] = {
        "name": {"en-US": "Digital 400", "th": "ดิจิทัล 400"},
        "description": {"en-GB": "A course", "th-TH": "หลักสูตร"},
        "interactionType": "choice",
        "correctResponsesPattern": ["a"],
        "choices": [{"id": "a", "description": {"en-US": "yes", "th": "ใช่"}}],
    }
    sent["context"] = {
        "contextActivities": {
            "parent": [
                {
                    "id": "https://learn.ocsc.go.th/p",
                    "definition": {"name": {"en-US": "Programme", "th": "หลักสูตรใหญ่"}},
                }
            ]
        }
    }
    assert (await client.post("/xapi/statements", json=sent, headers=a)).status_code == 200

    async def served(language: str | None, **params: Any) -> dict[str, Any]:
        headers = {**a, **({"Accept-Language": language} if language else {})}
        response = await client.get(
            "/xapi/statements", params={"statementId": sent["id"], **params}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    thai = await served("th;q=0.9, en;q=0.5", format="canonical")
    definition = thai["object"]["definition"]
    assert thai["verb"]["display"] == {"th": "สำเร็จ"}
    assert definition["name"] == {"th": "ดิจิทัล 400"}
    assert definition["description"] == {"th-TH": "หลักสูตร"}  # "th" matches "th-TH"
    assert definition["choices"][0]["description"] == {"th": "ใช่"}
    parent = thai["context"]["contextActivities"]["parent"][0]["definition"]
    assert parent["name"] == {"th": "หลักสูตรใหญ่"}
    english = await served("en", format="canonical")
    assert english["object"]["definition"]["name"] == {"en-US": "Digital 400"}
    assert english["object"]["definition"]["description"] == {"en-GB": "A course"}
    # without a language that fits, each map still keeps exactly one entry
    none = await served("fr", format="canonical")
    assert len(none["object"]["definition"]["name"]) == 1
    assert none["actor"] == sent["actor"]
    # exact is as received whatever the language
    exact = await served("th")
    assert exact["object"]["definition"]["name"] == sent["object"]["definition"]["name"]
    listed = await client.get(
        "/xapi/statements",
        params={"verb": COMPLETED, "format": "canonical"},
        headers={**a, "Accept-Language": "th"},
    )
    assert listed.json()["statements"][0]["verb"]["display"] == {"th": "สำเร็จ"}


async def test_the_alternate_request_syntax_is_refused_with_a_400_that_names_it(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """A client of xAPI-Communication §1.3 sends its headers and body as a form: it learns why it
    is refused (not a 415 about the content type), and nothing is stored."""
    sent = statement()
    form = {
        "X-Experience-API-Version": "1.0.3",
        "Authorization": lrs["keys"]["a"]["Authorization"],
        "Content-Type": "application/json",
        "content": json.dumps(sent),
        "statementId": sent["id"],
    }
    for method in ("PUT", "GET"):
        response = await client.post("/xapi/statements", params={"method": method}, data=form)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "alternate-request-syntax"
        assert "alternate request syntax" in response.json()["detail"]
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
    found = await client.get(
        "/xapi/statements", params={"statementId": sent["id"]}, headers=lrs["keys"]["a"]
    )
    assert found.status_code == 404


async def test_a_batch_with_a_statement_nested_too_deep_is_refused_whole(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    """A batch is read once (and each statement's nesting bounded in C); a statement nested
    beyond the reader's limit is still the reader's 400, and nothing of the batch is stored."""
    a = lrs["keys"]["a"]
    deep: Any = 1
    for _ in range(70):
        deep = {"k": deep}
    shallow, nested = statement(), statement()
    nested["result"] = {"extensions": {"https://x.example/deep": deep}}
    r = await client.post(
        "/xapi/statements",
        content=json.dumps([shallow, nested]),
        headers={**a, "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "json-too-deep"
    assert r.headers["X-Experience-API-Version"] == "1.0.3"
    got = await client.get("/xapi/statements", params={"statementId": shallow["id"]}, headers=a)
    assert got.status_code == 404
