"""GraphQL over HTTP: whatever the body, a coded error that names the field at fault, never a
500 or plain text; two operations without ``operationName`` are refused, not the first one run;
NUL characters and lone surrogates in arguments and variables are refused by name before any
resolver (or the database) sees them."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import problem_of

ME = "{ me { subject } }"

MALFORMED: dict[str, tuple[bytes, int, str, str]] = {
    # name: (body, status, code, field)
    "null body": (b"null", 400, "BAD_REQUEST", "body"),
    "string body": (b'"{ me { subject } }"', 400, "BAD_REQUEST", "body"),
    "number body": (b"42", 400, "BAD_REQUEST", "body"),
    "boolean body": (b"true", 400, "BAD_REQUEST", "body"),
    "batched array": (b'[{"query": "{ me { subject } }"}]', 400, "BAD_REQUEST", "body"),
    "not JSON": (b'{"query": ', 400, "BAD_REQUEST", "body"),
    "not UTF-8": (b'{"query": "\xff"}', 400, "BAD_REQUEST", "body"),
    "missing query": (b"{}", 400, "BAD_REQUEST", "query"),
    "null query": (b'{"query": null}', 400, "BAD_REQUEST", "query"),
    "query not a string": (b'{"query": ["{ me { subject } }"]}', 400, "BAD_REQUEST", "query"),
    "variables an array": (
        b'{"query": "{ me { subject } }", "variables": [1]}',
        400,
        "BAD_REQUEST",
        "variables",
    ),
    "variables a string": (
        b'{"query": "{ me { subject } }", "variables": "{}"}',
        400,
        "BAD_REQUEST",
        "variables",
    ),
    "operationName a number": (
        b'{"query": "query A { me { subject } }", "operationName": 1}',
        400,
        "BAD_REQUEST",
        "operationName",
    ),
    "extensions a number": (
        b'{"query": "{ me { subject } }", "extensions": 1}',
        400,
        "BAD_REQUEST",
        "extensions",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_malformed_request_is_a_coded_400_naming_the_field(
    client: httpx.AsyncClient, admin_headers: dict[str, str], case: str
) -> None:
    body, status, code, field = MALFORMED[case]
    response = await client.post(
        "/graphql", content=body, headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": code, "field": field}
    assert error["message"]


async def test_a_body_that_is_not_json_is_a_coded_415(client: httpx.AsyncClient) -> None:
    """Refused by the HTTP layer before GraphQL sees it, as every API refuses a non-JSON body."""
    response = await client.post(
        "/graphql", content=ME.encode(), headers={"Content-Type": "application/graphql"}
    )
    assert problem_of(response, 415)["code"] == "unsupported-media-type"


@pytest.mark.parametrize(
    "params", ["", "?query=%7Bme%7Bsubject%7D%7D", "?query=mutation%7Bx%7D", "?variables=5"]
)
async def test_get_is_a_coded_405_that_points_at_post(
    client: httpx.AsyncClient, params: str
) -> None:
    response = await client.get(f"/graphql{params}", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "METHOD_NOT_ALLOWED", "field": "method"}


@pytest.mark.parametrize(
    ("document", "operation"),
    [
        ("query A { me { subject } } query B { me { kind } }", None),
        ("{ me { subject } } { me { kind } }", None),
        ("query A { me { subject } }", "B"),
        ("query A { me { subject } } query B { me { kind } }", "C"),
    ],
)
async def test_the_operation_to_run_must_be_unambiguous(
    client: httpx.AsyncClient, admin_headers: dict[str, str], document: str, operation: str | None
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": document, "operationName": operation},
        headers=admin_headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST", "field": "operationName"}


async def test_operation_name_chooses_among_several(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query A { me { subject } } query B { me { kind } }",
            "operationName": "B",
        },
        headers=admin_headers,
    )
    assert response.json() == {"data": {"me": {"kind": "user"}}}


AGENCY_BY_VARIABLE = "query($c: String!) { agency(code: $c) { code } }"


@pytest.mark.parametrize("value", ["DGA\x00", "\x00", "D\ud800GA", "\udfff", "สมศรี\x00รักงาน"])
async def test_bad_text_in_a_variable_is_refused_by_name(
    client: httpx.AsyncClient, admin_headers: dict[str, str], value: str
) -> None:
    response = await client.post(
        "/graphql",
        content=httpx_json({"query": AGENCY_BY_VARIABLE, "variables": {"c": value}}),
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [e["pointer"] for e in error["extensions"]["errors"]] == ["/variables/c"]
    assert "$c" in error["message"]


async def test_bad_text_in_an_argument_or_nested_input_is_refused_by_name(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    document = (
        '{ agency(code: "DGA\\u0000") { code } search(framework: "ocsc", q: "x") { matched } }'
    )
    body = (await client.post("/graphql", json={"query": document}, headers=admin_headers)).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [e["pointer"] for e in error["extensions"]["errors"]] == ["agency(code)"]

    mutation = """mutation($p: ID!, $id: ID!, $r: [RatingInput!]!) {
      rateAssessment(personId: $p, id: $id, ratings: $r) { version } }"""
    variables = {
        "p": "00000000-0000-0000-0000-000000000000",
        "id": "00000000-0000-0000-0000-000000000000",
        "r": [
            {"code": "DS101.1", "value": "has"},
            {"code": "DS102.1", "value": "has", "note": "\ud83d"},
        ],
    }
    response = await client.post(
        "/graphql",
        content=httpx_json({"query": mutation, "variables": variables}),
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [e["pointer"] for e in error["extensions"]["errors"]] == ["/variables/r/1/note"]


async def test_a_nul_in_the_document_itself_is_a_coded_syntax_error(
    client: httpx.AsyncClient,
) -> None:
    for document in ("{ me { subject } }\x00", '{ agency(code: "\ud800") { code } }'):
        response = await client.post(
            "/graphql",
            content=httpx_json({"query": document}),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 200
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
        assert error["locations"]


def httpx_json(data: object) -> bytes:
    """JSON with lone surrogates written as escapes, as a hostile client can send them."""
    import json

    return json.dumps(data).encode()


DASHBOARD_YEAR = "query($y: Int) { myDashboard(fiscalYear: $y) { fiscalYear } }"
DECLARE = """mutation($d: Date!) { declareStage(agencyCode: "DGA", fiscalYear: 2568, stage: EARLY,
  announcedOn: $d) { fiscalYear } }"""
PERSON = "query($i: ID!) { person(id: $i) { id } }"


@pytest.mark.parametrize(
    ("document", "variables", "name", "code"),
    [
        (DASHBOARD_YEAR, {"y": 2**40}, "$y", "GRAPHQL_VALIDATION_FAILED"),
        (DASHBOARD_YEAR, {"y": "2568"}, "$y", "GRAPHQL_VALIDATION_FAILED"),
        (DASHBOARD_YEAR, {"y": 2568.5}, "$y", "GRAPHQL_VALIDATION_FAILED"),
        # a date breaks the one date rule (README "Dates"): coded as every refused date is
        (DECLARE, {"d": "2024-13-45"}, "$d", "VALIDATION_FAILED"),
        (DECLARE, {"d": 20241001}, "$d", "VALIDATION_FAILED"),
        (PERSON, {"i": {"a": 1}}, "$i", "GRAPHQL_VALIDATION_FAILED"),
        (PERSON, {}, "$i", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_a_variable_that_does_not_fit_its_type_is_a_coded_error_naming_it(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    document: str,
    variables: dict[str, object],
    name: str,
    code: str,
) -> None:
    response = await client.post(
        "/graphql", json={"query": document, "variables": variables}, headers=admin_headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == code, error
    assert f"Variable '{name}'" in error["message"]
