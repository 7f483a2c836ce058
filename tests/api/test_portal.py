"""The portal at /portal: built files with the single-page fallback and cache headers, its
configuration, and the development sign-in (404 unless THAKSA_DEV_SIGNIN is on)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.main import create_app
from app.secret_check import InsecureSettings, refuse_insecure
from tests.conftest import build_runtime, make_settings

INDEX = "<!doctype html><title>ทักษะ</title><div id=root></div>"
BUNDLE = "console.log('portal')"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text(BUNDLE, encoding="utf-8")
    return tmp_path


def _client_for(
    engine: AsyncEngine, factory: async_sessionmaker[AsyncSession], **settings: Any
) -> httpx.AsyncClient:
    runtime = build_runtime(make_settings(**settings), engine, factory)
    app = create_app(runtime.settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://thaksa.test")


@pytest.fixture
async def portal(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], dist: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with _client_for(engine, session_factory, portal_dir=dist) as c:
        yield c


@pytest.fixture
async def dev_portal(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], dist: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with _client_for(engine, session_factory, portal_dir=dist, dev_signin=True) as c:
        yield c


async def test_hashed_bundles_are_cached_for_a_year_and_the_page_is_revalidated(
    portal: httpx.AsyncClient,
) -> None:
    bundle = await portal.get("/portal/assets/index-abc123.js")
    assert bundle.status_code == 200
    assert bundle.text == BUNDLE
    assert bundle.headers["cache-control"] == "public, max-age=31536000, immutable"
    page = await portal.get("/portal/")
    assert page.status_code == 200
    assert page.text == INDEX
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["x-frame-options"] == "DENY"


async def test_an_application_path_answers_the_page_and_a_missing_file_404(
    portal: httpx.AsyncClient,
) -> None:
    deep = await portal.get("/portal/plan/2569")
    assert deep.status_code == 200
    assert deep.text == INDEX
    assert deep.headers["cache-control"] == "no-cache"
    assert (await portal.get("/portal/assets/gone-000.js")).status_code == 404
    assert (await portal.get("/portal/favicon.png")).status_code == 404
    root = await portal.get("/portal")
    assert root.status_code == 308
    assert root.headers["location"] == "/portal/"


async def test_an_unbuilt_portal_says_how_to_build_it(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    async with _client_for(engine, session_factory, portal_dir=tmp_path / "none") as c:
        response = await c.get("/portal/")
    assert response.status_code == 503
    assert "make run" in response.text


async def test_the_configuration_names_the_identity_provider(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], dist: Path
) -> None:
    async with _client_for(
        engine,
        session_factory,
        portal_dir=dist,
        oidc_issuer="https://id.example.go.th/realms/thaksa",
        oidc_client_id="thaksa-portal",
    ) as c:
        body = (await c.get("/portal/config.json")).json()
    assert body == {
        "graphql": "/graphql",
        "oidc": {
            "issuer": "https://id.example.go.th/realms/thaksa",
            "clientId": "thaksa-portal",
            "scope": "openid profile",
        },
        "devSignin": False,
    }


async def test_the_development_sign_in_is_404_unless_the_setting_is_on(
    portal: httpx.AsyncClient,
) -> None:
    assert (await portal.get("/portal/config.json")).json()["devSignin"] is False
    assert (await portal.get("/portal/signin/dev")).status_code == 404
    assert (await portal.get("/portal/dev/personas")).status_code == 404
    minted = await portal.post("/portal/dev/token", json={"subject": "somchai@rd.go.th"})
    assert minted.status_code == 404
    assert "access_token" not in minted.text


async def _person(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    agencies = await client.post(
        "/api/v1/agencies/bulk",
        json=[{"code": "PRT", "name_th": "กรมทดสอบพอร์ทัล", "kind": "department"}],
        headers=admin,
    )
    assert agencies.status_code == 200, agencies.text
    people = await client.post(
        "/api/v1/people/bulk",
        params={"source": "PRT"},
        json=[
            {"external_id": "B1", "first_name_th": "สมศรี", "last_name_th": "หัวหน้า",
             "agency": "PRT", "subject": "somsri@prt.go.th"},
            {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี",
             "agency": "PRT", "subject": "somchai@prt.go.th", "supervisor": "B1"},
        ],
        headers=admin,
    )  # fmt: skip
    assert people.json()["counts"]["created"] == 2, people.text


async def test_the_development_sign_in_mints_a_token_for_a_person_of_the_data(
    dev_portal: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await _person(dev_portal, admin_headers)
    assert (await dev_portal.get("/portal/signin/dev")).text == INDEX
    listed = (await dev_portal.get("/portal/dev/personas")).json()["items"]
    employee = next(p for p in listed if p["subject"] == "somchai@prt.go.th")
    assert employee["supervisor_subject"] == "somsri@prt.go.th"
    assert employee["has_reports"] is False
    boss = next(p for p in listed if p["subject"] == "somsri@prt.go.th")
    assert boss["has_reports"] is True

    minted = await dev_portal.post(
        "/portal/dev/token", json={"subject": "somsri@prt.go.th", "persona": "supervisor"}
    )
    assert minted.status_code == 200, minted.text
    token = minted.json()["access_token"]
    me = await dev_portal.post(
        "/graphql",
        json={"query": "{ me { subject roles agency } myPerson { firstNameTh } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    data = me.json()["data"]
    assert data["me"] == {
        "subject": "somsri@prt.go.th",
        "roles": ["employee", "supervisor"],
        "agency": "PRT",
    }
    assert data["myPerson"] == {"firstNameTh": "สมศรี"}
    unknown = await dev_portal.post("/portal/dev/token", json={"subject": "nobody@x"})
    assert unknown.status_code == 404


async def test_an_hr_officer_administers_the_agency_their_hr_system_speaks_for(
    dev_portal: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await _person(dev_portal, admin_headers)
    minted = await dev_portal.post(
        "/portal/dev/token", json={"subject": "somchai@prt.go.th", "persona": "hr"}
    )
    body = minted.json()
    assert body["person"]["source"] == "PRT"
    me = await dev_portal.post(
        "/graphql",
        json={"query": "{ me { roles agency } }"},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert me.json()["data"]["me"] == {"roles": ["agency_admin", "employee"], "agency": "PRT"}
    refused = await dev_portal.post(
        "/portal/dev/token", json={"subject": "somchai@prt.go.th", "persona": "central_admin"}
    )
    assert refused.status_code == 422


def test_start_up_refuses_the_development_sign_in_where_others_can_reach_it() -> None:
    settings = make_settings(
        dev_signin=True,
        jwt_secret="a-real-secret-of-enough-length-9f8e7d6c5b4a",
        pii_hash_key="another-real-key-of-enough-length-1a2b3c4d5e",
    )
    refuse_insecure(settings, "127.0.0.1")
    with pytest.raises(InsecureSettings, match="THAKSA_DEV_SIGNIN"):
        refuse_insecure(settings, "0.0.0.0")  # noqa: S104
    with pytest.raises(InsecureSettings, match="THAKSA_DEV_SIGNIN"):
        refuse_insecure(settings.model_copy(update={"env": "production"}), "127.0.0.1")
    refuse_insecure(settings.model_copy(update={"dev_signin": False}), "0.0.0.0")  # noqa: S104
