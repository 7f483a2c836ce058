"""xAPI documents (State, Activity Profile, Agent Profile): one row a document, read and written
by its full key within one reach; writers of one document take a transaction-scoped lock on its
key first, so a precondition checked is still true when the write lands."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.raw import advisory_xact_lock, driver_connection
from app.domain.learning.documents import Key, Kind

_KEY = (
    "agency_path = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4"
    " AND registration = $5 AND document_id = $6"
)


@dataclass(frozen=True, slots=True)
class Document:
    content: bytes
    content_type: str
    etag: str
    updated: datetime


def _key_args(reach: str, key: Key) -> list[Any]:
    return [reach, str(key.kind), key.activity_id, key.agent, key.registration, key.document_id]


async def lock(session: AsyncSession, reach: str, key: Key) -> None:
    await advisory_xact_lock(session, key.lock_name(reach))


async def one(session: AsyncSession, reach: str, key: Key) -> Document | None:
    conn = await driver_connection(session)
    row = await conn.fetchrow(
        f"SELECT content, content_type, etag, updated FROM xapi_document WHERE {_KEY}",  # noqa: S608
        *_key_args(reach, key),
    )
    if row is None:
        return None
    return Document(bytes(row["content"]), row["content_type"], row["etag"], row["updated"])


async def save(
    session: AsyncSession,
    reach: str,
    key: Key,
    content: bytes,
    content_type: str,
    etag: str,
    client_id: uuid.UUID | None,
) -> datetime:
    """Store (or replace) the document; when it was written."""
    conn = await driver_connection(session)
    updated: datetime = await conn.fetchval(
        """
        INSERT INTO xapi_document (agency_path, kind, activity_id, agent_key, registration,
            document_id, content, content_type, etag, updated, client_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp(), $10)
        ON CONFLICT (agency_path, kind, activity_id, agent_key, registration, document_id)
        DO UPDATE SET content = excluded.content, content_type = excluded.content_type,
            etag = excluded.etag, updated = excluded.updated, client_id = excluded.client_id
        RETURNING updated
        """,
        *_key_args(reach, key),
        content,
        content_type,
        etag,
        client_id,
    )
    return updated


async def delete(session: AsyncSession, reach: str, key: Key) -> bool:
    conn = await driver_connection(session)
    status: str = await conn.execute(
        f"DELETE FROM xapi_document WHERE {_KEY}",  # noqa: S608
        *_key_args(reach, key),
    )
    return status != "DELETE 0"


def _context_sql(
    reach: str, kind: Kind, activity_id: str, agent: str, registration: str | None
) -> tuple[str, list[Any]]:
    args: list[Any] = [reach, str(kind), activity_id, agent]
    where = "agency_path = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4"
    if registration is not None:
        args.append(registration)
        where += f" AND registration = ${len(args)}"
    return where, args


async def ids(
    session: AsyncSession,
    reach: str,
    kind: Kind,
    *,
    activity_id: str = "",
    agent: str = "",
    registration: str | None = None,
    since: datetime | None = None,
) -> list[tuple[str, datetime]]:
    """The ids of a context's documents (every registration's when ``registration`` is None),
    written after ``since``, each with when it was last written."""
    where, args = _context_sql(reach, kind, activity_id, agent, registration)
    if since is not None:
        args.append(since)
        where += f" AND updated > ${len(args)}"
    conn = await driver_connection(session)
    rows = await conn.fetch(
        f"SELECT document_id, max(updated) AS updated FROM xapi_document WHERE {where}"  # noqa: S608
        " GROUP BY document_id ORDER BY document_id",
        *args,
    )
    return [(r["document_id"], r["updated"]) for r in rows]


async def delete_context(
    session: AsyncSession,
    reach: str,
    kind: Kind,
    *,
    activity_id: str,
    agent: str,
    registration: str | None,
) -> int:
    """Delete a context's documents (every registration's when ``registration`` is None)."""
    where, args = _context_sql(reach, kind, activity_id, agent, registration)
    conn = await driver_connection(session)
    status: str = await conn.execute(
        f"DELETE FROM xapi_document WHERE {where}",  # noqa: S608
        *args,
    )
    return int(status.split()[-1])


async def erase_agents(session: AsyncSession, agent_keys: list[str]) -> int:
    """PDPA: delete the State and Agent Profile documents of these agents, in every reach."""
    if not agent_keys:
        return 0
    conn = await driver_connection(session)
    status: str = await conn.execute(
        "DELETE FROM xapi_document WHERE agent_key = ANY($1::text[])", agent_keys
    )
    return int(status.split()[-1])
