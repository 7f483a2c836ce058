"""Bring a database to the head of the one linear Alembic history, and report where it stands."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

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
    script = ScriptDirectory.from_config(alembic_config("postgresql+asyncpg:///unused"))
    return script.get_current_head()


async def current_revision(conn: AsyncConnection) -> str | None:
    def _current(sync_conn: object) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()  # type: ignore[arg-type]

    return await conn.run_sync(_current)
