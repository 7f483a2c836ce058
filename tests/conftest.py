"""Test fixtures: a real PostgreSQL (embedded unless THAKSA_TEST_DATABASE_URL), migrated once,
and each test inside a transaction that is rolled back, reached through the real ASGI app."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.db.embedded import async_url, start_embedded
from app.db.engine import create_engine, ensure_database, normalise_url
from app.db.migrate import upgrade_to_head
from app.main import create_app
from app.runtime import Runtime
from app.services.platform.ratelimit import RateLimiter
from app.services.platform.tokens import TokenService
from app.settings import REPO_ROOT, Settings

TEST_DB = "thaksa_test"

# These machines are noisy: no per-example deadline; fewer examples unless asked for more.
hypothesis_settings.register_profile(
    "thaksa", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("thorough", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "thaksa"))


def _in_thread(fn: Callable[[], Any]) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


@pytest.fixture(scope="session")
def database_url() -> str:
    given = os.environ.get("THAKSA_TEST_DATABASE_URL")
    if given:
        url = normalise_url(given)
    else:
        data_dir = Path(os.environ.get("THAKSA_DATA_DIR", REPO_ROOT / ".data")) / "test"
        url = async_url(start_embedded(data_dir), TEST_DB)
    _in_thread(lambda: asyncio.run(ensure_database(url, recreate=True)))
    _in_thread(lambda: upgrade_to_head(url))
    return url


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "jwt_secret": "test-secret-test-secret-test-secret!",
        "rate_limit_per_minute": 0,
        "load_seed_on_start": False,
        "graphiql": False,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url, pool_size=5)
    yield eng
    await eng.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection per test, in a transaction that is rolled back at the end."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            await trans.rollback()


@pytest.fixture
def session_factory(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Each unit of work becomes a SAVEPOINT inside the test's transaction.
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
async def session(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as s:
        yield s


def build_runtime(
    settings: Settings, engine: AsyncEngine, factory: async_sessionmaker[AsyncSession]
) -> Runtime:
    return Runtime(
        settings=settings,
        engine=engine,
        session_factory=factory,
        tokens=TokenService(settings),
        limiter=RateLimiter(settings.rate_limit_per_minute),
    )


@pytest.fixture
def runtime(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> Runtime:
    return build_runtime(settings, engine, session_factory)


@pytest.fixture
def app(runtime: Runtime) -> Any:
    return create_app(runtime.settings, runtime=runtime)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        yield c


@pytest.fixture
def mint(settings: Settings) -> Callable[..., str]:
    """mint("alice", "employee", agency="MOF") -> a valid bearer token."""
    tokens = TokenService(settings)

    def _mint(subject: str, *roles: str, agency: str | None = None, ttl: int = 600) -> str:
        return tokens.mint(subject, list(roles) or ["employee"], agency, ttl)

    return _mint


@pytest.fixture
def auth(mint: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """auth("alice", "employee", agency="MOF") -> headers with a bearer token."""

    def _auth(subject: str, *roles: str, agency: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(subject, *roles, agency=agency)}"}

    return _auth


@pytest.fixture
def admin_headers(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth("central-admin", "central_admin")


# --- framework data -------------------------------------------------------------------------

SEED_DIR = REPO_ROOT / "seed"


def operator_principal() -> Any:
    from app.domain.principal import Principal, PrincipalKind, Role

    return Principal(
        kind=PrincipalKind.USER, subject="test-operator", roles=frozenset({Role.CENTRAL_ADMIN})
    )


@pytest.fixture
async def seeded(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """The frameworks of seed/ loaded (inside the test's transaction); returns the load report."""
    from app.services.framework.seeding import load_all

    async with session_factory() as s, s.begin():
        report: dict[str, Any] = await load_all(s, SEED_DIR, operator_principal())
    return report


@pytest.fixture
def make_workforce(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
    seeded: dict[str, Any],
) -> Callable[..., Any]:
    """await make_workforce(stage="developing", groups=("TECHNOLOGIST",)) -> ids and headers of a
    director > head > officer line whose officer is ready to assess (see tests/workforce.py)."""
    from tests.workforce import build_workforce

    async def make(**options: Any) -> dict[str, Any]:
        return await build_workforce(client, session, auth, admin_headers, **options)

    return make
