from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.engine import create_engine, ensure_database
from app.db.migrate import head_revision, upgrade_to_head


async def test_upgrade_brings_an_empty_database_to_head_and_is_idempotent(
    database_url: str,
) -> None:
    url = (
        make_url(database_url)
        .set(database="thaksa_test_migrate")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    await asyncio.to_thread(upgrade_to_head, url)  # second run changes nothing
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            versions = (
                (await conn.execute(text("SELECT version_num FROM alembic_version")))
                .scalars()
                .all()
            )
    finally:
        await engine.dispose()
    assert versions == [head_revision()]


def test_the_history_is_one_linear_chain() -> None:
    from alembic.script import ScriptDirectory

    from app.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql+asyncpg:///x"))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert all(not isinstance(r.down_revision, tuple) for r in revisions)


async def test_identifiers_of_people_compare_byte_for_byte(session: AsyncSession) -> None:
    """External ids and token subjects are keys, not text to sort: their columns (and unique
    indexes) use the C collation, whatever the database's default collation is."""
    rows = await session.execute(
        text(
            "SELECT column_name, collation_name FROM information_schema.columns"
            " WHERE table_name = 'person' AND column_name IN ('external_id', 'subject')"
        )
    )
    assert {name: collation for name, collation in rows.all()} == {
        "external_id": "C",
        "subject": "C",
    }
