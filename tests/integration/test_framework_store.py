"""Framework versions in PostgreSQL: seed loading is idempotent, a changed seed is a new version,
published content is immutable (the database itself refuses changes), content reads back exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.models import Framework, FrameworkVersion
from app.db.repositories.framework import framework_versions as repo
from app.domain.framework.native import dump_document
from app.services.framework.seeding import load_all
from tests.conftest import SEED_DIR, operator_principal
from tests.unit.framework.seeded import ocsc_document, tpqi_document

TABLES = (
    "framework",
    "framework_version",
    "framework_item",
    "role_profile",
    "role_profile_requirement",
    "crosswalk_link",
    "audit_event",
)


async def counts(session: AsyncSession) -> dict[str, int]:
    out = {}
    for table in TABLES:
        query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
        out[table] = (await session.execute(query)).scalar_one()
    return out


async def load(
    factory: async_sessionmaker[AsyncSession], seed_dir: Path = SEED_DIR
) -> dict[str, Any]:
    async with factory() as s, s.begin():
        report: dict[str, Any] = await load_all(s, seed_dir, operator_principal())
    return report


async def version(session: AsyncSession, key: str, label: str) -> FrameworkVersion:
    found = await session.scalar(
        select(FrameworkVersion)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(Framework.key == key, FrameworkVersion.label == label)
    )
    assert found is not None
    return found


async def test_loading_the_seed_twice_changes_nothing_and_says_so(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    first = await load(session_factory)
    assert first["changed"] is True
    assert [(f["framework"], f["version"], f["status"]) for f in first["frameworks"]] == [
        ("ocsc", "2561", "created"),
        ("tpqi-it-exec", "2563", "created"),
    ]
    before = await counts(session)
    assert before["framework_item"] == 108 + 74
    assert before["role_profile"] == 18
    assert before["crosswalk_link"] == 33

    second = await load(session_factory)
    assert second["changed"] is False
    assert "nothing to do" in second["message"]
    assert {f["status"] for f in second["frameworks"]} == {"unchanged"}
    assert await counts(session) == before


def _changed_seed(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    path = target / "ocsc" / "items.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    for item in items:
        if item["code"] == "DS100":
            item["name_en"] = "Connected service framework and process design"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


async def test_a_changed_seed_becomes_a_new_version_and_the_published_one_stays_as_it_was(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession, tmp_path: Path
) -> None:
    await load(session_factory)
    report = await load(session_factory, _changed_seed(tmp_path))
    ocsc_entry, tpqi_entry = report["frameworks"]
    assert (ocsc_entry["version"], ocsc_entry["status"], ocsc_entry["replaced"]) == (
        "2561.1",
        "created",
        "2561",
    )
    assert ocsc_entry["changes"]["items_changed"] == 1
    # the crosswalk of the seed follows the new OCSC version, so TPQI gets a new version too
    assert (tpqi_entry["version"], tpqi_entry["replaced"]) == ("2563.1", "2563")

    old, new = await version(session, "ocsc", "2561"), await version(session, "ocsc", "2561.1")
    assert (old.status, new.status) == ("retired", "published")
    old_content = await repo.load_content(session, old)
    assert old_content.item("DS100").name_en is None  # type: ignore[union-attr]
    new_content = await repo.load_content(session, new)
    assert new_content.item("DS100").name_en == "Connected service framework and process design"  # type: ignore[union-attr]

    again = await load(session_factory, tmp_path / "seed")
    assert again["changed"] is False


async def test_the_original_seed_after_a_change_does_not_undo_the_newer_version(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession, tmp_path: Path
) -> None:
    await load(session_factory)
    await load(session_factory, _changed_seed(tmp_path))
    report = await load(session_factory)  # the old files are held by the retired 2561
    assert report["changed"] is False
    assert (await version(session, "ocsc", "2561.1")).status == "published"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE framework_item SET name_th = 'x' WHERE code = 'DS100'",
        "DELETE FROM framework_item WHERE code = 'DS101.1'",
        "UPDATE role_profile SET role_title_th = 'x'",
        "DELETE FROM role_profile_requirement",
        "DELETE FROM crosswalk_link",
        "UPDATE framework_version SET meta = '{}'",
        "UPDATE framework_version SET status = 'draft'",
        "DELETE FROM framework_version",
    ],
)
async def test_the_database_refuses_any_change_to_a_published_version(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession, statement: str
) -> None:
    await load(session_factory)
    before = await counts(session)
    with pytest.raises(DBAPIError, match=r"cannot|only its status"):
        async with session.begin_nested():
            await session.execute(text(statement))
    assert await counts(session) == before


async def test_a_stored_version_reads_back_as_the_seed_files_to_the_byte(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    await load(session_factory)
    for key, label, document in (
        ("ocsc", "2561", ocsc_document()),
        ("tpqi-it-exec", "2563", tpqi_document()),
    ):
        stored = dump_document(await repo.load_content(session, await version(session, key, label)))
        assert json.dumps(stored, ensure_ascii=False) == json.dumps(document, ensure_ascii=False)


async def test_every_write_of_the_seed_load_is_audited(
    session_factory: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    await load(session_factory)
    rows = (
        await session.execute(
            text("SELECT entity, action, details->>'version' FROM audit_event ORDER BY id")
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        ("framework", "create", None),
        ("framework_version", "create", "2561"),
        ("framework_version", "publish", "2561"),
        ("framework", "create", None),
        ("framework_version", "create", "2563"),
        ("framework_version", "publish", "2563"),
    ]


async def test_concurrent_seed_loads_create_each_version_once(database_url: str) -> None:
    import asyncio

    from sqlalchemy.engine import make_url

    from app.db.engine import create_engine, create_session_factory, ensure_database
    from app.db.migrate import upgrade_to_head

    url = (
        make_url(database_url)
        .set(database="thaksa_test_seed_race")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = create_engine(url, pool_size=3)
    try:
        reports = await asyncio.gather(*(load(create_session_factory(engine)) for _ in range(3)))
        async with engine.connect() as conn:
            versions = (
                await conn.execute(text("SELECT count(*) FROM framework_version"))
            ).scalar_one()
    finally:
        await engine.dispose()
    assert sorted(r["changed"] for r in reports) == [False, False, True]
    assert versions == 2
