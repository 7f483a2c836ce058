"""Pure ASGI middleware: request ids, body size limit (413), content types (415)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.rest.problems import problem
from app.services.platform.audit import request_id_var

JSON_TYPES = ("application/json", "application/x-ndjson", "application/merge-patch+json")
BODY_METHODS = {"POST", "PUT", "PATCH"}
OPAQUE_BODY_PATHS = frozenset(
    {"/xapi/activities/state", "/xapi/activities/profile", "/xapi/agents/profile"}
)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Gives every request an id (``X-Request-ID``, kept from the caller when it is a UUID)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        try:
            rid = uuid.UUID(given) if given else uuid.uuid4()
        except ValueError:
            rid = uuid.uuid4()
        token = request_id_var.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", str(rid).encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


def _alternate_syntax(scope: Scope) -> bool:
    """xAPI-Communication §1.3: ``POST ?method=GET|PUT|...`` with the request in a form."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return "method" in query


class BodyGuardMiddleware:
    """413 for bodies over the limit (declared or streamed), 415 for non-JSON writes to the API."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await self._reject(
                scope, send, 413, f"the body is {length} bytes; the limit is {self.max_body_bytes}"
            )
            return
        # a PUT with ?method= is no alternate request syntax (only a POST is), but is refused
        # for the same reason, before its form is taken for a body of the wrong type
        if path == "/xapi/statements" and _alternate_syntax(scope):
            await self._reject(
                scope,
                send,
                400,
                "the xAPI alternate request syntax (POST with ?method= and a form-encoded body) is"
                " not supported: send GET, PUT or POST itself, with the headers as headers and"
                " the statements as JSON",
                code="alternate-request-syntax",
            )
            return
        ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        # xAPI documents (state, profiles) are any content type, kept as received
        guarded = path.startswith(("/api/", "/graphql", "/ims/", "/xapi/")) and (
            path not in OPAQUE_BODY_PATHS
        )
        has_body = length not in (None, "0") or _header(scope, b"transfer-encoding") is not None
        if guarded and has_body and not (ctype in JSON_TYPES or ctype.endswith("+json")):
            await self._reject(
                scope,
                send,
                415,
                f"send JSON (Content-Type: application/json); got {ctype or 'no content type'!r}",
                accepted=list(JSON_TYPES),
            )
            return

        # Read the body here (the handler would read it all anyway) so that a streamed body over
        # the limit is refused with 413 before any handler sees it.
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                await self._reject(
                    scope, send, 413, f"the body is over the limit of {self.max_body_bytes} bytes"
                )
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _reject(scope: Scope, send: Send, status: int, detail: str, **ext: Any) -> None:
        response = problem(status, detail=detail, instance=scope["path"], **ext)
        await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class HeadMiddleware:
    """``HEAD`` answers what ``GET`` answers, headers only (RFC 9110 §9.3.2): the body the
    endpoint (or an error handler) wrote is dropped, its ``Content-Length`` kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, headers_only)
