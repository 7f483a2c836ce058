from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.db.engine import create_engine, create_session_factory, ensure_database
from app.main import create_app
from app.settings import Settings
from tests.conftest import build_runtime


async def test_healthz_answers_while_the_process_is_up(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_the_database_at_the_migration_head(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["migration"] == body["head"]


async def test_readyz_is_quiet_however_often_it_is_asked(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Orchestrators ask every few seconds: a readiness check must not fill the log.
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        response = await client.get("/readyz")
        assert response.status_code == 200, response.text
    served = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    noisy = [r for r in served if r.levelno >= logging.INFO or r.name.startswith("alembic")]
    assert [f"{r.name}: {r.getMessage()}" for r in noisy] == []


async def test_readyz_is_503_on_a_database_that_is_not_migrated(
    database_url: str, settings: Settings
) -> None:
    url = (
        make_url(database_url)
        .set(database="thaksa_test_unmigrated")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    engine = create_engine(url, pool_size=1)
    try:
        runtime = build_runtime(settings, engine, create_session_factory(engine))
        app = create_app(settings, runtime=runtime)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            response = await c.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "migrations-pending"
    finally:
        await engine.dispose()


async def test_openapi_document_is_openapi_3_1(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/me" in doc["paths"]


async def test_docs_page_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


async def test_docs_page_works_offline_every_asset_is_served_by_the_service(
    client: httpx.AsyncClient,
) -> None:
    # Government intranets often reach no CDN: the page may only name this service's own URLs.
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert re.findall(r"(?:https?:)?//[\w.-]+", page.text) == []
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
    assert {PurePosixPath(a).suffix for a in assets} >= {".js", ".css"}, assets
    for asset in assets:
        assert asset.startswith("/"), asset
        response = await client.get(asset)
        assert response.status_code == 200, asset
        expected = ASSET_TYPES[PurePosixPath(asset).suffix]
        assert response.headers["content-type"].split(";")[0] == expected, asset
        assert len(response.content) > 1000, asset
    spec = re.search(r"""url:\s*["']([^"']+)["']""", page.text)
    assert spec is not None
    assert (await client.get(spec.group(1))).json()["openapi"].startswith("3.1")
