"""GraphQL for portals: frameworks, domains, units with elements and criteria, role profiles, the
matrix and search; nested lists are batched (a fixed number of SQL statements)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.test_graphql import gql

Headers = dict[str, str]


@pytest.fixture
def reader(seeded: dict[str, Any], auth: Callable[..., Headers]) -> Headers:
    return auth("pim", "employee")


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs (savepoints of the test harness aside)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


PROFILES_QUERY = """
query ($framework: String!) {
  roleProfiles(framework: $framework) {
    stage group roleTitleTh
    units { code nameTh domain { code nameEn dimension } }
  }
}
"""


async def test_all_18_profiles_with_units_and_domains_take_a_fixed_small_number_of_statements(
    client: httpx.AsyncClient, reader: Headers, engine: AsyncEngine
) -> None:
    with statements(engine) as seen:
        body = await gql(client, PROFILES_QUERY, reader, framework="ocsc")
    assert "errors" not in body, body
    profiles = body["data"]["roleProfiles"]
    assert len(profiles) == 18
    assert all({"DLit400", "DG100"} <= {u["code"] for u in p["units"]} for p in profiles)
    assert all(u["domain"]["code"] for p in profiles for u in p["units"])
    # framework, version, profiles, requirements (batched), units (batched), domains (batched)
    assert len(seen) == 6, seen

    one = """query { roleProfile(framework: "ocsc", stage: EARLY, group: OTHERS) {
      units { code domain { code } } } }"""
    with statements(engine) as seen_for_one:
        await gql(client, one, reader)
    # one profile: framework, version, profile, its requirements, items, requirements (the
    # service reads them for the REST view too), domains; never more as profiles grow
    assert len(seen_for_one) <= len(seen) + 2


async def test_units_come_with_elements_and_criteria(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    query = """{ units(framework: "ocsc", domain: "DS") {
        code domain { code } parent { code } elements { code criteria { code nameTh } } } }"""
    body = await gql(client, query, reader)
    units = {u["code"]: u for u in body["data"]["units"]}
    assert len(units) == 7
    assert {u["domain"]["code"] for u in units.values()} == {"DS"}
    assert [e["code"] for e in units["DS100"]["elements"]] == ["DS101", "DS102"]
    assert sum(len(e["criteria"]) for e in units["DS100"]["elements"]) == 5


async def test_domains_carry_their_dimension_and_units(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    body = await gql(
        client, '{ domains(framework: "ocsc") { code nameEn dimension units { code } } }', reader
    )
    domains = body["data"]["domains"]
    assert [(d["code"], d["dimension"], len(d["units"])) for d in domains] == [
        ("DLit", 1, 7),
        ("DG", 2, 6),
        ("DT", 3, 7),
        ("DS", 3, 7),
        ("SPM", 4, 6),
        ("DL", 4, 3),
        ("DTr", 5, 3),
    ]


async def test_a_profile_shows_its_resolved_requirements_with_origins(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    query = """{ roleProfile(framework: "ocsc", stage: MATURE, group: TECHNOLOGIST) {
        roleTitleTh
        requirements(component: UNIT) { code printedCode origin note }
        knowledge { code }
        experience { code }
    } }"""
    profile = (await gql(client, query, reader))["data"]["roleProfile"]
    units = {r["code"]: r for r in profile["requirements"]}
    assert units["DTr200"]["printedCode"] == "DT200"
    assert units["DTr300"]["printedCode"] == "DT300"
    assert [k["code"] for k in profile["knowledge"]][:5] == [f"K-F{i}" for i in range(1, 6)]
    assert [e["code"] for e in profile["experience"]][:5] == [f"E-F{i}" for i in range(1, 6)]


async def test_matrix_and_search_are_available_to_portals(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    query = """{
      matrix(framework: "ocsc", stage: EARLY) { groups rows { item { code } groups } }
      search(framework: "ocsc", q: "สถาปัตยกรรมองค์กร") { matched item { code kind } }
    }"""
    data = (await gql(client, query, reader))["data"]
    assert len(data["matrix"]["rows"]) == 39
    assert data["matrix"]["groups"] == [
        "EXECUTIVE",
        "MANAGEMENT",
        "ACADEMIC",
        "SERVICE",
        "TECHNOLOGIST",
        "OTHERS",
    ]
    assert [h["item"]["code"] for h in data["search"]][:2] == ["DT200", "DT300"]


async def test_frameworks_and_errors_are_coded(client: httpx.AsyncClient, reader: Headers) -> None:
    body = await gql(client, "{ frameworks { key currentVersion { version status } } }", reader)
    assert body["data"]["frameworks"] == [
        {"key": "ocsc", "currentVersion": {"version": "2561", "status": "published"}},
        {"key": "tpqi-it-exec", "currentVersion": {"version": "2563", "status": "published"}},
    ]
    missing = await gql(client, '{ item(framework: "ocsc", code: "XX1") { code } }', reader)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    anonymous = await gql(client, '{ domains(framework: "ocsc") { code } }')
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
