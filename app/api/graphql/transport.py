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

from cross_web import HTTPException
from fastapi import Request
from starlette.responses import JSONResponse, Response
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types.unset import UNSET

from app.api.graphql.context import Context, get_context


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
    if query is None:
        raise TransportError(
            "`query` is required: the GraphQL document, as a string", field="query"
        )
    if not isinstance(query, str):
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
        extensions=_object_or_null(data, "extensions"),
        protocol="http",
    )


class GraphQLTransport(GraphQLRouter[Context, None]):
    def __init__(self, schema: Any, *, graphiql: bool) -> None:
        super().__init__(
            schema,
            context_getter=get_context,  # type: ignore[arg-type]
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            subscription_protocols=(),
        )

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        if request.method == "GET":
            raise GET_REFUSED
        content_type, _ = parse_content_type(request.content_type or "")
        if content_type not in ("application/json", "application/graphql-response+json"):
            raise NOT_JSON
        try:
            data = json.loads(await request.get_body())
        except (ValueError, UnicodeDecodeError):
            raise TransportError("the body is not valid JSON", field="body") from None
        return request_data(data)

    async def run(  # type: ignore[override]
        self, request: Request, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except TransportError as exc:
            return exc.response()
        except HTTPException as exc:
            # What strawberry itself refuses before an operation runs (GET when the IDE is off).
            if exc.status_code in (404, 405) or request.method == "GET":
                return GET_REFUSED.response()
            return TransportError(exc.reason, field="body", status=exc.status_code).response()
