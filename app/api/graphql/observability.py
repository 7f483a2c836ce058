"""GraphQL operations in the metrics (by operation name) and, when tracing is on, in the traces.

Both are added to the schema's extensions when the app is built (``app/main.py``), so the
schema module stays as it is and a process without tracing runs no tracing code at all.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from app.api.graphql.schema import schema
from app.services.platform import telemetry

NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
MAX_NAMES = 500  # distinct operation names kept as labels (per process); later ones: "other"
_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """The metrics label of an operation: its name, bounded so that clients cannot make the
    label set grow without end."""
    if not name:
        return "anonymous"
    if not NAME.fullmatch(name):
        return "other"
    if name in _names:
        return name
    if len(_names) >= MAX_NAMES:
        return "other"
    _names.add(name)
    return name


class OperationMetrics(SchemaExtension):
    """Counts and times each operation by name; tells the request's log line its name."""

    def on_operation(self) -> Generator[None, None, None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        label = operation_label(context.operation_name)
        try:
            kind = context.operation_type.value
        except Exception:  # the document did not parse: no operation type
            kind = "unknown"
        result = context.result
        outcome = "error" if result is None or getattr(result, "errors", None) else "ok"
        telemetry.GRAPHQL_OPERATIONS.labels(operation=label, type=kind, outcome=outcome).inc()
        telemetry.GRAPHQL_LATENCY.labels(operation=label).observe(time.perf_counter() - started)
        telemetry.note_graphql_operation(label)


def _no_arguments(args: dict[str, Any], info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    """Resolver arguments may be personal data (names, national ids): never on a span."""
    return {}


def install_metrics() -> None:
    if OperationMetrics not in schema.extensions:
        schema.extensions = (*schema.extensions, OperationMetrics)


_tracer_provider: list[Any] = []  # the provider of the latest traced app of this process


def trace_graphql(tracer_provider: Any) -> None:
    """Add Strawberry's OpenTelemetry extension (spans for the operation, parsing, validation
    and each resolver), recording no resolver argument."""
    from strawberry.extensions.tracing import OpenTelemetryExtension

    _tracer_provider[:] = [tracer_provider]
    if any(getattr(e, "__name__", "") == "Tracing" for e in schema.extensions):
        return

    class Tracing(OpenTelemetryExtension):
        def __init__(self, *, execution_context: Any = None) -> None:
            super().__init__(
                execution_context=execution_context,
                arg_filter=_no_arguments,
                tracer_provider=_tracer_provider[0],
            )

    schema.extensions = (*schema.extensions, Tracing)
