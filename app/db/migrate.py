"""Bring a database to the head of the one linear Alembic history, and report where it stands."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.engine import create_engine
from app.settings import get_settings


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(get_settings().resolved_migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_to_head(url: str) -> None:
    """Idempotent: a database already at head is left as it is. Runs its own event loop."""
    command.upgrade(alembic_config(url), "head")


def head_revision() -> str | None:
    return _scripts(get_settings().resolved_migrations_dir()).get_current_head()


@cache
def _scripts(migrations_dir: Path) -> ScriptDirectory:
    # The scripts do not change while the process runs: read them once, not on every /readyz.
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return ScriptDirectory.from_config(config)


def known_revisions() -> frozenset[str]:
    """Every revision of this version's history (a database at another one was migrated by a
    newer version)."""
    scripts = _scripts(get_settings().resolved_migrations_dir())
    return frozenset(script.revision for script in scripts.walk_revisions())


async def schema_revision(url: str) -> str | None:
    """The revision of the database at ``url`` (None: never migrated), on its own connection."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return await current_revision(conn)
    finally:
        await engine.dispose()


async def current_revision(conn: AsyncConnection) -> str | None:
    """The revision the database is at; None when it was never migrated.

    A plain read of the version table: configuring an Alembic ``MigrationContext`` for it would
    log two INFO lines ("Context impl ...", "Will assume transactional DDL") on every call, and
    readiness probes call it every few seconds.
    """
    # alembic_version: Alembic's default version table, which migrations/env.py keeps.
    if await conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return None
    rows = await conn.execute(text("SELECT version_num FROM alembic_version ORDER BY 1"))
    versions = list(rows.scalars())
    return ",".join(versions) or None
