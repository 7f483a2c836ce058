"""GraphQL errors with codes: every error carries ``extensions.code``; internals are masked."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from app.db.errors import concurrent_write
from app.domain import errors as e

log = logging.getLogger("thaksa.graphql")

CODE_BY_ERROR: dict[type[e.ThaksaError], str] = {
    e.BadRequest: "BAD_REQUEST",
    e.Unauthenticated: "UNAUTHENTICATED",
    e.Forbidden: "FORBIDDEN",
    e.NotFound: "NOT_FOUND",
    e.Conflict: "CONFLICT",
    e.PreconditionFailed: "PRECONDITION_FAILED",
    e.PayloadTooLarge: "PAYLOAD_TOO_LARGE",
    e.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    e.ValidationFailed: "VALIDATION_FAILED",
    e.RateLimited: "RATE_LIMITED",
}


def code_for(error: e.ThaksaError) -> str:
    for cls in type(error).__mro__:
        if cls in CODE_BY_ERROR:
            return CODE_BY_ERROR[cls]
    return "INTERNAL"


class CodedErrors(SchemaExtension):
    """Ends the operation's transaction and codes its errors.

    Commits when the operation had no error; otherwise rolls back, so a failed mutation leaves
    nothing half-written. Adds ``extensions.code`` (and field errors); hides unexpected exceptions.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        session = getattr(self.execution_context.context, "session", None)
        if session is not None:
            if errors:
                await session.rollback()
            else:
                await session.commit()
        if errors:
            result.errors = [self._process(err) for err in errors]  # type: ignore[union-attr]

    @staticmethod
    def _process(error: GraphQLError) -> GraphQLError:
        original = error.original_error
        while isinstance(original, GraphQLError):  # a variable a scalar refused: its own error
            original = original.original_error
        if original is not None and not isinstance(original, e.ThaksaError):
            conflict = concurrent_write(original)
            if conflict is not None:
                log.warning("concurrent write in a GraphQL operation: %s", original)
                original = conflict
        extensions: dict[str, Any] = dict(error.extensions or {})
        if isinstance(original, e.ThaksaError):
            extensions["code"] = code_for(original)
            extensions.update({k: v for k, v in original.extensions.items() if v is not None})
            if isinstance(original, e.ValidationFailed):
                extensions["errors"] = [fe.as_dict() for fe in original.errors]
            message = original.detail
        elif original is None:
            # parse / validation errors of the query itself
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            message = error.message
        else:
            log.error("unhandled GraphQL error", exc_info=original)
            extensions = {"code": "INTERNAL"}
            message = "an internal error occurred; it has been logged"
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )
