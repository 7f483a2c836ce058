"""Bulk upsert of people: outcomes per record, every kind of bad input, nothing half-written."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person
from app.db.repositories.people import people as people_repo
from tests.api.people.conftest import NATIONAL_ID, outcomes, person, sync
from tests.helpers import problem_of

pytestmark = pytest.mark.usefixtures("tree")


@pytest.fixture
async def hris(api_key: Any) -> dict[str, str]:
    headers: dict[str, str] = await api_key("RD", "people:write")
    return headers


async def count_people(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


async def test_new_people_are_created_then_unchanged_then_updated(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    records = [person("E1"), person("E2", supervisor="E1")]
    first = await sync(client, records, hris)
    assert outcomes(first) == ["created", "created"]
    assert first["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    again = await sync(client, records, hris)
    assert outcomes(again) == ["unchanged", "unchanged"]
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    changed = await sync(client, [records[0], {**records[1], "position_level": "ชำนาญการ"}], hris)
    assert outcomes(changed) == ["unchanged", "updated"]


async def test_text_is_normalised_so_equivalent_spellings_are_unchanged(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    await sync(client, [person("E1", first_name_en="José", first_name_th="สมชาย")], hris)
    decomposed = person("E1", first_name_en="  Jose\u0301 ", first_name_th=" สมชาย")
    again = await sync(client, [decomposed], hris)
    assert outcomes(again) == ["unchanged"]


@pytest.mark.parametrize(
    ("record", "pointer", "rule"),
    [
        ({"first_name_th": "ก", "last_name_th": "ข", "agency": "RD"}, "/0/external_id", "required"),
        (person("E1", first_name_th=""), "/0/first_name_th", "required"),
        (person("E1", first_name_th=42.5), "/0/first_name_th", "type"),
        (person("has space"), "/0/external_id", "format"),
        (person("x" * 65), "/0/external_id", "max-length"),
        (person("E1", email="not-an-email"), "/0/email", "format"),
        (person("E1", position_type="king"), "/0/position_type", "enum"),
        (person("E1", active="yes"), "/0/active", "type"),
        (person("E1", start_date="01/10/2567"), "/0/start_date", "date"),
        (person("E1", start_date="2568-02-30"), "/0/start_date", "date"),
        (person("E1", start_date="2024-10-01", end_date="2024-09-30"), "/0/end_date", "date-order"),
        (person("E1", national_id="12345"), "/0/national_id", "format"),
        (person("E1", national_id=NATIONAL_ID[:-1] + "9"), "/0/national_id", "checksum"),
        (person("E1", shoe_size=42), "/0/shoe_size", "unknown-field"),
        (person("E1", agency="NOPE"), "/0/agency", "agency-unknown"),
        (person("E1", supervisor="E1"), "/0/supervisor", "supervisor-cycle"),
        ("just a string", "/0", "type"),
    ],
)
async def test_a_malformed_record_is_rejected_with_its_pointer_and_rule(
    client: httpx.AsyncClient,
    hris: dict[str, str],
    session: AsyncSession,
    record: Any,
    pointer: str,
    rule: str,
) -> None:
    body = await sync(client, [record, person("OK")], hris)
    assert outcomes(body) == ["rejected", "created"]
    errors = body["results"][0]["errors"]
    assert {"pointer": pointer, "rule": rule} in [
        {"pointer": e["pointer"], "rule": e["rule"]} for e in errors
    ]
    assert await count_people(session) == 1


async def test_every_problem_of_a_record_is_reported_at_once(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    body = await sync(client, [{"external_id": "E1", "email": "x", "agency": []}], hris)
    pointers = {e["pointer"] for e in body["results"][0]["errors"]}
    assert {"/0/first_name_th", "/0/last_name_th", "/0/email", "/0/agency"} <= pointers


async def test_supervisors_may_come_later_in_the_batch_or_be_stored(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    first = await sync(client, [person("E2", supervisor="E1"), person("E1")], hris)
    assert outcomes(first) == ["created", "created"]
    second = await sync(client, [person("E3", supervisor="E2")], hris)
    assert outcomes(second) == ["created"]
    rows = await session.execute(
        text(
            "SELECT p.external_id, s.external_id FROM person p"
            " LEFT JOIN person s ON s.id = p.supervisor_id"
        )
    )
    chain = {row[0]: row[1] for row in rows}
    assert chain == {"E1": None, "E2": "E1", "E3": "E2"}


async def test_an_unknown_supervisor_rejects_that_record_and_its_reports_only(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    body = await sync(
        client,
        [person("E1"), person("E2", supervisor="GHOST"), person("E3", supervisor="E2")],
        hris,
    )
    assert outcomes(body) == ["created", "rejected", "rejected"]
    assert body["results"][1]["errors"][0]["rule"] == "supervisor-unknown"
    assert body["results"][1]["errors"][0]["pointer"] == "/1/supervisor"
    # E2 is in the batch: E3 is refused because E2 is, and the answer says so
    assert body["results"][2]["errors"][0]["rule"] == "supervisor-rejected"


async def test_a_supervisor_of_another_agencys_hris_is_unknown(
    client: httpx.AsyncClient, hris: dict[str, str], api_key: Any
) -> None:
    cgd = await api_key("CGD", "people:write")
    await sync(client, [person("B1", agency="CGD")], cgd)
    body = await sync(client, [person("E1", supervisor="B1")], hris)
    assert body["results"][0]["errors"][0]["rule"] == "supervisor-unknown"


async def test_supervisor_cycles_in_a_batch_are_rejected(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    body = await sync(
        client,
        [
            person("A", supervisor="B"),
            person("B", supervisor="C"),
            person("C", supervisor="A"),
            person("D", supervisor="A"),
            person("TOP"),
        ],
        hris,
    )
    assert outcomes(body) == ["rejected", "rejected", "rejected", "rejected", "created"]
    assert {body["results"][i]["errors"][0]["rule"] for i in range(3)} == {"supervisor-cycle"}
    assert body["results"][3]["errors"][0]["rule"] == "supervisor-rejected"


async def test_a_cycle_through_stored_people_is_rejected(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    await sync(
        client, [person("A"), person("B", supervisor="A"), person("C", supervisor="B")], hris
    )
    body = await sync(client, [person("A", supervisor="C")], hris)
    assert outcomes(body) == ["rejected"]
    assert body["results"][0]["errors"][0]["rule"] == "supervisor-cycle"
    # reversing the chain in one batch is fine: the new lines have no loop
    body = await sync(
        client,
        [person("A", supervisor="B"), person("B", supervisor="C"), person("C")],
        hris,
    )
    assert outcomes(body) == ["updated", "updated", "updated"]


async def test_a_duplicate_external_id_in_a_batch_rejects_every_copy(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    body = await sync(client, [person("E1"), person("E2"), person("E1", email="a@b.go.th")], hris)
    assert outcomes(body) == ["rejected", "created", "rejected"]
    error = body["results"][0]["errors"][0]
    assert (error["pointer"], error["rule"], error["also_at"]) == (
        "/0/external_id",
        "duplicate-in-batch",
        ["/2"],
    )
    assert await count_people(session) == 1


async def test_a_subject_given_to_two_records_of_a_batch_rejects_both(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    await sync(client, [person("E9", subject="taken")], hris)
    body = await sync(
        client,
        [
            person("E1", subject="somchai"),
            person("E2"),
            person("E3", subject="somchai"),
            person("E4", subject="somsri"),
            person("E5", subject="taken"),
        ],
        hris,
    )
    assert outcomes(body) == ["rejected", "created", "rejected", "created", "rejected"]
    errors = [(e["pointer"], e["rule"]) for r in body["results"] for e in r.get("errors", [])]
    assert errors == [
        ("/0/subject", "duplicate-in-batch"),
        ("/2/subject", "duplicate-in-batch"),
        ("/4/subject", "subject-taken"),
    ]
    assert await count_people(session) == 3


async def test_a_subject_links_one_person_only(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    await sync(client, [person("E1", subject="somchai")], hris)
    body = await sync(
        client, [person("E2", subject="somchai"), person("E1", subject="somchai")], hris
    )
    assert outcomes(body) == ["rejected", "unchanged"]
    assert body["results"][0]["errors"][0]["rule"] == "subject-taken"


async def test_an_oversized_batch_is_refused_with_413(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    records = [person(f"E{i}") for i in range(5001)]
    response = await client.post("/api/v1/people/bulk", json=records, headers=hris)
    assert problem_of(response, 413)["max_records"] == 5000
    ndjson = "\n".join(json.dumps(r) for r in records)
    response = await client.post(
        "/api/v1/people/bulk",
        content=ndjson,
        headers={**hris, "Content-Type": "application/x-ndjson"},
    )
    problem_of(response, 413)
    assert await count_people(session) == 0


@pytest.mark.parametrize(
    "content_type", ["text/csv", "application/xml", "application/merge-patch+json"]
)
async def test_a_wrong_content_type_is_refused_with_415(
    client: httpx.AsyncClient, hris: dict[str, str], content_type: str
) -> None:
    response = await client.post(
        "/api/v1/people/bulk",
        content=json.dumps([person("E1")]),
        headers={**hris, "Content-Type": content_type},
    )
    problem_of(response, 415)


async def test_malformed_json_is_400_and_a_non_array_is_422(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/people/bulk",
        content=b'[{"external_id": ',
        headers={**hris, "Content-Type": "application/json"},
    )
    assert problem_of(response, 400)["code"] == "malformed-json"
    response = await client.post("/api/v1/people/bulk", json={"external_id": "E1"}, headers=hris)
    assert problem_of(response, 422)["errors"][0]["rule"] == "type"


async def test_ndjson_is_accepted_and_a_malformed_line_rejects_that_record_only(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    lines = [
        json.dumps(person("E1"), ensure_ascii=False),
        "{not json",
        "",
        json.dumps(person("E2")),
    ]
    response = await client.post(
        "/api/v1/people/bulk",
        content="\n".join(lines).encode(),
        headers={**hris, "Content-Type": "application/x-ndjson"},
    )
    body = response.json()
    assert outcomes(body) == ["created", "rejected", "created"]
    error = body["results"][1]["errors"][0]
    assert (error["pointer"], error["rule"], error["line"]) == ("/1", "malformed-json", 2)


async def test_a_dry_run_reports_without_writing(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    body = await sync(client, [person("E1"), person("E2", supervisor="E9")], hris, dry_run="true")
    assert body["dry_run"] is True
    assert outcomes(body) == ["created", "rejected"]
    assert await count_people(session) == 0
    audit = await session.scalar(
        text("SELECT count(*) FROM audit_event WHERE entity = 'person_sync'")
    )
    assert audit == 0


async def test_a_national_id_is_kept_only_as_a_keyed_hash(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    await sync(client, [person("E1", national_id="1-1017-00203-45-0")], hris)
    row = (await session.execute(text("SELECT * FROM person"))).mappings().one()
    stored = " ".join(str(v) for v in row.values())
    assert NATIONAL_ID not in stored
    assert NATIONAL_ID not in stored.replace("-", "")
    assert row["national_id_hash"].startswith("v1:")
    again = await sync(client, [person("E1", national_id=NATIONAL_ID)], hris)
    assert outcomes(again) == ["unchanged"]  # the same number, written another way


async def test_valid_records_are_committed_and_audited_once_per_request(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    body = await sync(client, [person("E1"), person("BAD", agency="NOPE")], hris)
    events = (
        await session.execute(
            text("SELECT actor_kind, details FROM audit_event WHERE entity = 'person_sync'")
        )
    ).all()
    assert len(events) == 1
    kind, details = events[0]
    assert kind == "client"
    assert details["created"] == [body["results"][0]["id"]]
    assert details["updated"] == []


async def test_without_the_write_scope_a_client_is_refused(
    client: httpx.AsyncClient, api_key: Any
) -> None:
    reader = await api_key("RD", "people:read")
    response = await client.post("/api/v1/people/bulk", json=[person("E1")], headers=reader)
    problem_of(response, 403)


async def test_an_unknown_source_is_422(client: httpx.AsyncClient, hris: dict[str, str]) -> None:
    response = await client.post(
        "/api/v1/people/bulk", params={"source": "MOI"}, json=[person("E1")], headers=hris
    )
    assert problem_of(response, 422)["errors"][0]["rule"] == "source-unknown"


async def test_a_stored_record_sent_twice_in_one_batch_is_still_a_duplicate(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    await sync(client, [person("E1")], hris)
    body = await sync(client, [person("E1"), person("E1")], hris)
    assert outcomes(body) == ["rejected", "rejected"]
    assert body["results"][0]["errors"][0]["rule"] == "duplicate-in-batch"


async def test_a_new_report_may_name_an_unchanged_supervisor_sent_alongside(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    await sync(client, [person("B"), person("S", supervisor="B")], hris)
    body = await sync(
        client,
        [person("B"), person("S", supervisor="B"), person("N", supervisor="S")],
        hris,
    )
    assert outcomes(body) == ["unchanged", "unchanged", "created"]
    looped = await sync(client, [person("B", supervisor="N"), person("S", supervisor="B")], hris)
    assert outcomes(looped) == ["rejected", "unchanged"]
    assert looped["results"][0]["errors"][0]["rule"] == "supervisor-cycle"


async def test_json_beyond_the_strict_standard_is_read_as_python_reads_it(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    # NaN and integers past 64 bits are not strict JSON but were always accepted: the fast
    # decoder refuses them, and the body is then read by the standard library as before.
    body = b'[{"external_id": "E1", "first_name_th": "a", "last_name_th": "b", "agency": "RD",'
    body += b' "employee_number": 123456789012345678901234567890, "position_level": NaN}]'
    response = await client.post(
        "/api/v1/people/bulk", content=body, headers={**hris, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    errors = response.json()["results"][0]["errors"]
    assert [(e["pointer"], e["rule"]) for e in errors] == [("/0/position_level", "type")]


async def test_a_subject_taken_by_a_concurrent_writer_is_409_and_nothing_is_written(
    client: httpx.AsyncClient,
    hris: dict[str, str],
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two requests can pass the subject check at the same moment; the database's unique index
    then refuses the second one. The client gets a 409 it can retry (not a 500), and nothing of
    that request is written; the retry gets the precise per-record answer."""
    await sync(client, [person("E1", subject="somchai")], hris)

    async def missed(*_: Any, **__: Any) -> dict[str, Any]:
        return {}  # the check ran before the other writer committed

    with monkeypatch.context() as patch:
        patch.setattr(people_repo, "subject_owners", missed)
        response = await client.post(
            "/api/v1/people/bulk",
            json=[person("E3"), person("E2", subject="somchai")],
            headers=hris,
        )
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "concurrent-write"
    assert problem["retry"] is True
    assert problem["constraint"] == "uq_person_source_subject"
    assert "Traceback" not in response.text
    assert await count_people(session) == 1

    retried = await sync(client, [person("E3"), person("E2", subject="somchai")], hris)
    assert outcomes(retried) == ["created", "rejected"]
    assert retried["results"][1]["errors"][0]["rule"] == "subject-taken"


async def test_keys_and_subjects_with_quotes_backslashes_and_thai_are_looked_up_exactly(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    """The lookups send the batch's keys and subjects as one JSON document: what JSON escapes
    must come back as it was sent."""
    subject = 'สมชาย "ใจดี" \\ 1'
    await sync(client, [person("E-1/a:b@c", subject=subject)], hris)
    body = await sync(
        client, [person("E-1/a:b@c", subject=subject), person("E2", subject=subject)], hris
    )
    assert outcomes(body) == ["unchanged", "rejected"]
    assert body["results"][1]["errors"][0]["rule"] == "subject-taken"
