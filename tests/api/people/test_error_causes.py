"""Each refusal names its real cause, and says where: a JSON pointer only for the body, the
parameter (and whether it is in the query, the path or a header) for everything else."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from app.domain.errors import FieldError, ValidationFailed
from tests.api.people.conftest import person, sync
from tests.helpers import problem_of

MERGE = {"Content-Type": "application/merge-patch+json"}


def _where(problem: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: e.get(k) for k in ("pointer", "parameter", "in")} for e in problem["errors"]]


def test_a_field_error_takes_only_a_json_pointer_as_its_pointer() -> None:
    """The mechanism: a parameter's name given as a pointer is refused where it is made."""
    with pytest.raises(ValueError, match="not a JSON pointer"):
        FieldError("cursor", "cursor", "bad")
    with pytest.raises(ValueError, match="location"):
        FieldError("", "x", "y", parameter="cursor")
    error = FieldError.for_parameter("cursor", "query", "cursor", "bad")
    assert error.as_dict() == {
        "parameter": "cursor",
        "in": "query",
        "rule": "cursor",
        "detail": "bad",
    }
    assert ValidationFailed([error]).detail == "query parameter cursor: bad"


@pytest.mark.usefixtures("tree")
async def test_a_forged_cursor_names_the_query_parameter(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    forged = base64.urlsafe_b64encode(json.dumps({"k": "person", "x": 2**70, "s": 0}).encode())
    for url in ("/api/v1/people", "/api/v1/agencies", "/api/v1/audit-events"):
        response = await client.get(url, params={"cursor": forged.decode()}, headers=admin_headers)
        problem = problem_of(response, 422)
        assert _where(problem) == [{"pointer": None, "parameter": "cursor", "in": "query"}]
        assert problem["detail"].startswith("query parameter cursor:")


@pytest.mark.usefixtures("tree")
async def test_a_missing_source_names_the_query_parameter(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post("/api/v1/people/bulk", json=[person("E1")], headers=admin_headers)
    problem = problem_of(response, 422)
    assert _where(problem) == [{"pointer": None, "parameter": "source", "in": "query"}]


@pytest.mark.usefixtures("tree")
async def test_an_idempotency_key_clash_names_the_header(
    client: httpx.AsyncClient, api_key: Any
) -> None:
    hris = {**(await api_key("RD", "people:write")), "Idempotency-Key": "batch-1"}
    await sync(client, [person("E1")], hris)
    response = await client.post("/api/v1/people/bulk", json=[person("E2")], headers=hris)
    problem = problem_of(response, 422)
    assert _where(problem) == [{"pointer": None, "parameter": "Idempotency-Key", "in": "header"}]
    assert problem["detail"].startswith("header parameter Idempotency-Key:")
    assert not problem["detail"].startswith("/")


@pytest.mark.usefixtures("tree")
async def test_a_record_of_another_source_is_refused_as_such_not_as_out_of_scope(
    client: httpx.AsyncClient, api_key: Any
) -> None:
    """A ministry's HR system keeps a record of someone in one of its departments; the
    department's own HR system may see it, but not change what the ministry's system owns."""
    ministry = await api_key("MOF", "people:write", "people:read")
    body = await sync(client, [person("M1", agency="RD")], ministry)
    person_id = body["results"][0]["id"]
    department = await api_key("RD", "people:write", "people:read")
    assert (await client.get(f"/api/v1/people/{person_id}", headers=department)).status_code == 200
    for method, extra in (("PATCH", MERGE), ("PUT", {})):
        response = await client.request(
            method,
            f"/api/v1/people/{person_id}",
            json=person("M1", agency="RD", position_level="ชำนาญการ"),
            headers={**department, **extra},
        )
        problem = problem_of(response, 403)
        assert problem["code"] == "owned-by-another-source", problem
        assert problem["source"] == "MOF"
        assert "scope" not in problem["detail"]
    # the owner still can
    response = await client.patch(
        f"/api/v1/people/{person_id}",
        json={"position_level": "ชำนาญการ"},
        headers={**ministry, **MERGE},
    )
    assert response.status_code == 200, response.text
