"""No input gets a 500: every operation of the OpenAPI document, each of its parameters and its
body, sent NUL characters, lone surrogates, integers beyond the database's range, forged
cursors, deeply nested and broken JSON. Each answer is a problem that names the field; under the
CASE 1.1 root it is the binding's imsx_StatusInfo instead (docs/frameworks.md), with the
codeMinor the binding gives for its status and the parameter at fault named there."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
import pytest

from app.contract import openapi_document
from app.domain.framework.case_binding import ROOT as CASE_ROOT
from app.domain.limits import INT8_MAX
from tests import case_schemas
from tests.api.people.conftest import TREE
from tests.helpers import problem_of

SPEC: dict[str, Any] = json.loads(openapi_document())
OPERATIONS = [
    (method.upper(), path, op)
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
    if method in {"get", "post", "put", "patch", "delete"}
]
ZERO_ID = "00000000-0000-0000-0000-000000000000"


def _cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# Percent-encoded as a client would send them: NUL, an encoded lone surrogate (U+D800 in UTF-8
# form, which is no UTF-8), bytes that are not UTF-8, a number beyond 64 bits.
TEXT_VARIANTS = {
    "nul": "a%00b",
    "surrogate": "%ED%A0%80",
    "not-utf8": "%FF%FE",
    "huge-int": str(2**70),
    "int4-overflow": "2147483648",
    "negative-huge": str(-(2**64)),
}
CURSOR_VARIANTS = {
    "forged-huge": _cursor({"k": "person", "x": 2**70, "s": 0}),
    "forged-types": _cursor({"k": "agency", "x": "1", "s": [1]}),
    "forged-id": _cursor({"id": "x' OR 1=1"}),
    "forged-big-id": _cursor({"id": INT8_MAX + 1}),
    "not-json": base64.urlsafe_b64encode(b"\xff\x00").decode(),
    "not-an-object": _cursor([1, 2]),
    "extra-member": _cursor({"id": 1, "x": 1}),
    "bool": _cursor({"id": True}),
}


def _base_value(name: str, schema: dict[str, Any]) -> str:
    options = schema.get("anyOf", [schema])
    kinds = {o.get("type") for o in options}
    if "integer" in kinds:
        return "2568" if "year" in name else "1"
    if "boolean" in kinds:
        return "false"
    if name.endswith(("_id", "Id")) or name == "id":
        return ZERO_ID
    enum = next((o["enum"] for o in options if "enum" in o), None)
    if enum:
        return str(enum[0])
    pattern = next((o.get("pattern") for o in options if o.get("pattern")), None)
    if pattern == "^(native|case)$":
        return "native"
    return {"code": "MOF", "key": "ocsc", "q": "data", "stage": "developing"}.get(name, "MOF")


def _request(
    path: str, op: dict[str, Any], override: tuple[str, str, str] | None
) -> tuple[str, dict[str, str]]:
    """The URL (already percent-encoded) and headers with every parameter at a plain value,
    except ``override`` = (location, name, raw value)."""
    query, headers = [], {}
    for param in op.get("parameters", []):
        name, where = param["name"], param["in"]
        value = _base_value(name, param.get("schema", {}))
        if override is not None and override[:2] == (where, name):
            value = override[2]
        elif not param.get("required") and where != "path":
            continue
        if where == "path":
            path = path.replace("{" + name + "}", value)
        elif where == "query":
            query.append(f"{name}={value}")
        elif where == "header":
            headers[name] = value
    return path + ("?" + "&".join(query) if query else ""), headers


def _overrides(op: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(location, name, raw value, label) for each parameter and each hostile value."""
    found = []
    for param in op.get("parameters", []):
        where, name = param["in"], param["name"]
        if where == "header":
            found.append((where, name, "a\x00b", "nul"))
            continue
        variants = dict(TEXT_VARIANTS)
        if name == "cursor":
            variants.update(CURSOR_VARIANTS)
        found += [(where, name, value, label) for label, value in variants.items()]
    return found


# The codeMinor values the CASE binding gives for each error status (none for the others).
CASE_MINORS = {
    400: {"invalid_selection_field"},
    401: {"unauthorised_request"},
    403: {"forbidden"},
    404: {"unknownobject", "invalid_uuid"},
    429: {"server_busy"},
}


def _is_case(path: str) -> bool:
    return path.startswith(CASE_ROOT + "/")


def _invalid_status(path: str) -> int:
    """What an invalid input gets: 422, but 400 under /xapi (the xAPI specification's)."""
    return 400 if path.startswith("/xapi/") else 422


