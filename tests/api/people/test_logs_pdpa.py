"""PDPA: the service's log lines say who called and what route answered, never anything about
the person concerned (name, e-mail, national id), whatever the request carried."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx
import pytest

from app.observability import json_formatter
from tests.api.people.conftest import NATIONAL_ID, person

FIRST, LAST, EMAIL = "พิมพ์ชนก", "วงศ์สวัสดิ์สกุล", "pimchanok.w@rd.go.th"
PERSONAL = (FIRST, LAST, EMAIL, NATIONAL_ID, "1-1017-00203-45-0")


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = json_formatter()
    return [formatter.format(record) for record in caplog.records]


async def test_no_log_record_carries_the_name_email_or_national_id_of_the_person(
    client: httpx.AsyncClient,
    tree: dict[str, Any],
    api_key: Any,
    auth: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    hris = await api_key("RD", "people:write", "people:read")
    record = person(
        "E77",
        first_name_th=FIRST,
        last_name_th=LAST,
        email=EMAIL,
        national_id="1-1017-00203-45-0",
        subject=EMAIL,
    )
    synced = await client.post(
        "/api/v1/people/bulk?source=RD",
        json=[record],
        headers={**hris, "Idempotency-Key": "pdpa-run-1"},
    )
    assert synced.status_code == 200, synced.text
    person_id = synced.json()["results"][0]["id"]
    read = await client.get(f"/api/v1/people/{person_id}", headers=hris)
    assert read.status_code == 200
    assert read.json()["email"] == EMAIL
    matched = await client.post(
        "/api/v1/people/match", json={"national_id": NATIONAL_ID}, headers=hris
    )
    assert [p["id"] for p in matched.json()["items"]] == [person_id]
    # The person reads themself over GraphQL; a refused write names them too.
    mine = await client.post(
        "/graphql",
        json={"query": "query Mine { myPerson { firstNameTh email } }"},
        headers=auth(EMAIL, "employee", agency="RD"),
    )
    assert mine.json()["data"]["myPerson"]["email"] == EMAIL, mine.text
    refused = await client.post(
        "/api/v1/people/bulk?source=RD",
        json=[{**record, "agency": "NOPE"}],
        headers=hris,
    )
    assert refused.json()["counts"]["rejected"] == 1

    lines = _lines(caplog)
    assert lines, "nothing was logged"
    for line in lines:
        for value in PERSONAL:
            assert value not in line, f"{value!r} logged: {line}"
    # and one access line per request, naming the route template, never the path as sent
    access = [json.loads(x) for x in lines if json.loads(x)["logger"] == "thaksa.access"]
    assert [a["route"] for a in access] == [
        "/api/v1/people/bulk",
        "/api/v1/people/{person_id}",
        "/api/v1/people/match",
        "/graphql",
        "/api/v1/people/bulk",
    ]
    assert [a["status"] for a in access] == [200, 200, 200, 200, 200]
    assert [a["caller_kind"] for a in access] == ["client", "client", "client", "user", "client"]
    assert {a["agency"] for a in access} == {"RD"}
    assert access[3]["graphql_operation"] == "Mine"
    assert access[0]["request_id"] == synced.headers["x-request-id"]
    assert all(isinstance(a["duration_ms"], float) for a in access)


async def test_a_request_id_given_by_the_caller_is_kept_in_the_answer_and_the_log(
    client: httpx.AsyncClient, auth: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    given = str(uuid.uuid4())
    response = await client.get("/api/v1/me", headers={**auth("someone"), "X-Request-ID": given})
    assert response.headers["x-request-id"] == given
    (line,) = [json.loads(x) for x in _lines(caplog) if json.loads(x)["logger"] == "thaksa.access"]
    assert line["request_id"] == given
    assert line["route"] == "/api/v1/me"
    assert line["caller_kind"] == "user"
    assert line["agency"] is None
