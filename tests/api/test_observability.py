"""Metrics at /metrics (counted by route template and GraphQL operation, not open to the
world) and OpenTelemetry traces across FastAPI, Strawberry and SQLAlchemy (off by default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.api.graphql.schema import schema
from app.db.engine import create_engine, create_session_factory
from app.main import create_app
from app.observability import setup_tracing, trace_engine
from tests.conftest import build_runtime, make_settings


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_count_requests_by_route_template_and_graphql_operation(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    route = {"method": "GET", "route": "/api/v1/frameworks/{key}", "status": "404"}
    before = _value("thaksa_http_requests_total", **route)
    op_before = _value(
        "thaksa_graphql_operations_total", operation="WhoAmI", type="query", outcome="ok"
    )
    failures_before = _value("thaksa_authentication_failures_total", reason="missing")
    for key in ("nope-1", "nope-2"):
        response = await client.get(f"/api/v1/frameworks/{key}", headers=auth("reader"))
        assert response.status_code == 404
    answer = await client.post(
        "/graphql", json={"query": "query WhoAmI { me { subject } }"}, headers=auth("reader")
    )
    assert answer.json()["data"]["me"]["subject"] == "reader"
    assert (await client.get("/api/v1/me")).status_code == 401

    scraped = await client.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    assert 'route="/api/v1/frameworks/{key}"' in text
    assert "nope-1" not in text  # the template, never the path as sent
    assert "thaksa_http_request_duration_seconds_bucket" in text
    assert "thaksa_graphql_operation_duration_seconds_bucket" in text
    assert "thaksa_db_pool_connections_in_use" in text
    assert _value("thaksa_http_requests_total", **route) == before + 2
    assert (
        _value("thaksa_graphql_operations_total", operation="WhoAmI", type="query", outcome="ok")
        == op_before + 1
    )
    assert _value("thaksa_authentication_failures_total", reason="missing") == failures_before + 1


async def test_metrics_are_refused_to_callers_off_the_loopback_interface(app: Any) -> None:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as outside:
        response = await outside.get("/metrics")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "thaksa_" not in response.text


async def test_with_a_metrics_token_any_caller_with_it_gets_metrics_and_no_one_else(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    settings = make_settings(metrics_token="scrape-token-scrape-token-scrape!")
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    for client_address in (("127.0.0.1", 5000), ("203.0.113.7", 40000)):
        transport = httpx.ASGITransport(app=app, client=client_address)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.get("/metrics")).status_code == 401
            wrong = await c.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            right = await c.get(
                "/metrics", headers={"Authorization": "Bearer scrape-token-scrape-token-scrape!"}
            )
            assert right.status_code == 200
            assert "thaksa_http_requests_total" in right.text


async def test_records_synced_are_counted_by_kind_and_outcome(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    before = _value("thaksa_records_synced_total", kind="agencies", outcome="created")
    response = await client.post(
        "/api/v1/agencies/bulk",
        json=[
            {"code": "M1", "name_th": "กระทรวงหนึ่ง", "kind": "ministry"},
            {"code": "M2", "name_th": "กระทรวงสอง", "kind": "ministry"},
        ],
        headers=admin_headers,
    )
    assert response.json()["counts"]["created"] == 2
    assert _value("thaksa_records_synced_total", kind="agencies", outcome="created") == before + 2


async def test_tracing_is_off_by_default(app: Any) -> None:
    assert getattr(app.state, "tracer_provider", None) is None
    assert not any(getattr(e, "__name__", "") == "Tracing" for e in schema.extensions)


async def test_one_trace_spans_the_request_the_graphql_operation_and_its_sql(
    database_url: str, auth: Callable[..., dict[str, str]]
) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    settings = make_settings()
    # an engine of its own: connections opened before the instrumentation are not traced
    engine = create_engine(database_url, pool_size=2)
    runtime = build_runtime(settings, engine, create_session_factory(engine))
    app = create_app(settings, runtime=runtime)
    exporter = InMemorySpanExporter()
    extensions = schema.extensions
    try:
        setup_tracing(app, settings, exporter=exporter)
        trace_engine(app, engine)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            answer = await c.post(
                "/graphql?secret=1101700203450",
                json={
                    "query": "query Find($q: String!)"
                    " { framework(key: $q) { key } myPerson { id } }",
                    "variables": {"q": "ocsc-1101700203450"},
                },
                headers=auth("tracer"),
            )
        assert answer.status_code == 200, answer.text
    finally:
        schema.extensions = extensions
        SQLAlchemyInstrumentor().uninstrument()
        await engine.dispose()

    spans = exporter.get_finished_spans()
    names = [s.name for s in spans]
    assert any(n.startswith("POST") for n in names), names  # FastAPI
    assert "GraphQL Query: Find" in names, names  # Strawberry
    sql = [s for s in spans if {"db.statement", "db.query.text"} & set(s.attributes or {})]
    assert sql, names  # SQLAlchemy
    assert len({s.context.trace_id for s in spans}) == 1
    for span in spans:  # neither the query string nor a resolver argument
        assert "1101700203450" not in str(dict(span.attributes or {})), span.name


async def test_with_an_otlp_endpoint_spans_are_sent_there_over_http(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    auth: Callable[..., dict[str, str]],
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[tuple[str, str, int]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"] or 0)
            body = self.rfile.read(length)
            received.append((self.path, self.headers["Content-Type"], len(body)))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = make_settings(otlp_endpoint=f"http://127.0.0.1:{server.server_port}")
    extensions = schema.extensions
    try:
        app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
        provider = app.state.tracer_provider
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            assert (await c.get("/api/v1/me", headers=auth("traced"))).status_code == 200
        assert provider.force_flush(10_000)
        provider.shutdown()
    finally:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        # the suite's engine was instrumented by this app: later statements must not make
        # spans for a provider that is shut down (it logs that it ignores them)
        SQLAlchemyInstrumentor().uninstrument()
        schema.extensions = extensions
        server.shutdown()
    assert received, "no span was exported"
    path, content_type, size = received[0]
    assert path == "/v1/traces"
    assert content_type == "application/x-protobuf"
    assert size > 0