def _status_info_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert the response is the CASE binding's imsx_StatusInfo for ``status``; return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    assert case_schemas.problems(case_schemas.STATUS_INFO, body) == [], body
    assert body["imsx_codeMajor"] == ("unsupported" if status in (405, 501) else "failure"), body
    assert body["imsx_severity"] == "error", body
    assert body["imsx_description"], body
    minors = {f["imsx_codeMinorFieldValue"] for f in _minor_fields(body)}
    if status in CASE_MINORS:
        assert minors, body
        assert minors <= CASE_MINORS[status], body
    else:
        assert not minors, body
    return body


def _minor_fields(body: dict[str, Any]) -> list[dict[str, str]]:
    fields: list[dict[str, str]] = (body.get("imsx_codeMinor") or {}).get("imsx_codeMinorField", [])
    return fields


def _error_of(response: httpx.Response, path: str) -> dict[str, Any]:
    """The error answer, asserted to be what the path's errors are: imsx_StatusInfo under the
    CASE root, an RFC 9457 problem anywhere else."""
    if _is_case(path):
        return _status_info_of(response, response.status_code)
    return problem_of(response, response.status_code)


def _names_the_parameter(response: httpx.Response, path: str, where: str, name: str) -> bool:
    """Whether the answer refuses text no database can hold and names the parameter: a 422
    problem listing it; under the CASE root, the binding's 400 invalid_selection_field naming a
    query parameter, or its 404 invalid_uuid for the identifier in the path."""
    if _is_case(path):
        status, named = (
            (404, ("sourcedId", "invalid_uuid"))
            if where == "path"
            else (400, (name, "invalid_selection_field"))
        )
        fields = _minor_fields(response.json()) if response.status_code == status else []
        return named in {
            (f["imsx_codeMinorFieldName"], f["imsx_codeMinorFieldValue"]) for f in fields
        }
    invalid = response.status_code == _invalid_status(path)
    errors = response.json().get("errors", []) if invalid else []
    return {"parameter": name, "in": where} in [
        {"parameter": e.get("parameter"), "in": e.get("in")} for e in errors
    ]


