"""The OpenAPI document as a client can rely on it, finished in one place rather than per route:

* the security schemes (user tokens, API keys) and, per operation, whether it needs them;
* every status an operation can answer, from what the operation has: credentials (401, 403,
  429), path parameters (404), parameters or a body (422), a body (400 malformed JSON, 413, 415),
  a write (409 when a concurrent write wins), ``If-Match`` (412), 503 (the database is
  unavailable) for authenticated operations, and 500;
* every error answer as ``application/problem+json`` with the one ``Problem`` schema;
* optional parameters without a ``null`` (they are left out, not sent as "null").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.rest.deps import get_principal
from app.api.rest.problems import PROBLEM_JSON, PROBLEM_MODEL

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "userToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A user's token from the identity provider: `Authorization: Bearer <JWT>`.",
    },
    "apiKeyBearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "thk_ API key",
        "description": "An integration client's API key: `Authorization: Bearer thk_…`.",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An integration client's API key in its own header: `X-API-Key: thk_…`.",
    },
    "clientBasic": {
        "type": "http",
        "scheme": "basic",
        "description": (
            "An integration client's key id (`thk_` and its key prefix) and secret (the part of"
            " the API key after the prefix) as HTTP Basic credentials, as xAPI clients send them."
        ),
    },
}
# Any one of them authenticates; what the caller may then do is decided per operation (403).
AUTHENTICATED: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]

WRITE_METHODS = {"post", "put", "patch", "delete"}
WHY: dict[int, str] = {
    400: "The body is not well-formed JSON (or NDJSON)",
    401: "No credentials, or credentials that are not valid",
    403: "The caller may not do this",
    404: "Nothing there, or not in the caller's agency scope",
    409: "A conflict with the current state, or a concurrent write won (retry)",
    412: "`If-Match` does not name the current version",
    413: "The body is over the size limit",
    415: "The body is not JSON",
    422: "The input is not valid: every problem, each with a pointer or parameter and a rule",
    429: "Too many requests: retry after `Retry-After` seconds",
    500: "An internal error (logged; the request changed nothing)",
    503: "The database is unavailable (stopped, restarting, read-only or out of disk): nothing "
    "was written; retry after `Retry-After` seconds",
}


# for a route that answers every invalid request with 400 (the xAPI LRS under /xapi)
WHY_BAD_REQUEST = (
    "The request is not valid: a parameter, a header or the body (every problem, each with a"
    " pointer or parameter and a rule)"
)


def _bad_request_statuses(route: Any) -> frozenset[int]:
    """The statuses a route answers as 400 instead (its class's ``bad_request_statuses``)."""
    found: frozenset[int] = getattr(
        getattr(route, "original_route", route), "bad_request_statuses", frozenset()
    )
    return found


def dependants(dependant: Dependant) -> Iterator[Dependant]:
    """A route's dependant and every sub-dependency's, depth first."""
    yield dependant
    for sub in dependant.dependencies:
        yield from dependants(sub)


def needs_credentials(route: Any) -> bool:
    return any(d.call is get_principal for d in dependants(route.dependant))


def statuses_of(operation: dict[str, Any], method: str, *, authenticated: bool) -> set[int]:
    """Every error status an operation can answer, from what it has."""
    params = operation.get("parameters", [])
    has_body = "requestBody" in operation
    found = {500}
    if authenticated:
        found |= {401, 403, 429, 503}
    if any(p["in"] == "path" for p in params):
        found.add(404)
    if params or has_body:
        found.add(422)
    if has_body:
        found |= {400, 413, 415}
    if method in WRITE_METHODS and authenticated:
        found.add(409)
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in params):
        found.add(412)
    return found


def _omitted_not_null(parameter: dict[str, Any]) -> None:
    """An optional parameter is left out, never sent as null: a header or query string has no
    null, and `?cursor=null` or `If-Match: null` would be the text "null"."""
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf")
    if parameter.get("required") or not branches:
        return
    kept = [b for b in branches if b.get("type") != "null"]
    if len(kept) == 1:
        del schema["anyOf"]
        schema.update(kept[0])
    elif len(kept) < len(branches):
        schema["anyOf"] = kept


def _own_body(route: Any, status: int) -> bool:
    """Whether the route declares its own, non-problem body for this status (a health probe's
    readiness body, the CASE binding's ``imsx_StatusInfo``): a model or a content of its own."""
    declared = route.responses.get(status, route.responses.get(str(status), {}))
    content = declared.get("content", {})
    return "model" in declared or (bool(content) and PROBLEM_JSON not in content)


def _own_error_content(route: Any, responses: dict[str, Any]) -> dict[str, Any] | None:
    """The error body of a route whose every error is its own: one that declares its own body
    even for 500 (the CASE binding, whose every error under its root is ``imsx_StatusInfo``, see
    ``problems.render_errors_under``). Its other error statuses then get that body too."""
    if not _own_body(route, 500):
        return None
    content = responses.get("500", {}).get("content")
    return dict(content) if content else None


def finish(document: dict[str, Any], routes: list[Any]) -> dict[str, Any]:
    """Add security, statuses and problem content types to ``document`` (in place)."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_MODEL
    components["securitySchemes"] = SECURITY_SCHEMES
    by_operation = {
        (route.path_format, method.lower()): route for route in routes for method in route.methods
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            route = by_operation[(path, method)]
            authenticated = needs_credentials(route)
            operation["security"] = AUTHENTICATED if authenticated else []
            for parameter in operation.get("parameters", []):
                _omitted_not_null(parameter)
            responses = operation.setdefault("responses", {})
            own_errors = _own_error_content(route, responses)
            statuses = statuses_of(operation, method, authenticated=authenticated)
            as_400 = _bad_request_statuses(route)
            if as_400:
                statuses = (statuses - as_400) | {400}
                for status in as_400:
                    responses.pop(str(status), None)
                responses.setdefault("400", {"description": WHY_BAD_REQUEST})
            for status in statuses:
                responses.setdefault(str(status), {"description": WHY[status]})
            for code, response in responses.items():
                if code[0] in "45" and not _own_body(route, int(code)):
                    response["content"] = own_errors or {PROBLEM_JSON: {"schema": PROBLEM_REF}}
                    if response.get("description") == HTTPStatus(int(code)).phrase:
                        why = {**WHY, 400: WHY_BAD_REQUEST} if as_400 else WHY
                        response["description"] = why.get(int(code), response["description"])
            operation["responses"] = dict(sorted(responses.items()))
    # FastAPI's own validation-error schemas are replaced by the problem everywhere.
    for unused in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(unused, None)
    return document


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and /openapi.json) return the finished document."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            # Included routers' routes, as FastAPI's own document generation sees them (each with
            # its prefix, dependencies and responses).
            routes = [
                r
                for r in iter_route_contexts(app.routes)
                if isinstance(r.original_route, APIRoute) and r.include_in_schema
            ]
            app.openapi_schema = finish(build(), routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
