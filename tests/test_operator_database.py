"""Operator commands (`client`, `seed load`, `demo generate`) work on the database `thaksa serve`
uses with the same settings, say which one on stderr, and refuse rather than create, start or
migrate another one behind the server's back."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from app.cli import cli
from app.db.engine import create_engine, create_session_factory, ensure_database
from app.db.migrate import head_revision
from app.main import create_app
from app.settings import REPO_ROOT, Settings, get_settings
from tests.conftest import TEST_DB, build_runtime

runner = CliRunner()

# Every command that reads or writes the server's data.
OPERATOR_COMMANDS = [
    ["client", "create", "HRIS of the Revenue Department", "-s", "people:read"],
    ["client", "list"],
    ["client", "revoke", str(uuid.uuid4())],
    ["seed", "load"],
    ["demo", "generate", "--people", "5"],
]
command_ids = [" ".join(c[:2]) for c in OPERATOR_COMMANDS]


@pytest.fixture
def thaksa(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Run `thaksa ...` in-process with the environment variables given."""
    monkeypatch.delenv("THAKSA_DATABASE_URL", raising=False)
    monkeypatch.delenv("THAKSA_DATA_DIR", raising=False)

    def run(args: list[str], **env: str) -> Result:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        try:
            return runner.invoke(cli, args)
        finally:
            get_settings.cache_clear()

    yield run
    get_settings.cache_clear()


def _url(database_url: str, database: str, **parts: str) -> str:
    return make_url(database_url).set(database=database, **parts).render_as_string(False)


async def _database_names(url: str) -> set[str]:
    params = make_url(url)
    conn = await asyncpg.connect(
        user=params.username, host=params.host or params.query.get("host"), database="postgres"
    )
    try:
        return {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()


@pytest.mark.parametrize("command", OPERATOR_COMMANDS, ids=command_ids)
def test_a_data_dir_without_a_database_is_refused_and_none_is_created(
    thaksa: Callable[..., Result], tmp_path: Path, command: list[str]
) -> None:
    # The server runs with THAKSA_DATA_DIR=/elsewhere; the operator's shell does not have it.
    data_dir = tmp_path / "not-the-servers"
    result = thaksa(command, THAKSA_DATA_DIR=str(data_dir))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"database: embedded PostgreSQL in {data_dir}/pg (THAKSA_DATA_DIR), database thaksa"
    )
    assert lines[1].startswith(f"error: there is no database in {data_dir}/pg.")
    assert "THAKSA_DATA_DIR" in lines[1]
    assert not data_dir.exists(), "an operator command created a new, empty database"


@pytest.mark.parametrize("command", OPERATOR_COMMANDS, ids=command_ids)
def test_a_stale_cluster_that_no_server_runs_is_refused_and_not_started(
    thaksa: Callable[..., Result], tmp_path: Path, command: list[str]
) -> None:
    # A cluster left by an earlier run (its server was killed): not the running server's.
    pgdata = tmp_path / "old" / "pg"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("18\n")
    finished = subprocess.Popen([sys.executable, "-c", ""])
    finished.wait()
    (pgdata / "postmaster.pid").write_text(f"{finished.pid}\n{pgdata}\n")
    before = sorted(p.name for p in pgdata.iterdir())
    result = thaksa(command, THAKSA_DATA_DIR=str(tmp_path / "old"))
    assert result.exit_code == 1, result.output
    assert f"error: the embedded PostgreSQL in {pgdata} is not running" in result.stderr
    assert sorted(p.name for p in pgdata.iterdir()) == before, "the stale cluster was touched"


def test_operator_commands_attach_to_the_embedded_server_that_runs(
    thaksa: Callable[..., Result], database_url: str
) -> None:
    if os.environ.get("THAKSA_TEST_DATABASE_URL"):
        pytest.skip("the suite runs on THAKSA_TEST_DATABASE_URL, not on an embedded server")
    # The test session's own embedded server (database_url starts it) stands for a running
    # `thaksa serve`: the command attaches to it.
    data_dir = Path(os.environ.get("THAKSA_DATA_DIR", REPO_ROOT / ".data")) / "test"
    result = thaksa(["client", "list"], THAKSA_DATA_DIR=str(data_dir), THAKSA_DATABASE_NAME=TEST_DB)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"database: embedded PostgreSQL in {data_dir.resolve()}/pg (THAKSA_DATA_DIR),"
        f" database {TEST_DB}"
    ]


def test_a_database_that_does_not_exist_is_refused_db_upgrade_creates_it_and_keys_then_work(
    thaksa: Callable[..., Result], database_url: str, settings: Settings
) -> None:
    name = "thaksa_test_cli_ops"
    url = _url(database_url, name, password="never-shown-pw")  # trust auth ignores it
    asyncio.run(ensure_database(url, recreate=True))
    asyncio.run(_drop(url))
    create = ["client", "create", "HRIS of MOF", "-s", "people:read"]

    refused = thaksa(create, THAKSA_DATABASE_URL=url)
    assert refused.exit_code == 1, refused.output
    assert "error: " in refused.stderr
    assert "this database does not exist" in refused.stderr
    assert name not in asyncio.run(_database_names(url)), "client create created a database"

    upgraded = thaksa(["db", "upgrade"], THAKSA_DATABASE_URL=url)
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.strip() == f"database at {head_revision()}"

    created = thaksa(create, THAKSA_DATABASE_URL=url)
    assert created.exit_code == 0, created.output
    shown = created.stderr.splitlines()
    assert len(shown) == 1
    assert shown[0].startswith("database: postgresql://")
    assert shown[0].split("?")[0].endswith(f"/{name}")
    assert "never-shown-pw" not in created.output
    key = json.loads(created.stdout)["api_key"]
    assert asyncio.run(_me_with_key(url, settings, key)) == 200


@pytest.mark.parametrize(
    ("version", "says"),
    [
        (None, "has no Thaksa schema"),
        ("0001_foundation", "needs"),
        ("9999_from_a_newer_version", "does not know"),
    ],
    ids=["never-migrated", "behind", "ahead"],
)
def test_a_database_not_at_this_versions_schema_is_refused_and_not_migrated(
    thaksa: Callable[..., Result], database_url: str, version: str | None, says: str
) -> None:
    url = _url(database_url, "thaksa_test_cli_schema")
    asyncio.run(ensure_database(url, recreate=True))
    if version is not None:
        asyncio.run(_set_version(url, version))
    for command in (["client", "list"], ["seed", "load"]):
        result = thaksa(command, THAKSA_DATABASE_URL=url)
        assert result.exit_code == 1, result.output
        assert says in result.stderr
        assert asyncio.run(_versions(url)) == ([version] if version else None)


async def _drop(url: str) -> None:
    params = make_url(url)
    conn = await asyncpg.connect(
        user=params.username, host=params.host or params.query.get("host"), database="postgres"
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{params.database}" WITH (FORCE)')
    finally:
        await conn.close()


async def _set_version(url: str, version: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE alembic_version (version_num varchar(64))")
            await conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
    finally:
        await engine.dispose()


async def _versions(url: str) -> list[str] | None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            if await conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
                return None
            rows = await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            return [r[0] for r in rows]
    finally:
        await engine.dispose()


async def _me_with_key(url: str, settings: Settings, key: str) -> int:
    engine = create_engine(url, pool_size=1)
    try:
        app = create_app(
            settings, runtime=build_runtime(settings, engine, create_session_factory(engine))
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            return (await client.get("/api/v1/me", headers={"X-API-Key": key})).status_code
    finally:
        await engine.dispose()
