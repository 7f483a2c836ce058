"""The OpenAPI document tells a client the truth about every operation: which credentials it
takes, every status it can answer, and that every error is an RFC 9457 problem."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.contract import openapi_document

DOC: dict[str, Any] = json.loads(openapi_document())
PUBLIC = {("/healthz", "get"), ("/readyz", "get"), ("/xapi/about", "get"), ("/xapi/about", "head")}
# The readiness probe keeps its own JSON body, which load balancers and orchestrators read.
OWN_BODY = {("/readyz", "get", "503")}
# The CASE 1.1 binding answers every error as its imsx_StatusInfo (application/json).
CASE_ROOT = "/ims/case/v1p1/"
IMSX = {"application/json": {"schema": {"$ref": "#/components/schemas/ImsxStatusInfo"}}}
# The xAPI LRS answers every invalid request with the 400 xAPI-Communication §3.2 names (never
# the rest of the API's 422 or 415), any parameter it does not take too.
XAPI_ROOT = "/xapi/"


def operations() -> Iterator[Any]:
    for path, ops in DOC["paths"].items():
        for method, op in ops.items():
            yield pytest.param(path, method, op, id=f"{method.upper()} {path}")


def test_security_schemes_cover_user_tokens_and_api_keys() -> None:
    schemes = DOC["components"]["securitySchemes"]
    assert schemes["userToken"] == {**schemes["userToken"], "type": "http", "scheme": "bearer"}
    assert schemes["userToken"]["bearerFormat"] == "JWT"
    assert schemes["apiKeyBearer"]["scheme"] == "bearer"
    assert schemes["apiKey"] == {**schemes["apiKey"], "type": "apiKey", "in": "header"}
    assert schemes["apiKey"]["name"] == "X-API-Key"


@pytest.mark.parametrize(("path", "method", "op"), list(operations()))
def test_every_operation_declares_its_security(path: str, method: str, op: dict[str, Any]) -> None:
    assert "security" in op, f"{method.upper()} {path} does not say which credentials it takes"
    if (path, method) in PUBLIC:
        assert op["security"] == []
    else:
        assert {name for req in op["security"] for name in req} == {
            "userToken",
            "apiKeyBearer",
            "apiKey",
            "clientBasic",
        }
        assert {"401", "403", "429"} <= set(op["responses"])


@pytest.mark.parametrize(("path", "method", "op"), list(operations()))
def test_every_status_an_operation_can_answer_is_documented(
    path: str, method: str, op: dict[str, Any]
) -> None:
    declared = set(op["responses"])
    params = op.get("parameters", [])
    assert "500" in declared
    if path.startswith(XAPI_ROOT):
        assert "400" in declared, f"{method.upper()} {path}"
        assert not {"415", "422"} & declared, f"{method.upper()} {path}"
        if "requestBody" in op:
            assert "413" in declared, f"{method.upper()} {path}"
        if any(p["name"].lower() == "if-match" for p in params):
            assert "412" in declared, f"{method.upper()} {path}"
        return
    if "requestBody" in op:
        assert {"400", "413", "415", "422"} <= declared, f"{method.upper()} {path}"
    if any(p["in"] == "path" for p in params):
        assert "404" in declared, f"{method.upper()} {path}"
    if params:
        assert "422" in declared, f"{method.upper()} {path}"
    if any(p["name"].lower() == "if-match" for p in params):
        assert "412" in declared, f"{method.upper()} {path}"


@pytest.mark.parametrize(("path", "method", "op"), list(operations()))
def test_every_error_answer_is_a_problem(path: str, method: str, op: dict[str, Any]) -> None:
    for status, response in op["responses"].items():
        if status[0] not in "45" or (path, method, status) in OWN_BODY:
            continue
        if path.startswith(CASE_ROOT):
            assert response["content"] == IMSX, (method, path, status)
            continue
        assert list(response["content"]) == ["application/problem+json"], (method, path, status)
        schema = response["content"]["application/problem+json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)
    assert "HTTPValidationError" not in DOC["components"]["schemas"]


def test_parameters_state_their_constraints() -> None:
    def param(path: str, name: str, method: str = "get") -> dict[str, Any]:
        found = [p for p in DOC["paths"][path][method]["parameters"] if p["name"] == name]
        schema: dict[str, Any] = found[0]["schema"]
        if "$ref" in schema:
            schema = {**DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], **schema}
        return schema

    profile = "/api/v1/frameworks/{key}/role-profiles/{stage}/{group}"
    assert param(profile, "stage")["enum"] == ["early", "developing", "mature"]
    assert "technologist" in param(profile, "group")["enum"]
    assert param("/api/v1/frameworks/{key}/matrix", "stage")["enum"]
    year = param("/api/v1/agencies/{code}/stages/{fiscal_year}", "fiscal_year")
    assert (year["minimum"], year["maximum"]) == (2400, 2800)
    q = param("/api/v1/frameworks/{key}/search", "q")
    assert q["minLength"] == 1
    assert q["pattern"]
    limit = param("/api/v1/people", "limit")
    assert (limit["minimum"], limit["maximum"]) == (1, 1000)
    assert param("/api/v1/people/{person_id}", "person_id")["format"] == "uuid"
    if_match = param("/api/v1/people/{person_id}", "if-match", "put")
    assert any("pattern" in s for s in if_match.get("anyOf", [if_match]))


def test_client_scopes_are_the_closed_list_they_are() -> None:
    from app.domain.principal import KNOWN_SCOPES

    scopes = DOC["components"]["schemas"]["ClientIn"]["properties"]["scopes"]
    assert scopes["items"]["enum"] == sorted(KNOWN_SCOPES)
