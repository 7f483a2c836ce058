"""GraphQL errors with codes: every error carries ``extensions.code``; internals are masked."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from app.db.errors import concurrent_write, unavailable
from app.domain import errors as e
from app.services.platform.audit import request_id_var

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
    e.Unavailable: "UNAVAILABLE",
}

INTERNAL_MESSAGE = "an internal error occurred; it has been logged"


def code_for(error: e.ThaksaError) -> str:
    for cls in type(error).__mro__:
        if cls in CODE_BY_ERROR:
            return CODE_BY_ERROR[cls]
    return "INTERNAL"


def request_error(message: str, code: str, **extensions: Any) -> GraphQLError:
    """An error of the request itself (document, operation, limits), already coded."""
    return GraphQLError(message, extensions={"code": code, **extensions})


def internal_extensions(error: BaseException | None) -> dict[str, Any]:
    """Log an unexpected failure in full; give the client only a code and the request id."""
    rid = request_id_var.get()
    log.error("unhandled GraphQL error (request %s)", rid, exc_info=error)
    extensions: dict[str, Any] = {"code": "INTERNAL"}
    if rid is not None:
        extensions["requestId"] = str(rid)
    return extensions


def coded(error: GraphQLError) -> GraphQLError:
    """``error`` as the client may see it: with ``extensions.code``, internals masked."""
    original = error.original_error
    # a variable a scalar refused (a date, say): graphql-core wraps the scalar's own error, and
    # its message names the variable as well as the scalar's reason
    named_by_graphql = isinstance(original, GraphQLError)
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if original is not None and not isinstance(original, e.ThaksaError):
        conflict = concurrent_write(original)
        down = unavailable(original) if conflict is None else None
        if conflict is not None:
            log.warning("concurrent write in a GraphQL operation: %s", original)
            original = conflict
        elif down is not None:
            log.warning("database unavailable in a GraphQL operation: %r", original)
            original = down
    extensions: dict[str, Any] = dict(error.extensions or {})
    if isinstance(original, e.ThaksaError):
        extensions["code"] = code_for(original)
        extensions.update({k: v for k, v in original.extensions.items() if v is not None})
        if isinstance(original, e.ValidationFailed):
            extensions["errors"] = [fe.as_dict() for fe in original.errors]
        message = error.message if named_by_graphql else original.detail
    elif original is None or (isinstance(original, GraphQLError) and error.path is None):
        # parse / validation errors of the document itself, variables that do not fit their
        # type (graphql-core's own error, wrapped), or request errors already coded
        extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        message = error.message
    else:
        extensions, message = internal_extensions(original), INTERNAL_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class CodedErrors(SchemaExtension):
    """Ends the operation's transaction and codes its errors.

    Commits when the operation had no error; otherwise rolls back, so a failed mutation leaves
    nothing half-written. The transaction ends only once database work still in flight (of
    fields cancelled when a sibling failed) is done. Adds ``extensions.code`` (and field
    errors); hides unexpected exceptions.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        finish = getattr(context, "finish", None)
        try:
            yield
        except asyncio.CancelledError:
            # Out of time (``Schema.execute``) or the client went away: stop, do not wait.
            if finish is not None:
                await context.abort()
            raise
        except BaseException:
            if finish is not None:
                await finish(commit=False)
            raise
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if finish is not None:
            try:
                await finish(commit=not errors)
            except Exception as exc:
                # The commit itself was refused (a constraint checked at commit, a lost
                # connection): nothing was written, and the answer must not claim otherwise.
                failed = GraphQLError("commit failed", original_error=exc)
                if result is not None:
                    result.data = None
                    result.errors = [*(errors or []), failed]
                errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self._process(err) for err in errors]  # type: ignore[union-attr]

    @staticmethod
    def _process(error: GraphQLError) -> GraphQLError:
        return coded(error)
