"""The xAPI Statement resource as an LRS: storage rules, reads, headers, errors, scope."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.xapi.conftest import COMPLETED, COURSE, V, statement
from tests.helpers import problem_of

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


async def _post(client: httpx.AsyncClient, body: Any, headers: dict[str, str]) -> httpx.Response:
    return await client.post("/xapi/statements", json=body, headers=headers)


async def _get(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> httpx.Response:
    return await client.get("/xapi/statements", params=params, headers=headers)


async def test_a_statement_posted_twice_is_stored_once_and_read_back_as_received(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement(result={"completion": True, "duration": "PT2H"})
    first = await _post(client, sent, a)
    assert first.status_code == 200, first.text
    assert first.json() == [sent["id"]]
    assert first.headers["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in first.headers
    again = await _post(client, sent, a)
    assert again.status_code == 200, again.text
    found = await _get(client, a, statementId=sent["id"])
    assert found.status_code == 200, found.text
    body = found.json()
    for key in ("actor", "verb", "object", "result"):
        assert body[key] == sent[key]
    assert body["version"] == "1.0.0"
    assert body["stored"]
    assert body["timestamp"]
    assert body["authority"]["account"]["name"].startswith("client:")
    assert "Last-Modified" in found.headers
    listed = (await _get(client, a, verb=COMPLETED)).json()
    assert [s["id"] for s in listed["statements"]] == [sent["id"]]
    assert listed["more"] == ""


async def test_the_same_id_with_other_content_is_409_and_changes_nothing(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    assert (await _post(client, sent, a)).status_code == 200
    other = {**sent, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    problem_of(await _post(client, other, a), 409)
    # differences the specification ignores: verb display, activity definition, member order
    same = {**sent, "verb": {"id": COMPLETED}, "object": {"id": COURSE}}
    assert (await _post(client, same, a)).status_code == 200
    put = await client.put(
        "/xapi/statements", params={"statementId": sent["id"]}, json=other, headers=a
    )
    problem_of(put, 409)
    stored = (await _get(client, a, statementId=sent["id"])).json()
    assert stored["verb"]["id"] == COMPLETED


async def test_a_batch_with_one_invalid_statement_or_a_repeated_id_writes_nothing(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    good = statement()
    bad = statement()
    bad["actor"]["mbox_sha1sum"] = "0" * 40  # two identifiers
    refused = problem_of(await _post(client, [good, bad], a), 400)
    assert any(e["pointer"] == "/1/actor" for e in refused["errors"]), refused
    twice = statement()
    problem_of(await _post(client, [good, twice, {**twice, "verb": {"id": COMPLETED}}], a), 400)
    problem_of(await _get(client, a, statementId=good["id"]), 404)
    assert (await _get(client, a)).json()["statements"] == []


async def test_put_stores_under_statement_id_and_answers_204(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    wanted = sent.pop("id")
    response = await client.put(
        "/xapi/statements", params={"statementId": wanted}, json=sent, headers=a
    )
    assert response.status_code == 204, response.text
    assert (await _get(client, a, statementId=wanted)).json()["id"] == wanted
    mismatch = {**sent, "id": str(uuid.uuid4())}
    problem_of(
        await client.put(
            "/xapi/statements", params={"statementId": wanted}, json=mismatch, headers=a
        ),
        400,
    )


async def test_voiding_hides_the_statement_but_from_voided_statement_id(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    target = statement()
    assert (await _post(client, target, a)).status_code == 200
    voiding = statement(verb=VOIDED)
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    assert (await _post(client, voiding, a)).status_code == 200
    problem_of(await _get(client, a, statementId=target["id"]), 404)
    voided = await _get(client, a, voidedStatementId=target["id"])
    assert voided.status_code == 200
    assert voided.json()["id"] == target["id"]
    listed = [s["id"] for s in (await _get(client, a)).json()["statements"]]
    assert listed == [voiding["id"]]
    # a voiding statement cannot itself be voided
    again = statement(verb=VOIDED)
    again["object"] = {"objectType": "StatementRef", "id": voiding["id"]}
    problem_of(await _post(client, again, a), 400)


async def test_a_voiding_statement_that_arrives_first_voids_its_target_when_it_comes(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    target = statement()
    voiding = statement(verb=VOIDED)
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    assert (await _post(client, voiding, a)).status_code == 200
    assert (await _post(client, target, a)).status_code == 200
    problem_of(await _get(client, a, statementId=target["id"]), 404)
    assert (await _get(client, a, voidedStatementId=target["id"])).status_code == 200


async def test_the_version_header_is_required_and_sent_back(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = {k: v for k, v in lrs["keys"]["a"].items() if k != "X-Experience-API-Version"}
    missing = problem_of(await _post(client, statement(), a), 400)
    assert missing["code"] == "xapi-version"
    other = problem_of(
        await _post(client, statement(), {**a, "X-Experience-API-Version": "0.95"}), 400
    )
    assert other["code"] == "xapi-version"
    ok = await _post(client, statement(), {**a, "X-Experience-API-Version": "1.0.1"})
    assert ok.status_code == 200
    about = await client.get("/xapi/about")
    assert about.status_code == 200
    assert "1.0.3" in about.json()["version"]
    assert about.headers["X-Experience-API-Version"] == "1.0.3"
    problem = await _get(client, a)
    assert problem.headers["X-Experience-API-Version"] == "1.0.3"


async def test_basic_authentication_with_a_client_key_and_the_api_key_header_both_work(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    assert (await _post(client, statement(), lrs["keys"]["a"])).status_code == 200
    assert (await _post(client, statement(), lrs["keys"]["a_key"])).status_code == 200
    wrong = {**lrs["keys"]["a"], "Authorization": lrs["keys"]["a"]["Authorization"][:-4] + "AAAA"}
    refused = problem_of(await _post(client, statement(), wrong), 401)
    assert refused["code"] == "unauthenticated"
    assert (await _post(client, statement(), V)).headers["WWW-Authenticate"].startswith("Basic")


async def test_scopes_decide_who_writes_and_reads(
    client: httpx.AsyncClient, lrs: dict[str, Any], auth: Any
) -> None:
    employee = {**auth("sub-somchai", "employee", agency="XA-SUB"), **V}
    problem_of(await _post(client, statement(), employee), 403)
    sent = statement()
    assert (await _post(client, sent, lrs["keys"]["a"])).status_code == 200
    # the person reads their own statements; an employee of nowhere reads none
    mine = (await _get(client, employee)).json()["statements"]
    assert [s["id"] for s in mine] == [sent["id"]]
    stranger = {**auth("nobody", "employee", agency="XA"), **V}
    assert (await _get(client, stranger)).json()["statements"] == []


async def test_a_client_of_agency_a_neither_posts_about_nor_reads_a_person_of_agency_b(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a, b = lrs["keys"]["a"], lrs["keys"]["b"]
    about_b = statement(email="manee@b.go.th")
    assert (await _post(client, about_b, a)).status_code == 200
    # B's provider does not see it: it never reached B's person
    agent = '{"mbox": "mailto:manee@b.go.th"}'
    assert (await _get(client, b, agent=agent)).json()["statements"] == []
    b_own = statement(email="manee@b.go.th")
    assert (await _post(client, b_own, b)).status_code == 200
    # A's provider reads neither B's statement nor by B's person
    problem_of(await _get(client, a, statementId=b_own["id"]), 404)
    assert [s["id"] for s in (await _get(client, a, agent=agent)).json()["statements"]] == [
        about_b["id"]
    ]
    assert [s["id"] for s in (await _get(client, b, agent=agent)).json()["statements"]] == [
        b_own["id"]
    ]
    # the national provider reaches both
    both = (await _get(client, lrs["keys"]["national"], agent=agent)).json()["statements"]
    assert {s["id"] for s in both} == {about_b["id"], b_own["id"]}


async def test_more_links_page_without_skipping_or_repeating_while_statements_arrive(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    first = [statement() for _ in range(7)]
    assert (await _post(client, first, a)).status_code == 200
    for ascending in (False, True):
        seen: list[str] = []
        page = (await _get(client, a, limit=3, ascending=str(ascending).lower())).json()
        arrived: list[str] = []
        while True:
            seen.extend(s["id"] for s in page["statements"])
            late = statement()
            assert (await _post(client, late, a)).status_code == 200
            arrived.append(late["id"])
            if not page["more"]:
                break
            page = (await client.get(page["more"], headers=a)).json()
        assert len(seen) == len(set(seen))
        assert {s["id"] for s in first} <= set(seen)
        if ascending:
            assert set(arrived[:-1]) <= set(seen)  # stored later: found later in the same walk


async def test_query_filters_and_formats(client: httpx.AsyncClient, lrs: dict[str, Any]) -> None:
    a = lrs["keys"]["a"]
    registration = str(uuid.uuid4())
    parent = "https://learn.ocsc.go.th/program/digital"
    one = statement(
        context={"registration": registration, "contextActivities": {"parent": [{"id": parent}]}}
    )
    two = statement(verb="http://adlnet.gov/expapi/verbs/attempted", activity=COURSE + "/2")
    assert (await _post(client, [one, two], a)).status_code == 200
    ids = lambda r: [s["id"] for s in r.json()["statements"]]  # noqa: E731
    assert ids(await _get(client, a, registration=registration)) == [one["id"]]
    assert ids(await _get(client, a, activity=COURSE)) == [one["id"]]
    assert ids(await _get(client, a, activity=parent)) == []
    assert ids(await _get(client, a, activity=parent, related_activities="true")) == [one["id"]]
    assert ids(await _get(client, a, verb=COMPLETED)) == [one["id"]]
    assert ids(await _get(client, a, ascending="true")) == [one["id"], two["id"]] or ids(
        await _get(client, a, ascending="true")
    ) == sorted([one["id"], two["id"]])
    stored = (await _get(client, a, statementId=one["id"])).json()["stored"]
    assert ids(await _get(client, a, since=stored)) == []
    assert set(ids(await _get(client, a, until=stored))) == {one["id"], two["id"]}
    compact = (await _get(client, a, statementId=one["id"], format="ids")).json()
    assert compact["verb"] == {"id": COMPLETED}
    assert compact["object"] == {"id": COURSE}
    assert "name" not in compact["actor"]
    multipart = await _get(client, a, statementId=one["id"], attachments="true")
    assert multipart.headers["content-type"].startswith("multipart/mixed")


async def test_bad_parameters_are_400(client: httpx.AsyncClient, lrs: dict[str, Any]) -> None:
    a = lrs["keys"]["a"]
    sid = str(uuid.uuid4())
    problem_of(await _get(client, a, statementId=sid, voidedStatementId=sid), 400)
    problem_of(await _get(client, a, statementId=sid, verb=COMPLETED), 400)
    problem_of(await _get(client, a, statementId="not-a-uuid"), 400)
    problem_of(await _get(client, a, agent="{}"), 400)
    problem_of(await _get(client, a, since="yesterday"), 400)
    problem_of(await _get(client, a, limit=-1), 400)
    problem_of(await _get(client, a, colour="red"), 400)
    problem_of(await _get(client, a, cursor="garbage"), 400)


async def test_an_unknown_actor_is_kept_and_linked_when_the_hris_sync_brings_the_person(
    client: httpx.AsyncClient, lrs: dict[str, Any], auth: Any
) -> None:
    a = lrs["keys"]["a"]
    early = statement(email="Newcomer@A.GO.TH")
    assert (await _post(client, early, a)).status_code == 200
    newcomer = {**auth("sub-newcomer", "employee", agency="XA"), **V}
    assert (await _get(client, newcomer)).json()["statements"] == []
    synced = await client.post(
        "/api/v1/people/bulk",
        json=[
            {
                "external_id": "A-NEW",
                "first_name_th": "ใหม่",
                "last_name_th": "มาก",
                "agency": "XA",
                "email": "newcomer@a.go.th",
                "subject": "sub-newcomer",
            }
        ],
        headers={"X-API-Key": lrs["keys"]["a_key"]["X-API-Key"]},
    )
    assert synced.json()["results"][0]["outcome"] == "created", synced.text
    mine = (await _get(client, newcomer)).json()["statements"]
    assert [s["id"] for s in mine] == [early["id"]]


async def test_a_pdpa_erasure_removes_the_persons_identifying_data_from_their_statements(
    client: httpx.AsyncClient, lrs: dict[str, Any], admin_headers: dict[str, str]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    assert (await _post(client, sent, a)).status_code == 200
    person = lrs["people"]["somchai"]
    erased = await client.post(f"/api/v1/people/{person}/erase", headers=admin_headers)
    assert erased.status_code == 200, erased.text
    body = (await _get(client, lrs["admin"], statementId=sent["id"])).json()
    assert "somchai" not in str(body)
    assert "สมชาย" not in str(body)
    assert body["actor"]["account"]["name"] == person
    agent = '{"mbox": "mailto:somchai@a.go.th"}'
    assert (await _get(client, lrs["admin"], agent=agent)).json()["statements"] == []


async def test_an_account_actor_is_matched_on_a_registered_home_page(
    client: httpx.AsyncClient, lrs: dict[str, Any], session: Any, auth: Any
) -> None:
    from app.services.learning import statements as service
    from tests.workforce import OPERATOR

    a = lrs["keys"]["a"]
    lms = "https://lms.a.go.th"
    early = statement()
    early["actor"] = {"account": {"homePage": lms, "name": "A-001"}}
    assert (await _post(client, early, a)).status_code == 200
    somchai = {**auth("sub-somchai", "employee", agency="XA-SUB"), **V}
    assert (await _get(client, somchai)).json()["statements"] == []
    report = await service.register_home_page(session, OPERATOR, lms, "XA")
    assert report["linked"] == 1
    later = statement()
    later["actor"] = {"account": {"homePage": lms, "name": "sub-somchai"}}
    assert (await _post(client, later, a)).status_code == 200
    unknown = statement()
    unknown["actor"] = {"account": {"homePage": "https://elsewhere.example", "name": "A-001"}}
    assert (await _post(client, unknown, a)).status_code == 200
    mine = {s["id"] for s in (await _get(client, somchai)).json()["statements"]}
    assert mine == {early["id"], later["id"]}


async def test_a_batch_inserted_in_parts_is_stored_whole_or_not_at_all(
    client: httpx.AsyncClient, lrs: dict[str, Any], session: Any, monkeypatch: Any
) -> None:
    """A batch is inserted a part at a time (each part's insert running while the next is
    built): every statement of a batch of several parts is stored, and when another writer
    stores one of the last part's ids with other content in between (the id looked free when
    checked), the 409 leaves nothing of the batch, the parts already inserted included."""
    from sqlalchemy import text

    from app.services.learning import statements as service

    a = lrs["keys"]["a"]
    monkeypatch.setattr(service, "INSERT_PART", 3)
    batch = [statement(email=f"p{i}@a.go.th") for i in range(8)]
    response = await _post(client, batch, a)
    assert response.status_code == 200, response.text
    assert response.json() == [s["id"] for s in batch]
    for s in batch:
        assert (await _get(client, a, statementId=s["id"])).json()["id"] == s["id"]

    second = [statement(email=f"q{i}@a.go.th") for i in range(8)]
    other = statement(email="someone-else@a.go.th")
    other["id"] = second[-1]["id"]
    assert (await _post(client, other, a)).status_code == 200
    real_known = service.repo.known
    calls = 0

    async def known_missing_the_clash(s: Any, ids: Any) -> Any:
        nonlocal calls
        calls += 1
        found = await real_known(s, ids)
        if calls == 1:  # as if the other writer stored it after this batch looked
            assert found.pop(other["id"].lower(), None) is not None
        return found

    monkeypatch.setattr(service.repo, "known", known_missing_the_clash)
    clash = await _post(client, second, a)
    assert clash.status_code == 409, clash.text
    ids = [s["id"] for s in second[:-1]]
    stored = await session.scalar(
        text("SELECT count(*) FROM xapi_statement WHERE id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": ids},
    )
    assert stored == 0


async def test_a_refusal_found_in_a_later_part_leaves_nothing_and_names_everything(
    client: httpx.AsyncClient, lrs: dict[str, Any], session: Any, monkeypatch: Any
) -> None:
    """A batch is checked and inserted a part at a time, yet answered as a check of the whole
    batch would answer it: every invalid statement is named (in whichever part), an invalid one
    wins over a duplicate id, a duplicate id over a clash with a stored statement (409), and the
    parts inserted before the refusal was found leave nothing behind."""
    from sqlalchemy import text

    from app.services.learning import statements as service

    a = lrs["keys"]["a"]
    monkeypatch.setattr(service, "INSERT_PART", 3)
    stored = statement(email="stored@a.go.th")
    assert (await _post(client, stored, a)).status_code == 200
    clash = {**stored, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}

    async def left(batch: list[dict[str, Any]]) -> int:
        ids = [s["id"] for s in batch if s.get("id") and s["id"] != stored["id"]]
        return int(
            await session.scalar(
                text("SELECT count(*) FROM xapi_statement WHERE id = ANY(CAST(:ids AS uuid[]))"),
                {"ids": ids},
            )
        )

    # invalid statements in the second and the last part, a clash in the third: 400, both named
    batch = [statement(email=f"r{i}@a.go.th") for i in range(11)]
    batch[4]["verb"] = {"id": "not an iri"}
    batch[7] = clash
    batch[10]["result"] = {"score": {"scaled": 2}}
    refused = problem_of(await _post(client, batch, a), 400)
    pointers = {e["pointer"] for e in refused["errors"]}
    assert pointers == {"/4/verb/id", "/10/result/score/scaled"}, refused
    assert await left(batch) == 0

    # a duplicate id in the last part, a clash before it: 400 for the duplicate
    batch = [statement(email=f"d{i}@a.go.th") for i in range(8)]
    batch[5] = clash
    batch[7]["id"] = batch[1]["id"]
    refused = problem_of(await _post(client, batch, a), 400)
    assert [(e["pointer"], e["rule"]) for e in refused["errors"]] == [("/7/id", "duplicate-id")]
    assert await left(batch) == 0

    # only the clash, in the last part: 409, and the first parts' inserts are rolled back
    batch = [statement(email=f"c{i}@a.go.th") for i in range(7)]
    batch[6] = clash
    problem_of(await _post(client, batch, a), 409)
    assert await left(batch) == 0
