"""What every GraphQL request passes before it may run, cheapest first.

1. Parsing stops at :attr:`Budget.max_tokens` tokens.
2. The operation to run is chosen as the GraphQL spec says: the one ``operationName`` names, or
   the only one; several operations without ``operationName`` are refused, as is a name the
   document does not define.
3. One linear pass (:mod:`app.api.graphql.limits`) measures depth, aliases and the
   fragment-expanded field count of every operation and fragment, refuses cycles and unknown
   fragments, and finds NUL characters and lone surrogates in arguments and variables, all
   before any validator that expands fragments.
4. Validation, with introspection and "Did you mean …?" suggestions only for authenticated
   callers unless ``THAKSA_GRAPHQL_PUBLIC_INTROSPECTION`` opens them to everyone.

A document that passed 1-4 is kept (:mod:`app.api.graphql.documents`, keyed by its text): the
next request with the same text skips parsing, measuring and validation, and only 2 and the
variables' text are checked again.

Execution is bounded by ``THAKSA_GRAPHQL_TIMEOUT_SECONDS`` (see ``schema.Schema.execute``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql.language import DocumentNode, OperationDefinitionNode, OperationType
from graphql.validation import NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension

from app.api.graphql import documents
from app.api.graphql.errors import request_error
from app.api.graphql.limits import (
    BadFragment,
    BadText,
    Budget,
    OverBudget,
    bad_text_in_variables,
    measure,
)
from app.domain.errors import ThaksaError

BUDGET = Budget()
# Validation stops after this many errors (a hostile document can have thousands).
MAX_VALIDATION_ERRORS = 20


def _select_operation(document: DocumentNode, name: str | None) -> None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        if not any(op.name and op.name.value == name for op in operations):
            raise request_error(
                f"the document defines no operation named {name!r}",
                "BAD_REQUEST",
                field="operationName",
            )
    elif len(operations) > 1:
        raise request_error(
            f"the document defines {len(operations)} operations: name the one to run in "
            "`operationName`",
            "BAD_REQUEST",
            field="operationName",
        )


class RequestGuard(SchemaExtension):
    """Refuses, with coded errors, what is too costly or malformed before it is validated or
    run; decides whether the caller may see introspection and suggestions."""

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        ec.parse_options["max_tokens"] = BUDGET.max_tokens
        cached = documents.known(ec.query)
        if cached is not None:
            # Measured when first seen: only what differs between requests is checked again.
            ec.graphql_document = cached.document
        yield
        if cached is not None:
            _select_operation(cached.document, ec._provided_operation_name)
            self._mark_read_only(cached.document)
            self._refuse_bad_text(cached.bad_text)
            return
        for error in ec.pre_execution_errors or ():
            error.extensions = {"code": "GRAPHQL_PARSE_FAILED"}
            if "Document contains more than" in error.message:
                error.message = (
                    f"the document is too long: more than {BUDGET.max_tokens} tokens, at most "
                    f"{BUDGET.max_tokens}"
                )
                error.extensions = {
                    "code": "QUERY_TOO_COMPLEX",
                    "limit": "tokens",
                    "max": BUDGET.max_tokens,
                }
        document = ec.graphql_document
        if document is None:
            return
        _select_operation(document, ec._provided_operation_name)
        try:
            meter = measure(document, BUDGET)
        except OverBudget as exc:
            raise request_error(
                exc.message,
                "QUERY_TOO_COMPLEX",
                limit=exc.limit,
                max=exc.maximum,
                actual=exc.actual,
            ) from None
        except BadFragment as exc:
            raise request_error(str(exc), "GRAPHQL_VALIDATION_FAILED") from None
        documents.remember(ec.query, document, meter.bad_text)
        self._mark_read_only(document)
        self._refuse_bad_text(meter.bad_text)

    def _mark_read_only(self, document: DocumentNode) -> None:
        ec = self.execution_context
        kind = documents.operation_type(document, ec._provided_operation_name)
        if kind is OperationType.QUERY and hasattr(ec.context, "read_only"):
            ec.context.read_only = True

    def _refuse_bad_text(self, in_document: list[BadText]) -> None:
        bad = in_document + bad_text_in_variables(self.execution_context.variables)
        if bad:
            raise request_error(
                "; ".join(b.message for b in bad[:5]),
                "VALIDATION_FAILED",
                errors=[{"pointer": b.pointer, "rule": "text", "detail": b.message} for b in bad],
            )

    async def on_validate(self) -> AsyncIterator[None]:
        ec = self.execution_context
        context: Any = ec.context
        explore = context.runtime.settings.graphql_public_introspection
        if not explore:
            try:
                await context.principal()
                explore = True
            except ThaksaError:
                explore = False
        context.hide_suggestions = not explore
        audience = "explore" if explore else "plain"
        cached = documents.known(ec.query)
        if cached is not None and audience in cached.validated:
            ec.pre_execution_errors = []
            yield
            return
        rules = list(ec.validation_rules)
        if not explore:
            rules.append(NoSchemaIntrospectionCustomRule)
        assert ec.graphql_document is not None
        ec.pre_execution_errors = validate(
            ec.schema._schema,
            ec.graphql_document,
            rules,
            max_errors=MAX_VALIDATION_ERRORS,
            hide_suggestions=not explore,
        )
        if cached is not None and not ec.pre_execution_errors:
            cached.validated.add(audience)
        yield
