"""Staff-group assignments over REST for HR systems: reads per person and as a change feed,
single proposals and the approval steps, and bulk proposals (per-record outcomes, dry run,
Idempotency-Key, JSON pointers, agency scope). An HRIS proposes; the supervisors decide
(003:657-659, rules B3-B4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import person, sync
from tests.helpers import problem_of

BULK = "/api/v1/group-assignments/bulk"
FEED = "/api/v1/group-assignments"
SERVICE_PART = {"group": "service", "scope": "partial", "items": ["DS100", "K-R2", "DT100"]}


@pytest.fixture
async def org(
    client: httpx.AsyncClient, tree: Any, api_key: Any, auth: Any, seeded: Any
) -> dict[str, Any]:
    """RD (developing in FY2568): director > head > officer, and a clerk under the head; an
    HRIS key of RD with groups:write, one with only people:write, and one of MOI."""
    people_key = await api_key("RD", "people:write")
    body = await sync(
        client,
        [
            person("DIR", subject="director"),
            person("HEAD", supervisor="DIR", agency="RD-IT", subject="head"),
            person("OFF", supervisor="HEAD", agency="RD-IT", subject="officer"),
            person("CLERK", supervisor="HEAD", agency="RD-IT", subject="clerk"),
        ],
        people_key,
    )
    admin = auth("rd-admin", "agency_admin", agency="RD")
    declared = await client.put(
        "/api/v1/agencies/RD/stages/2568",
        json={"stage": "developing", "announced_on": "2024-10-01"},
        headers=admin,
    )
    assert declared.status_code in (200, 201), declared.text
    return {
        **{r["external_id"]: r["id"] for r in body["results"]},
        "hris": await api_key("RD", "groups:write"),
        "people_only": people_key,
        "moi": await api_key("MOI", "groups:write", "groups:read"),
        "head": auth("head", "employee", "supervisor", agency="RD-IT"),
        "director": auth("director", "employee", "supervisor", agency="RD"),
        "officer": auth("officer", "employee", agency="RD-IT"),
        "admin": admin,
    }


def outcomes(body: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in body["results"]]


def problems(body: dict[str, Any], index: int) -> list[tuple[str, str]]:
    return [(e["pointer"], e["rule"]) for e in body["results"][index].get("errors", [])]


async def test_an_hris_proposal_waits_for_the_supervisors_and_the_hris_cannot_approve_it(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{org['OFF']}/group-assignments"
    proposed = await client.post(
        url,
        json={"fiscal_year": 2568, "groups": [{"group": "academic"}, SERVICE_PART]},
        headers=org["hris"],
    )
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    assert (body["state"], body["awaiting"], body["agreed_by"], body["effective"]) == (
        "pending",
        "supervisor",
        None,
        False,
    )
    assert (body["external_id"], body["source"]) == ("OFF", "RD")
    assert body["groups"][1] == {**SERVICE_PART}
    approve = f"/api/v1/group-assignments/{body['id']}/approve"
    refused = problem_of(await client.post(approve, headers=org["hris"]), 403)
    assert refused["code"] == "forbidden"
    agreed = await client.post(approve, headers=org["head"])
    assert (agreed.json()["state"], agreed.json()["awaiting"]) == (
        "pending",
        "second_level_supervisor",
    )
    approved = await client.post(approve, headers=org["director"])
    assert approved.json()["state"] == "approved", approved.text
    assert approved.json()["approved_by"] == "director"
    listed = await client.get(url, headers=org["officer"])
    assert [a["state"] for a in listed.json()["items"]] == ["approved"]
    # A proposal by the person's first-line supervisor is their agreement (B3).
    own = await client.post(
        f"/api/v1/people/{org['CLERK']}/group-assignments",
        json={"fiscal_year": 2568, "groups": [{"group": "service"}]},
        headers=org["head"],
    )
    assert (own.status_code, own.json()["state"], own.json()["agreed_by"]) == (
        201,
        "approved",
        "head",
    )


async def test_a_proposal_needs_the_groups_scope_and_the_callers_subtree(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{org['OFF']}/group-assignments"
    body = {"fiscal_year": 2568, "groups": [{"group": "academic"}]}
    scope = problem_of(await client.post(url, json=body, headers=org["people_only"]), 403)
    assert scope["required_scope"] == "groups:write"
    problem_of(await client.post(url, json=body, headers=org["moi"]), 404)
    problem_of(await client.get(url, headers=org["moi"]), 404)
    feed = await client.get(FEED, headers=org["people_only"])
    assert problem_of(feed, 403)["required_scope"] == "groups:read"


async def test_a_choice_is_checked_against_the_profile_with_pointers_and_rules(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    url = f"/api/v1/people/{org['OFF']}/group-assignments"
    bad = {
        "fiscal_year": 2568,
        "groups": [
            {"group": "service", "scope": "partial", "items": ["DS100", "XX999", "SPM100"]},
            {"group": "academic", "scope": "partial"},
            {"group": "others", "items": ["DS100"]},
        ],
    }
    found = problem_of(await client.post(url, json=bad, headers=org["hris"]), 422)
    assert [(e["pointer"], e["rule"]) for e in found["errors"]] == [
        ("/groups/1/items", "required"),
        ("/groups/2/items", "whole-with-items"),
    ]
    del bad["groups"][1:]
    found = problem_of(await client.post(url, json=bad, headers=org["hris"]), 422)
    assert [(e["pointer"], e["rule"]) for e in found["errors"]] == [
        ("/groups/0/items/1", "item-unknown"),
        ("/groups/0/items/2", "not-in-profile"),
    ]
    assert "developing" in found["errors"][1]["detail"]
    listed = await client.get(url, headers=org["hris"])
    assert listed.json()["items"] == []  # nothing written


async def test_bulk_reports_one_outcome_per_record_with_pointers(
    client: httpx.AsyncClient, org: dict[str, Any], session: AsyncSession
) -> None:
    records: list[Any] = [
        {"external_id": "OFF", "fiscal_year": 2568, "groups": [SERVICE_PART]},
        {"external_id": "CLERK", "fiscal_year": 2568, "groups": [{"group": "service"}]},
        {"external_id": "NOBODY", "fiscal_year": 2568, "groups": [{"group": "service"}]},
        {
            "external_id": "HEAD",
            "fiscal_year": 2568,
            "groups": [{"group": "service", "scope": "partial", "items": ["SPM100"]}],
        },
        {"external_id": "DIR", "fiscal_year": 2568, "groups": []},
        {"external_id": "CLERK", "fiscal_year": 2569, "groups": [{"group": "academic"}]},
        {"external_id": "CLERK", "fiscal_year": 2569, "groups": [{"group": "service"}]},
        "not a record",
    ]
    dry = await client.post(BULK, json=records, headers=org["hris"], params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    dry_body = dry.json()
    assert dry_body["dry_run"] is True
    expected = ["created", "created"] + ["rejected"] * 6
    assert outcomes(dry_body) == expected
    assert [r["id"] for r in dry_body["results"][:2]] == [None, None]
    assert problems(dry_body, 2) == [("/2/external_id", "person-unknown")]
    assert problems(dry_body, 3) == [("/3/groups/0/items/0", "not-in-profile")]
    assert problems(dry_body, 4) == [("/4/groups", "required")]
    assert problems(dry_body, 5) == [("/5/external_id", "duplicate-in-batch")]
    assert dry_body["results"][5]["errors"][0]["also_at"] == ["/6"]
    assert problems(dry_body, 7) == [("/7", "type")]
    count = "SELECT count(*) FROM staff_group_assignment"
    assert (await session.execute(text(count))).scalar() == 0

    real = await client.post(BULK, json=records, headers=org["hris"])
    body = real.json()
    assert outcomes(body) == expected
    assert body["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 6}
    assert {k: v for k, v in body.items() if k != "results"} == {
        "dry_run": False,
        "counts": body["counts"],
    }
    assert all(r["id"] for r in body["results"][:2])
    # A proposal is a proposal: nobody has agreed to it yet.
    mine = await client.get(
        f"/api/v1/group-assignments/{body['results'][0]['id']}", headers=org["head"]
    )
    assert (mine.json()["state"], mine.json()["awaiting"]) == ("pending", "supervisor")
    # The nightly run again: nothing new is proposed.
    again = await client.post(BULK, json=records[:2], headers=org["hris"])
    assert outcomes(again.json()) == ["unchanged", "unchanged"]
    assert [r["id"] for r in again.json()["results"]] == [r["id"] for r in body["results"][:2]]
    # Another choice while the first still waits is refused, naming the pending one.
    other = [{"external_id": "OFF", "fiscal_year": 2568, "groups": [{"group": "academic"}]}]
    refused = (await client.post(BULK, json=other, headers=org["hris"])).json()
    assert problems(refused, 0) == [("/0/groups", "proposal-pending")]
    assert refused["results"][0]["errors"][0]["pending_id"] == body["results"][0]["id"]
    assert (await session.execute(text(count))).scalar() == 2


async def test_bulk_takes_ndjson_and_replays_a_retry_under_its_idempotency_key(
    client: httpx.AsyncClient, org: dict[str, Any], session: AsyncSession
) -> None:
    ndjson = (
        b'{"external_id": "OFF", "fiscal_year": 2568, "groups": [{"group": "academic"}]}\n'
        b"{broken\n"
        b'{"external_id": "CLERK", "fiscal_year": 2568, "groups": [{"group": "service"}]}\n'
    )
    headers = {**org["hris"], "Content-Type": "application/x-ndjson", "Idempotency-Key": "n-1"}
    first = await client.post(BULK, content=ndjson, headers=headers)
    assert outcomes(first.json()) == ["created", "rejected", "created"]
    assert problems(first.json(), 1) == [("/1", "malformed-json")]
    retry = await client.post(BULK, content=ndjson, headers=headers)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    count = "SELECT count(*) FROM staff_group_assignment"
    assert (await session.execute(text(count))).scalar() == 2
    reused = await client.post(BULK, content=ndjson + b"\n{}", headers=headers)
    assert problem_of(reused, 422)["code"] == "idempotency-key-reused"


async def test_bulk_is_scoped_to_the_clients_subtree_and_scope(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    records = [{"external_id": "OFF", "fiscal_year": 2568, "groups": [{"group": "academic"}]}]
    moi = await client.post(BULK, json=records, headers=org["moi"], params={"source": "RD"})
    assert problem_of(moi, 422)["errors"][0]["rule"] == "source-unknown"
    missing = await client.post(BULK, json=records, headers=org["people_only"])
    assert problem_of(missing, 403)["required_scope"] == "groups:write"
    employee = await client.post(BULK, json=records, headers=org["officer"])
    problem_of(employee, 403)


async def test_a_partial_choice_needs_the_agencys_stage(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    records = [{"external_id": "OFF", "fiscal_year": 2570, "groups": [SERVICE_PART]}]
    body = (await client.post(BULK, json=records, headers=org["hris"])).json()
    assert problems(body, 0) == [("/0/groups/0/items", "stage-undeclared")]


async def test_the_change_feed_brings_back_each_step_once_and_only_what_the_caller_may_see(
    client: httpx.AsyncClient, org: dict[str, Any]
) -> None:
    records = [
        {"external_id": "OFF", "fiscal_year": 2568, "groups": [{"group": "academic"}]},
        {"external_id": "CLERK", "fiscal_year": 2568, "groups": [{"group": "service"}]},
    ]
    created = (await client.post(BULK, json=records, headers=org["hris"])).json()
    first = (await client.get(FEED, headers=org["hris"], params={"limit": 1})).json()
    assert [a["external_id"] for a in first["items"]] == ["OFF"]
    assert first["next_cursor"] is not None
    rest = (
        await client.get(FEED, headers=org["hris"], params={"cursor": first["next_cursor"]})
    ).json()
    assert [a["external_id"] for a in rest["items"]] == ["CLERK"]
    assert rest["next_cursor"] is None
    quiet = (
        await client.get(FEED, headers=org["hris"], params={"cursor": rest["poll_cursor"]})
    ).json()
    assert quiet["items"] == []
    clerk = created["results"][1]["id"]
    await client.post(f"/api/v1/group-assignments/{clerk}/approve", headers=org["head"])
    later = (
        await client.get(FEED, headers=org["hris"], params={"cursor": rest["poll_cursor"]})
    ).json()
    assert [(a["id"], a["state"]) for a in later["items"]] == [(clerk, "approved")]
    assert (await client.get(FEED, headers=org["moi"])).json()["items"] == []
    year = await client.get(FEED, headers=org["hris"], params={"fiscal_year": 2569})
    assert year.json()["items"] == []


async def test_erasing_a_proposer_brings_their_assignments_back_in_the_feed_without_them(
    client: httpx.AsyncClient, org: dict[str, Any], admin: dict[str, str]
) -> None:
    url = f"/api/v1/people/{org['CLERK']}/group-assignments"
    proposed = await client.post(
        url, json={"fiscal_year": 2568, "groups": [{"group": "service"}]}, headers=org["head"]
    )
    assert proposed.json()["proposed_by"] == "head"
    seen = (await client.get(FEED, headers=org["hris"])).json()
    erased = await client.post(f"/api/v1/people/{org['HEAD']}/erase", headers=admin)
    assert erased.status_code == 200, erased.text
    later = await client.get(FEED, headers=org["hris"], params={"cursor": seen["poll_cursor"]})
    assert [(a["id"], a["proposed_by"], a["agreed_by"]) for a in later.json()["items"]] == [
        (proposed.json()["id"], "erased", "erased")
    ]
