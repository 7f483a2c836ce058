"""RFC 9457 problem details: the one mapping from errors to HTTP responses."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.db.errors import DATABASE_ERRORS, concurrent_write, unavailable
from app.domain import errors as e

log = logging.getLogger("thaksa.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:thaksa:problem:"

STATUS_BY_ERROR: dict[type[e.ThaksaError], int] = {
    e.BadRequest: 400,
    e.Unauthenticated: 401,
    e.Forbidden: 403,
    e.NotFound: 404,
    e.Conflict: 409,
    e.PreconditionFailed: 412,
    e.PayloadTooLarge: 413,
    e.UnsupportedMediaType: 415,
    e.ValidationFailed: 422,
    e.RateLimited: 429,
    e.Unavailable: 503,
}

CODE_BY_STATUS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
    500: "internal-error",
    503: "unavailable",
}


# Paths whose standard prescribes its own error body (the CASE REST binding's imsx_StatusInfo under
# /ims/case/v1p1): every error there, whatever raised it, is rendered by that path's renderer.
ErrorBody = Callable[
    [int, str, str, Sequence[dict[str, Any]] | None, Mapping[str, str] | None, dict[str, Any]],
    JSONResponse,
]
_ERROR_BODIES: dict[str, ErrorBody] = {}


def render_errors_under(prefix: str, renderer: ErrorBody) -> None:
    """Errors on paths starting with ``prefix`` get ``renderer``'s body instead of a problem."""
    _ERROR_BODIES[prefix.rstrip("/")] = renderer


def status_for(error: e.ThaksaError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def problem(
    status: int,
    *,
    detail: str,
    instance: str,
    code: str | None = None,
    title: str | None = None,
    errors: Sequence[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    code = code or CODE_BY_STATUS.get(status, "error")
    for prefix, render in _ERROR_BODIES.items():
        if instance == prefix or instance.startswith(prefix + "/"):
            return render(
                status, code, detail, errors, headers, {**extensions, "instance": instance}
            )
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors is not None:
        body["errors"] = list(errors)
    body.update({k: v for k, v in extensions.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _pointer(loc: Sequence[Any]) -> dict[str, Any]:
    where, *path = loc or ["body"]
    escaped = "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
    if where == "body":
        return {"pointer": "/" + escaped if escaped else ""}
    if where == "header":  # as the header is spelled in the documentation: If-Match
        escaped = "-".join(word.capitalize() for word in escaped.split("-"))
    return {"parameter": escaped, "in": where}


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    items = []
    for err in exc.errors():
        item = _pointer(err.get("loc", ()))
        item["rule"] = err.get("type", "invalid")
        item["detail"] = err.get("msg", "invalid")
        items.append(item)
    return items


async def _thaksa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.ThaksaError)
    status = status_for(exc)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="thaksa"'
    if isinstance(exc, e.RateLimited | e.Unavailable) and "retry_after" in exc.extensions:
        headers["Retry-After"] = str(exc.extensions["retry_after"])
    extensions = dict(exc.extensions)
    errors = extensions.pop("errors", None)  # (a bad request may name what it is about)
    if isinstance(exc, e.ValidationFailed):
        errors = [fe.as_dict() for fe in exc.errors]
    return problem(
        status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        errors=errors,
        headers=headers,
        **extensions,
    )


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = validation_errors(exc)
    if any(i["rule"] == "json_invalid" for i in items):
        return problem(
            400,
            code="malformed-json",
            title="Malformed JSON",
            detail="the request body is not valid JSON",
            instance=request.url.path,
            errors=items,
        )
    return problem(
        422,
        title="The input is not valid",
        detail="; ".join(
            f"{i.get('pointer') or i.get('parameter') or '/'}: {i['detail']}" for i in items[:5]
        ),
        instance=request.url.path,
        errors=items,
    )


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        detail = (
            f"{request.method} is not allowed on {request.url.path}; use {' or '.join(allowed)}"
        )
    return problem(exc.status_code, detail=detail, instance=request.url.path, headers=headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path (routing stops at the first route that
    matches the path, whose methods may be only some of them)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]
    return allowed


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """A write refused because another request wrote first is a 409 the client can retry;
    any other database error is internal."""
    conflict = concurrent_write(exc)
    if conflict is None:
        return await _unhandled(request, exc)
    log.warning("concurrent write on %s %s: %s", request.method, request.url.path, exc)
    return await _thaksa_error(request, conflict)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    down = unavailable(exc)
    if down is not None:
        log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        return await _thaksa_error(request, down)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        detail="an internal error occurred; it has been logged",
        instance=request.url.path,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(e.ThaksaError, _thaksa_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _database_error)
    app.add_exception_handler(Exception, _unhandled)


# For the OpenAPI document (components/schemas/Problem; app/api/rest/openapi.py puts it on every
# error answer).
PROBLEM_MODEL: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string"},
                    "parameter": {"type": "string"},
                    "in": {"type": "string"},
                    "rule": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Statuses a route answers beyond those its shape implies (app/api/rest/openapi.py)."""
    return {
        s: {
            "description": HTTPStatus(s).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
