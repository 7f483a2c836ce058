"""The application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from starlette.routing import Route

from app import __version__
from app.api import portal
from app.api.graphql.observability import install_metrics as install_graphql_metrics
from app.api.graphql.schema import graphql_endpoint
from app.api.rest import api_router, openapi, problems
from app.api.rest.framework import case
from app.api.rest.inputs import prepare_routes
from app.api.rest.learning import xapi, xapi_documents
from app.api.rest.middleware import (
    BodyGuardMiddleware,
    HeadMiddleware,
    RequestContextMiddleware,
)
from app.api.rest.middleware_observability import ObservabilityMiddleware
from app.api.rest.platform import health
from app.observability import (
    configure_logging,
    forget_this_process,
    setup_tracing,
    trace_engine,
)
from app.runtime import Runtime
from app.secret_check import refuse_insecure
from app.settings import Settings, get_settings

DESCRIPTION = """\
Thaksa runs the Thai civil service's digital-skills programme: the OCSC digital-skills framework,
the role matrix, self and supervisor assessment, individual development plans (70:20:10) and
learning records.

* REST under `/api/v1` for systems (agency HR systems, e-learning providers): API keys or
  user tokens.
* GraphQL at `/graphql` for portals: user tokens.
* 1EdTech CASE 1.1 under `/ims/case/v1p1` for frameworks (read).
* An xAPI 1.0.3 learning record store under `/xapi` for e-learning providers (statements,
  state, activity and agent profiles, agents, activities):
  HTTP Basic with an integration client's key id and secret, or an API key.

Errors are RFC 9457 problem details (`application/problem+json`).
"""

DOCS_ASSETS = "/docs/static"


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    database_url: str | None = None,
) -> FastAPI:
    """Build the app. Give ``runtime`` (tests) or ``database_url``; otherwise it is resolved from
    settings (starting the embedded PostgreSQL when no URL is configured)."""
    settings = settings or (runtime.settings if runtime else get_settings())
    configure_logging(settings)
    install_graphql_metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Whatever server runs the app: no start with public secrets where others can reach it.
        refuse_insecure(settings)
        if not hasattr(app.state, "runtime"):
            from app.db.engine import resolve_database_url

            app.state.runtime = Runtime.build(
                settings, database_url or resolve_database_url(settings)
            )
            trace_engine(app, app.state.runtime.engine)
        if runtime is None:
            # What is loaded by now (modules, schemas, mappers) lives as long as the process: out
            # of the collector's sight, so that collections triggered by bulk requests, which
            # allocate by the hundred thousand, do not walk it again and again.
            prepare_routes(app)
            gc.collect()
            gc.freeze()
            gc.set_threshold(50_000, 20, 20)
        yield
        if runtime is None:
            await app.state.runtime.engine.dispose()
            forget_this_process()

    # Swagger UI at /docs with its scripts, stylesheet and icon served by the service itself (from
    # the fastapi-offline package) rather than a CDN: government intranets often reach none.
    app = FastAPIOffline(
        title="Thaksa",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        static_url=DOCS_ASSETS,
        lifespan=lifespan,
        # one component per schema, named as its class (no "-Input"/"-Output" twins)
        separate_input_output_schemas=False,
    )
    if runtime is not None:
        app.state.runtime = runtime
    problems.install(app)
    openapi.install(app)
    app.include_router(health.router)
    app.include_router(api_router)
    app.include_router(case.router)
    problems.render_errors_under(case.ROOT, case.status_info_response)
    app.include_router(xapi.router)
    app.include_router(xapi_documents.router)
    problems.render_errors_under(xapi.ROOT, xapi.xapi_problem)
    # A plain route (not a FastAPI one): GraphQL reads its own credentials and body. First in
    # the list, so that routing does not try every REST route before it.
    app.router.routes.insert(
        0,
        Route(
            "/graphql",
            graphql_endpoint(
                graphiql=settings.graphiql, answer_cache=settings.graphql_answer_cache
            ),
        ),
    )

    portal.install(app, settings)

    app.add_middleware(BodyGuardMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(HeadMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "X-Request-ID", "Location"],
        )
    app.add_middleware(ObservabilityMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware)
    setup_tracing(app, settings)
    if runtime is not None:
        trace_engine(app, runtime.engine)
    return app
