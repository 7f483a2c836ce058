"""Engine, session factory and the resolution of which PostgreSQL to use."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.db.embedded import async_url, start_embedded
from app.settings import Settings


def normalise_url(url: str) -> str:
    """Accept `postgres://`, `postgresql://` or `postgresql+asyncpg://`; give the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def resolve_database_url(settings: Settings) -> str:
    """The asyncpg URL of the application database, starting the embedded server if needed."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    admin = start_embedded(settings.data_dir)
    return async_url(admin, settings.database_name)


def describe_database(settings: Settings) -> str:
    """Which database the settings designate, for a person: the URL without its password, or the
    embedded cluster's folder. Starts nothing."""
    if settings.database_url:
        parsed = make_url(normalise_url(settings.database_url))
        shown = URL.create(
            "postgresql",
            username=parsed.username,
            host=parsed.host,
            port=parsed.port,
            database=parsed.database,
            query={k: v for k, v in parsed.query.items() if k.lower() != "password"},
        )
        return shown.render_as_string(hide_password=True)
    pgdata = (settings.data_dir / "pg").resolve()
    return f"embedded PostgreSQL in {pgdata} (THAKSA_DATA_DIR), database {settings.database_name}"


async def database_exists(url: str) -> bool:
    """Whether the database named in ``url`` exists (connection errors propagate)."""
    try:
        conn = await asyncpg.connect(**_asyncpg_params(url))
    except asyncpg.InvalidCatalogNameError:
        return False
    await conn.close()
    return True


def _asyncpg_params(url: str) -> dict[str, object]:
    parsed = make_url(url)
    params: dict[str, object] = {
        "user": parsed.username,
        "password": parsed.password,
        "database": parsed.database,
        "port": parsed.port,
        "host": parsed.host or parsed.query.get("host"),
    }
    return {k: v for k, v in params.items() if v is not None}


async def ensure_database(url: str, *, template: str | None = None, recreate: bool = False) -> None:
    """Create the database named in ``url`` if it does not exist (connecting to ``postgres``)."""
    params = _asyncpg_params(url)
    name = str(params.pop("database"))
    conn = await asyncpg.connect(**params, database="postgres")
    try:
        if recreate:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            suffix = f' TEMPLATE "{template}"' if template else ""
            await conn.execute(f"CREATE DATABASE \"{name}\"{suffix} ENCODING 'UTF8'")
    finally:
        await conn.close()


# A pooled connection older than this is replaced when next taken from the pool.
POOL_RECYCLE_SECONDS = 1800


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """The engine: no ping before each checkout (a round trip on every request); a connection
    the server dropped (a restart, a failover) fails its statement instead, which invalidates
    the pool's older connections, and the request answers 503 with ``Retry-After``
    (``app.db.errors.unavailable``): the next one gets a fresh connection. asyncpg prepares
    each statement once per connection and keeps it (``prepared_statement_cache_size``)."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        pool_recycle=POOL_RECYCLE_SECONDS,
        echo=echo,
        connect_args={
            "server_settings": {"application_name": "thaksa", "timezone": "UTC"},
            "prepared_statement_cache_size": 500,
        },
    )


def create_session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions of one transaction each; with ``read_only``, sessions whose statements run
    without a transaction block of their own (autocommit: no BEGIN and no COMMIT round trip),
    for operations that only read. Under READ COMMITTED every statement sees its own snapshot
    inside a transaction too, so reads lose nothing."""
    if not read_only:
        return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        autoflush=False,
        # services may keep what they read for the rest of the session (``info["memo"]``)
        info={"reads_only": True},
    )
