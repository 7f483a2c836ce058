"""GraphQL over HTTP at ``/graphql``: one operation per POST, as JSON.

A request that is not a well-formed GraphQL-over-HTTP request (a body that is not a JSON object,
a batch, a missing or non-string ``query``, ``variables``/``extensions`` that are not objects, an
``operationName`` that is not a string) answers 400; a GET (operations are sent with POST) 405
with ``Allow: POST``. Each as ``{"errors": [...]}`` with ``extensions.code`` and the ``field`` at
fault, never plain text and never a 500. Errors of a well-formed request (syntax, validation,
operation selection, limits, fields) answer 200 with coded errors, as the GraphQL-over-HTTP spec
asks for ``application/json``.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.http import GraphQLRequestData
from strawberry.http.ides import get_graphql_ide_html
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from app.api.graphql import documents
from app.api.graphql.answers import Answers, eligible
from app.api.graphql.context import operation_context


class TransportError(Exception):
    def __init__(
        self,
        message: str,
        *,
        field: str,
        status: int = 400,
        code: str = "BAD_REQUEST",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.field, self.status, self.code = message, field, status, code
        self.headers = headers or {}

    def response(self) -> Response:
        error = {"message": self.message, "extensions": {"code": self.code, "field": self.field}}
        return JSONResponse({"errors": [error]}, status_code=self.status, headers=self.headers)


NOT_JSON = TransportError(
    "send the operation as a JSON object (Content-Type: application/json)",
    field="body",
    status=415,
    code="UNSUPPORTED_MEDIA_TYPE",
)
GET_REFUSED = TransportError(
    "send GraphQL operations with POST, as a JSON object",
    field="method",
    status=405,
    code="METHOD_NOT_ALLOWED",
    headers={"Allow": "POST"},
)


def _object_or_null(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = data.get(name)
    if value is not None and not isinstance(value, dict):
        raise TransportError(
            f"`{name}` must be a JSON object (or left out), not {_kind(value)}", field=name
        )
    return value


def _kind(value: object) -> str:
    return {
        type(None): "null",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), "a value")


def request_data(data: object) -> GraphQLRequestData:
    """The operation a decoded JSON body asks for, or :class:`TransportError` naming the field
    that makes it not a GraphQL-over-HTTP request."""
    if isinstance(data, list):
        raise TransportError(
            "batched operations are not supported: send one operation per request",
            field="body",
        )
    if not isinstance(data, dict):
        raise TransportError(
            f"the body must be a JSON object with a `query` string, not {_kind(data)}",
            field="body",
        )
    query = data.get("query")
    extensions = _object_or_null(data, "extensions")
    if query is None and not (extensions or {}).get("persistedQuery"):
        raise TransportError(
            "`query` is required: the GraphQL document, as a string", field="query"
        )
    if query is not None and not isinstance(query, str):
        raise TransportError(f"`query` must be a string, not {_kind(query)}", field="query")
    name = data.get("operationName")
    if name is not None and not isinstance(name, str):
        raise TransportError(
            f"`operationName` must be a string (or left out), not {_kind(name)}",
            field="operationName",
        )
    return GraphQLRequestData(
        query=query,
        variables=_object_or_null(data, "variables"),
        operation_name=name,
        extensions=extensions,
        protocol="http",
    )


class GraphQLEndpoint:
    """``/graphql`` as a plain ASGI app: no FastAPI dependency solving, no thread pool; it reads
    the credentials from the headers itself and hands the operation to the schema.

    Documents are parsed and validated once (``documents``); a persisted-query hash stands in
    for a document the client sent before."""

    def __init__(self, schema: Any, *, graphiql: bool, answer_cache: int = 0) -> None:
        self.schema = schema
        self.ide_html = get_graphql_ide_html("graphiql") if graphiql else None
        self.answers = Answers(answer_cache)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method != "POST":
            accept = request.headers.get("accept", "")
            if self.ide_html is not None and request.method == "GET" and "text/html" in accept:
                return HTMLResponse(self.ide_html)
            return GET_REFUSED.response()
        content_type, _ = parse_content_type(request.headers.get("content-type", ""))
        if content_type not in ("application/json", "application/graphql-response+json"):
            return NOT_JSON.response()
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return TransportError("the body is not valid JSON", field="body").response()
        try:
            operation = request_data(data)
            query = documents.resolve_persisted(operation.query, operation.extensions)
        except TransportError as exc:
            return exc.response()
        except documents.PersistedQueryError as exc:
            error = {"message": exc.message, "extensions": {"code": exc.code}}
            return JSONResponse({"errors": [error]})
        headers = request.headers
        async with operation_context(
            request.app.state.runtime,
            authorization=headers.get("authorization"),
            api_key=headers.get("x-api-key"),
        ) as context:
            key = None
            if query is not None and eligible(query, operation.operation_name):
                key = await self.answers.key(
                    context, query, operation.operation_name, operation.variables
                )
                kept = self.answers.get(key) if key is not None else None
                if kept is not None:
                    return Response(kept, 200, media_type="application/json")
            try:
                result = await self.schema.execute(
                    query,
                    variable_values=operation.variables,
                    context_value=context,
                    operation_name=operation.operation_name,
                    allowed_operation_types=ALLOWED,
                )
            except InvalidOperationTypeError as exc:
                reason = exc.as_http_error_reason("POST")
                return TransportError(reason, field="query").response()
            except CannotGetOperationTypeError as exc:
                reason = exc.as_http_error_reason()
                return TransportError(reason, field="operationName").response()
        body: dict[str, Any] = {"data": result.data}
        status, headers_out = 200, {}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
            waits = [
                int(ext.get("retry_after") or 5)
                for error in result.errors
                if (ext := error.extensions or {}).get("code") == "UNAVAILABLE"
            ]
            if waits and result.data is None:
                # the database is down: as REST answers, so that clients and proxies back off
                status, headers_out = 503, {"Retry-After": str(max(waits))}
        if result.extensions:
            body["extensions"] = result.extensions
        content = orjson.dumps(body)
        if key is not None and not result.errors and result.data is not None:
            self.answers.put(key, content)
        return Response(content, status, headers_out, media_type="application/json")


ALLOWED = frozenset({OperationType.QUERY, OperationType.MUTATION})
