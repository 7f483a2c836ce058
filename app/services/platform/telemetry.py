"""What the service counts (Prometheus metrics) and what one request's log line says about it.

The metrics are module-level prometheus-client objects. Under several workers ``thaksa serve``
sets ``PROMETHEUS_MULTIPROC_DIR`` before any worker starts, so each worker writes its values to
files there and ``/metrics`` adds them up (``app/api/rest/middleware_observability.py``).

``RequestInfo`` is filled while a request runs (who called, which GraphQL operation) and read
by the request's log line at its end: never a name, an e-mail, a national id or a body.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from prometheus_client import Counter, Gauge, Histogram

from app.domain.principal import Principal

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "thaksa_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "thaksa_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_OPERATIONS = Counter(
    "thaksa_graphql_operations",
    "GraphQL operations run, by operation name, type and outcome (ok or error).",
    ["operation", "type", "outcome"],
)
GRAPHQL_LATENCY = Histogram(
    "thaksa_graphql_operation_duration_seconds",
    "Time to parse, validate and execute a GraphQL operation, by operation name.",
    ["operation"],
    buckets=LATENCY_BUCKETS,
)
DB_POOL_IN_USE = Gauge(
    "thaksa_db_pool_connections_in_use",
    "Database connections checked out of the pools now (all workers).",
    multiprocess_mode="livesum",
)
DB_POOL_OPEN = Gauge(
    "thaksa_db_pool_connections_open",
    "Database connections the pools hold open now, in use or idle (all workers).",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    "thaksa_db_pool_capacity",
    "Connections the pools may open at most (pool size + overflow, all workers).",
    multiprocess_mode="livesum",
)
RECORDS_SYNCED = Counter(
    "thaksa_records_synced",
    "Records received by the bulk writes (HRIS syncs), by kind and outcome.",
    ["kind", "outcome"],
)
AUTH_FAILURES = Counter(
    "thaksa_authentication_failures",
    "Requests refused as unauthenticated (401), by reason.",
    ["reason"],
)
RATE_LIMITED = Counter(
    "thaksa_rate_limit_refusals",
    "Requests refused by the rate limiter (429), by caller kind.",
    ["caller_kind"],
)


@dataclass
class RequestInfo:
    """Filled during a request, read by its log line: ids and kinds only, no personal data."""

    caller_kind: str | None = None
    agency: str | None = None
    graphql_operation: str | None = None


request_info_var: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "thaksa_request_info", default=None
)


def note_principal(principal: Principal) -> None:
    info = request_info_var.get()
    if info is not None:
        info.caller_kind = principal.kind.value
        info.agency = principal.agency


def note_graphql_operation(name: str) -> None:
    info = request_info_var.get()
    if info is not None:
        info.graphql_operation = name


def note_auth_failure(reason: str) -> None:
    AUTH_FAILURES.labels(reason=reason).inc()


def note_rate_limited(caller_kind: str) -> None:
    RATE_LIMITED.labels(caller_kind=caller_kind).inc()


def note_synced(kind: str, counts: dict[str, int]) -> None:
    for outcome, n in counts.items():
        if n:
            RECORDS_SYNCED.labels(kind=kind, outcome=outcome).inc(n)
