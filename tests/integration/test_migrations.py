from __future__ import annotations

import asyncio
import json

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


async def test_the_audit_scope_migration_gives_existing_events_the_agency_they_are_about(
    database_url: str,
) -> None:
    from alembic import command

    from app.db.migrate import alembic_config

    url = (
        make_url(database_url)
        .set(database="thaksa_test_migrate_audit")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    before = "0008_group_assignment_changes"
    await asyncio.to_thread(command.upgrade, alembic_config(url), before)
    engine = create_engine(url, pool_size=1)
    agency, person = "9a1c0f4e-0000-4000-8000-000000000001", "9a1c0f4e-0000-4000-8000-000000000002"
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO agency"
                    " (id, code, name_th, kind, path, depth, content_hash, active)"
                    " VALUES (:a, 'MOF', 'กระทรวงการคลัง', 'ministry', :p, 0, '\\x00', true)"
                ),
                {"a": agency, "p": f"/{agency}/"},
            )
            await conn.execute(
                text(
                    "INSERT INTO person (id, source_agency_id, external_id, first_name_th,"
                    " last_name_th, agency_id, active)"
                    " VALUES (:p, :a, 'E1', 'สมชาย', 'ใจดี', :a, true)"
                ),
                {"a": agency, "p": person},
            )
            await conn.execute(
                text(
                    "INSERT INTO audit_event (actor_kind, actor_id, entity, entity_id, action)"
                    " VALUES ('user', 'x', 'agency', :a, 'create'),"
                    " ('user', 'x', 'person_sync', 'MOF', 'sync'),"
                    " ('user', 'x', 'person', :p, 'update'),"
                    " ('user', 'x', 'framework', 'ocsc', 'create'),"
                    " ('user', 'x', 'person', 'not-a-uuid', 'update')"
                ),
                {"a": agency, "p": person},
            )
        await asyncio.to_thread(upgrade_to_head, url)
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT entity, entity_id, agency_id::text FROM audit_event ORDER BY id")
            )
            found = [(entity, owner) for entity, _, owner in rows.all()]
    finally:
        await engine.dispose()
    assert found == [
        ("agency", agency),
        ("person_sync", agency),
        ("person", agency),
        ("framework", None),
        ("person", None),
    ]


async def test_statements_stored_before_get_their_context_activities_as_arrays(
    database_url: str,
) -> None:
    """A single context activity stored as an object (before 0019) is an array of one after it,
    in the context and in a SubStatement's; arrays and statements without one are untouched."""
    url = (
        make_url(database_url)
        .set(database="thaksa_test_migrate_context")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to, url, "0018_reference_changes")
    parent = {"id": "https://learn.example/programme"}
    bodies = {
        "9a1c0f4e-0000-4000-8000-0000000000c1": {
            "context": {"contextActivities": {"parent": parent, "other": [parent]}},
            "object": {
                "objectType": "SubStatement",
                "context": {"contextActivities": {"grouping": parent}},
            },
        },
        "9a1c0f4e-0000-4000-8000-0000000000c2": {"context": {"contextActivities": {}}},
        "9a1c0f4e-0000-4000-8000-0000000000c3": {"object": {"id": "https://learn.example/c"}},
    }
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            for statement_id, body in bodies.items():
                await conn.execute(
                    text(
                        "INSERT INTO xapi_statement (id, stored, body, content_hash, verb,"
                        " actor_keys, related_agents, related_activities, agency_path)"
                        " VALUES (:i, now(), CAST(:b AS jsonb), '\\x00', 'v', '{}', '{}', '{}',"
                        " '')"
                    ),
                    {"i": statement_id, "b": json.dumps(body)},
                )
        await asyncio.to_thread(upgrade_to_head, url)
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id::text, body FROM xapi_statement"))
            found = dict(rows.all())
    finally:
        await engine.dispose()
    assert found["9a1c0f4e-0000-4000-8000-0000000000c1"] == {
        "context": {"contextActivities": {"parent": [parent], "other": [parent]}},
        "object": {
            "objectType": "SubStatement",
            "context": {"contextActivities": {"grouping": [parent]}},
        },
    }
    assert (
        found["9a1c0f4e-0000-4000-8000-0000000000c2"]
        == bodies["9a1c0f4e-0000-4000-8000-0000000000c2"]
    )
    assert (
        found["9a1c0f4e-0000-4000-8000-0000000000c3"]
        == bodies["9a1c0f4e-0000-4000-8000-0000000000c3"]
    )


def upgrade_to(url: str, revision: str) -> None:
    from alembic import command

    from app.db.migrate import alembic_config

    command.upgrade(alembic_config(url), revision)
