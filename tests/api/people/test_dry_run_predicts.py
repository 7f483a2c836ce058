"""A dry run answers what the real write would: for generated batches full of collisions
(external ids, token subjects, supervisors, cycles, unknown and out-of-scope agencies and
parents), the dry run's outcomes and errors are the real write's, record by record."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.people.conftest import NATIONAL_ID, person

pytestmark = pytest.mark.usefixtures("tree")

# Each example writes under its own prefix: the examples share the test's transaction.
_counter = itertools.count()

IDS = ["A", "B", "C", "D"]
PEOPLE = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(IDS),
            "agency": st.sampled_from(["RD", "RD-IT", "CGD", "DOPA", "NOPE"]),
            "supervisor": st.sampled_from([None, *IDS, "GHOST", "S1"]),
            "subject": st.sampled_from([None, "s1", "s2", "taken"]),
            "national_id": st.sampled_from([None, NATIONAL_ID, "12345"]),
            "email": st.sampled_from([None, "x@rd.go.th", "not-an-email"]),
        }
    ),
    min_size=1,
    max_size=5,
)


def _comparable(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r["index"],
            r["outcome"],
            sorted((e["pointer"], e["rule"]) for e in r.get("errors", [])),
        )
        for r in body["results"]
    ]


async def _post(
    client: httpx.AsyncClient, url: str, records: list[Any], headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.post(url, json=records, headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=PEOPLE)
async def test_a_people_dry_run_predicts_the_real_write(
    client: httpx.AsyncClient, api_key: Any, batch: list[dict[str, Any]]
) -> None:
    n = next(_counter)
    hris = await api_key("RD", "people:write")
    other = await api_key("RD", "people:write")

    def ext(name: str | None) -> str | None:
        return None if name is None else f"P{n}-{name}"

    # stored already: a supervisor S1, and someone of another batch holding the subject "taken"
    stored = [person(ext("S1") or ""), person(ext("T") or "", subject=f"{n}-taken")]
    await _post(client, "/api/v1/people/bulk", stored, other)
    records = []
    for spec in batch:
        extra: dict[str, Any] = {}
        for name in ("national_id", "email"):
            if spec[name] is not None:
                extra[name] = spec[name]
        if spec["subject"] is not None:
            extra["subject"] = f"{n}-{spec['subject']}"
        if spec["supervisor"] is not None:
            extra["supervisor"] = ext(spec["supervisor"])
        records.append(person(ext(spec["id"]) or "", agency=spec["agency"], **extra))
    dry = await _post(client, "/api/v1/people/bulk", records, hris, dry_run="true")
    real = await _post(client, "/api/v1/people/bulk", records, hris)
    assert dry["dry_run"] is True
    assert _comparable(dry) == _comparable(real)


CODES = ["X1", "X2", "X3"]
AGENCIES = st.lists(
    st.fixed_dictionaries(
        {
            "code": st.sampled_from(CODES),
            "parent": st.sampled_from([None, *CODES, "RD", "MOI", "GHOST"]),
            "kind": st.sampled_from(["department", "bureau", "emperor"]),
        }
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=AGENCIES, central=st.booleans())
async def test_an_agency_dry_run_predicts_the_real_write(
    client: httpx.AsyncClient,
    auth: Any,
    admin_headers: dict[str, str],
    batch: list[dict[str, Any]],
    central: bool,
) -> None:
    n = next(_counter)
    headers = admin_headers if central else auth("mof-admin", "agency_admin", agency="MOF")

    def code(name: str | None) -> str | None:
        return f"A{n}-{name}" if name in CODES else name

    records = [
        {
            "code": code(spec["code"]),
            "name_th": f"หน่วย {spec['code']}",
            "kind": spec["kind"],
            **({"parent": code(spec["parent"])} if spec["parent"] is not None else {}),
        }
        for spec in batch
    ]
    dry = await _post(client, "/api/v1/agencies/bulk", records, headers, dry_run="true")
    real = await _post(client, "/api/v1/agencies/bulk", records, headers)
    assert _comparable(dry) == _comparable(real)


async def test_a_supervisor_refused_for_its_subject_refuses_its_reports_in_both(
    client: httpx.AsyncClient, api_key: Any
) -> None:
    """The dry run once said ``created`` for someone whose new supervisor was then refused for
    a taken subject; the real write failed on the missing supervisor."""
    hris = await api_key("RD", "people:write")
    await _post(client, "/api/v1/people/bulk", [person("OWNER", subject="taken")], hris)
    records = [person("BOSS", subject="taken"), person("EMP", supervisor="BOSS")]
    dry = await _post(client, "/api/v1/people/bulk", records, hris, dry_run="true")
    real = await _post(client, "/api/v1/people/bulk", records, hris)
    assert _comparable(dry) == _comparable(real)
    assert [r["outcome"] for r in real["results"]] == ["rejected", "rejected"]


async def test_a_record_lists_every_problem_not_only_its_first(
    client: httpx.AsyncClient, api_key: Any
) -> None:
    hris = await api_key("RD", "people:write")
    await _post(client, "/api/v1/people/bulk", [person("OWNER", subject="taken")], hris)
    record = person("E1", agency="NOPE", subject="taken", supervisor="GHOST")
    for dry_run in ("true", "false"):
        body = await _post(client, "/api/v1/people/bulk", [record], hris, dry_run=dry_run)
        errors = {(e["pointer"], e["rule"]) for e in body["results"][0]["errors"]}
        assert errors == {
            ("/0/agency", "agency-unknown"),
            ("/0/subject", "subject-taken"),
            ("/0/supervisor", "supervisor-unknown"),
        }


async def test_an_agency_lists_every_problem_and_a_refused_parent_refuses_its_children(
    client: httpx.AsyncClient, auth: Any
) -> None:
    """An agency admin of MOF: a new top-level agency (only central administrators place those)
    whose parent is also its child is refused for both; the child under it says why it is
    refused, in a dry run as in the real write."""
    headers = auth("mof-admin", "agency_admin", agency="MOF")
    records = [
        {"code": "LOOP-A", "name_th": "ก", "kind": "department", "parent": "LOOP-B"},
        {"code": "LOOP-B", "name_th": "ข", "kind": "department", "parent": "LOOP-A"},
        {"code": "UNDER", "name_th": "ค", "kind": "bureau", "parent": "ORPHAN"},
        {"code": "ORPHAN", "name_th": "ง", "kind": "department"},
    ]
    answers = [
        await _post(client, "/api/v1/agencies/bulk", records, headers, dry_run=dry_run)
        for dry_run in ("true", "false")
    ]
    assert _comparable(answers[0]) == _comparable(answers[1])
    rules = [sorted(e["rule"] for e in r.get("errors", [])) for r in answers[1]["results"]]
    assert rules == [["parent-cycle"], ["parent-cycle"], ["parent-rejected"], ["out-of-scope"]]