@pytest.fixture
async def tree(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    response = await client.post("/api/v1/agencies/bulk", json=TREE, headers=admin_headers)
    assert response.status_code == 200, response.text


BY_OPERATION = [pytest.param(m, p, op, id=f"{m} {p}") for m, p, op in OPERATIONS]


async def _parameter_failures(
    client: httpx.AsyncClient, admin_headers: dict[str, str], method: str, path: str, op: Any
) -> list[str]:
    """Each parameter at each hostile value: never a 500, and text no database can hold is a
    422 naming the parameter."""
    failures = []
    for where, name, value, label in _overrides(op):
        url, headers = _request(path, op, (where, name, value))
        response = await client.request(
            method,
            url,
            content=b"{}" if "requestBody" in op else None,
            headers={**admin_headers, **headers, "Content-Type": "application/json"},
        )
        what = f"{where} {name}={label}"
        if response.status_code >= 500:
            failures.append(f"{what}: {response.status_code} {response.text[:200]}")
            continue
        if response.status_code >= 400:
            _error_of(response, path)
        if label in ("nul", "surrogate", "not-utf8") and not _names_the_parameter(
            response, path, where, name
        ):
            failures.append(f"{what}: {response.status_code} {response.text[:200]}")
    return failures


def _deep(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


BODY_VARIANTS: dict[str, tuple[bytes, int, str | None, str | None]] = {
    # label: (body, status, rule, pointer) -- a bulk body is an array, so the pointer is /0/...
    "nul": (b'{"name": "a\\u0000b"}', 422, "nul-character", "/name"),
    "surrogate": (b'{"name": "a\\ud800b"}', 422, "lone-surrogate", "/name"),
    "surrogate-key": (b'{"a\\udfffb": 1}', 422, "lone-surrogate", ""),
    "encoded-surrogate": (b'{"name": "a\xed\xa0\x80b"}', 400, "json_invalid", ""),
    "not-utf8": (b'{"name": "\xff"}', 400, "json_invalid", ""),
    "deep-1000": (_deep(1000), 400, "max-depth", None),
    "deep-100": (_deep(100), 400, "max-depth", None),
    "deep-arrays": (b"[" * 100_000 + b"]" * 100_000, 400, "max-depth", None),
    "huge-int": (
        b'{"fiscal_year": ' + str(2**80).encode() + b', "priority": 1e400}',
        0,
        None,
        None,
    ),
    "broken": (b'{"name": ', 400, "json_invalid", ""),
    "nan": (b'{"name": NaN}', 0, None, None),
}


async def _body_failures(
    client: httpx.AsyncClient, admin_headers: dict[str, str], method: str, path: str, op: Any
) -> list[str]:
    """Each hostile body in each media type the operation takes: never a 500, and the answer
    names the rule and the pointer."""
    failures: list[str] = []
    if "requestBody" not in op:
        return failures
    url, headers = _request(path, op, None)
    for media_type, content in op["requestBody"]["content"].items():
        bulk = content.get("schema", {}).get("type") == "array" or media_type.endswith("ndjson")
        # bytes kept as sent (xAPI documents): no rule to name, only never a 500
        opaque = media_type == "application/octet-stream"
        for label, (body, status, rule, pointer) in BODY_VARIANTS.items():
            if bulk:
                body = b"[" + body + b"]" if media_type == "application/json" else body
                pointer = "/0" + pointer if pointer is not None and status == 422 else pointer
            response = await client.request(
                method,
                url,
                content=body,
                headers={**admin_headers, **headers, "Content-Type": media_type},
            )
            what = f"{media_type} {label}: {response.status_code} {response.text[:300]}"
            if response.status_code >= 500:
                failures.append(what)
                continue
            if response.status_code >= 400:
                _error_of(response, path)
            if not status or opaque or (media_type.endswith("ndjson") and status == 400):
                continue  # (the schema's own answer; an NDJSON line no JSON rejects its record)
            errors = response.json().get("errors", [])
            if status == 422:
                status = _invalid_status(path)
            if (
                response.status_code != status
                or rule not in {e.get("rule") for e in errors}
                or (pointer is not None and pointer not in {e.get("pointer") for e in errors})
            ):
                failures.append(what)
    return failures


@pytest.mark.usefixtures("tree")
@pytest.mark.parametrize(("method", "path", "op"), BY_OPERATION)
async def test_no_input_gets_a_500(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    method: str,
    path: str,
    op: dict[str, Any],
) -> None:
    failures = await _parameter_failures(client, admin_headers, method, path, op)
    failures += await _body_failures(client, admin_headers, method, path, op)
    assert not failures, "\n".join(failures)


def _integer_schemas(node: Any, seen: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                found += _integer_schemas(SPEC["components"]["schemas"][name], seen | {name})
            return found
        if node.get("type") in ("integer", "number") and "enum" not in node:
            node = {**node, "minimum": node.get("minimum", node.get("exclusiveMinimum"))}
            node["maximum"] = node.get("maximum", node.get("exclusiveMaximum"))
            found.append(node)
        for value in node.values():
            found += _integer_schemas(value, seen)
    elif isinstance(node, list):
        for value in node:
            found += _integer_schemas(value, seen)
    return found


@pytest.mark.parametrize(
    ("method", "path", "op"), [pytest.param(*o, id=f"{o[0]} {o[1]}") for o in OPERATIONS]
)
def test_every_number_an_operation_takes_is_bounded(
    method: str, path: str, op: dict[str, Any]
) -> None:
    """The class behind ``?revision=2147483648``: a number with no maximum reaches a column
    that cannot hold it. Every number in a parameter or body states both bounds."""
    inputs = [p.get("schema", {}) for p in op.get("parameters", [])]
    inputs.append(op.get("requestBody", {}))
    for schema in _integer_schemas(inputs):
        assert schema["minimum"] is not None, (method, path, schema)
        assert schema["maximum"] is not None, (method, path, schema)
        assert -(2**63) <= schema["minimum"] <= schema["maximum"] <= INT8_MAX, schema


def test_the_probe_covers_every_operation() -> None:
    probed = {(m, p) for m, p, op in OPERATIONS if op.get("parameters") or "requestBody" in op}
    assert len(probed) >= 60, len(probed)


PATHS = {
    path: {m.upper() for m in ops if m in {"get", "head", "post", "put", "patch", "delete"}}
    for path, ops in SPEC["paths"].items()
}


def _routed(url: str) -> set[str]:
    """The methods of the most specific path templates the URL fits: of those, the ones with a
    literal segment first where the others have a parameter (``PUT /people/match`` is no
    ``PUT /people/{person_id}``, ``/people/{id}/plans/validate`` no ``/plans/{fiscal_year}``;
    see InputRoute)."""
    fits = [
        (tuple("{" not in part for part in template.split("/")), methods)
        for template, methods in PATHS.items()
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), url)
    ]
    best = max((literal for literal, _ in fits), default=())
    return {m for literal, methods in fits if literal == best for m in methods}


async def test_a_405_lists_every_method_the_path_answers(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """On every path of the API, a method it does not answer gets 405 and an ``Allow`` that
    lists every method it does (routing stops at the first route that fits the path)."""
    failures = []
    for path, methods in PATHS.items():
        wrong = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET") if m not in methods)
        op = SPEC["paths"][path][next(iter(methods)).lower()]
        url = _request(path, op, None)[0].split("?")[0]
        if wrong in _routed(url):
            continue  # (another template answers it)
        response = await client.request(wrong, url, headers=admin_headers)
        (_status_info_of if _is_case(path) else problem_of)(response, 405)
        if set(response.headers["allow"].split(", ")) != _routed(url):
            failures.append(f"{wrong} {url}: Allow: {response.headers['allow']}")
    assert not failures, "\n".join(failures)
