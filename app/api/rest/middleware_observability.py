"""Every request's log line and metrics, and ``/metrics`` itself (pure ASGI).

The log line (logger ``thaksa.access``, INFO) names the request id, method, route template (never
the path as sent: no ids, no query string), status, latency, the caller's kind and agency, the
GraphQL operation name and, when tracing is on, the trace id. Nothing about the person concerned.
The probes (``/healthz``, ``/readyz``, ``/metrics``) log only when they fail.

``/metrics`` (Prometheus text format) answers a bearer token equal to ``THAKSA_METRICS_TOKEN``
when that is set, and otherwise only callers on the loopback interface.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from typing import Any

from fastapi.routing import _get_scope_effective_route_context
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.rest.problems import problem
from app.services.platform import telemetry
from app.services.platform.audit import request_id_var
from app.settings import Settings

log = logging.getLogger("thaksa.access")

METRICS_PATH = "/metrics"
PROBES = frozenset({"/healthz", "/readyz", METRICS_PATH})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _route_template(scope: Scope) -> str:
    """The template of the route that answered (``/api/v1/people/{person_id}``), as FastAPI
    resolved it through the included routers' prefixes; ``unmatched`` when none did."""
    context = _get_scope_effective_route_context(scope)
    path = getattr(context, "path_format", None) or getattr(scope.get("route"), "path", None)
    endpoint = scope.get("endpoint")
    if not path and endpoint is not None:
        # A plain Starlette route (GraphQL, first in the list): its own path.
        path = next(
            (
                r.path
                for r in getattr(scope.get("app"), "routes", ())
                if getattr(r, "endpoint", None) is endpoint
            ),
            None,
        )
    return str(path) if path else "unmatched"


def _is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


def metrics_text() -> tuple[bytes, str]:
    """The exposition of every metric: added up over the workers when there are several."""
    from prometheus_client import (
        CONTENT_TYPE_LATEST,
        REGISTRY,
        CollectorRegistry,
        generate_latest,
        multiprocess,
    )

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        token = settings.metrics_token
        self.metrics_token = token.get_secret_value().encode() if token else None
        self.tracing = bool(settings.otlp_endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH:
            await self._metrics(scope, send)
            return
        started = time.perf_counter()
        info = telemetry.RequestInfo()
        token = telemetry.request_info_var.set(info)
        status = 500
        trace_id: str | None = None

        async def observe(message: Message) -> None:
            nonlocal status, trace_id
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if self.tracing:
                    from app.observability import current_trace_id

                    trace_id = current_trace_id()
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            telemetry.request_info_var.reset(token)
            self._record(scope, status, time.perf_counter() - started, info, trace_id)

    def _record(
        self,
        scope: Scope,
        status: int,
        elapsed: float,
        info: telemetry.RequestInfo,
        trace_id: str | None,
    ) -> None:
        method = scope["method"]
        route = _route_template(scope)
        telemetry.HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        telemetry.HTTP_LATENCY.labels(method=method, route=route).observe(elapsed)
        if scope["path"] in PROBES and status < 400:
            return
        line: dict[str, Any] = {
            "request_id": str(request_id_var.get() or ""),
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(elapsed * 1000, 2),
            "caller_kind": info.caller_kind,
            "agency": info.agency,
        }
        if info.graphql_operation is not None:
            line["graphql_operation"] = info.graphql_operation
        if trace_id is not None:
            line["trace_id"] = trace_id
        log.info("%s %s %s", method, route, status, extra=line)

    async def _metrics(self, scope: Scope, send: Send) -> None:
        if self.metrics_token is not None:
            given = (_header(scope, b"authorization") or "").partition(" ")
            ok = given[0].lower() == "bearer" and hmac.compare_digest(
                given[2].strip().encode(), self.metrics_token
            )
            if not ok:
                await self._refuse(
                    scope, send, 401, "send 'Authorization: Bearer <THAKSA_METRICS_TOKEN>'"
                )
                return
        elif not _is_loopback(scope):
            await self._refuse(
                scope,
                send,
                403,
                "metrics are served on the loopback interface only; set THAKSA_METRICS_TOKEN"
                " to let a scraper elsewhere in with that bearer token",
            )
            return
        body, content_type = metrics_text()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
        response = problem(status, detail=detail, instance=scope["path"])
        await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
