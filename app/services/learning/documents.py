"""The xAPI document resources' use cases (State, Activity Profile, Agent Profile) and the Agents
and Activities resources (docs/xapi.md).

Who may: the scopes of the Statement resource. ``statements:write`` writes documents,
``statements:read`` reads them (a central administrator both). Documents are kept in the reach of
the client that writes them — its agency's path, ``''`` for a national client or a central
administrator — and a caller reads, lists and deletes only the documents of its own reach: a
client of another agency, even a parent one, never sees them (not found).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.learning import documents as repo
from app.db.repositories.learning import statements as statement_repo
from app.db.repositories.learning.documents import Document
from app.domain.errors import BadRequest, Conflict, FieldError, Forbidden, PreconditionFailed
from app.domain.learning import documents as docs
from app.domain.learning.documents import Key, Kind, Precondition
from app.domain.principal import Principal, Role
from app.services.learning import statements
from app.services.platform.scope import client_scope


class PreconditionMissing(BadRequest):
    code = "precondition-missing"
    title = "Send If-Match or If-None-Match"


class NotMergeable(BadRequest):
    code = "document-not-mergeable"
    title = "The documents cannot be merged"


async def document_reach(session: AsyncSession, actor: Principal, *, write: bool) -> str:
    """The reach whose documents the caller reads or writes."""
    if write:
        scope = await statements.write_scope(session, actor)
        return scope.agency_paths[0] if scope.agency_paths else ""
    if actor.is_client:
        if not actor.has_scope("statements:read"):
            raise Forbidden(
                "this client's key does not carry the scope 'statements:read'",
                required_scope="statements:read",
            )
        scope = await client_scope(session, actor)
        return scope.agency_paths[0] if scope.agency_paths else ""
    if actor.has_role(Role.CENTRAL_ADMIN):
        return ""
    raise Forbidden(
        "documents are kept for e-learning providers' clients (statements:read)",
        required_scope="statements:read",
    )


@dataclass(frozen=True, slots=True)
class Conditions:
    """A write's ``If-Match`` and ``If-None-Match`` headers, as sent."""

    if_match: str | None = None
    if_none_match: str | None = None


def _check(current: Document | None, conditions: Conditions, *, put_needs_one: bool) -> None:
    decided = docs.precondition(
        current.etag if current else None,
        conditions.if_match,
        conditions.if_none_match,
        put_needs_one=put_needs_one,
    )
    if decided is Precondition.FAILED:
        raise PreconditionFailed(
            "the document has changed (If-Match)"
            if conditions.if_match is not None
            else "the document exists (If-None-Match)",
            etag=current.etag if current else None,
        )
    if decided is Precondition.MISSING:
        raise PreconditionMissing(
            "a PUT of a profile says what it expects: If-None-Match: * to create it, or"
            " If-Match with the ETag of the version it replaces",
            errors=[
                FieldError.for_parameter(name, "header", "required", f"send {name}").as_dict()
                for name in ("If-Match", "If-None-Match")
            ],
        )
    if decided is Precondition.REQUIRED:
        raise Conflict(
            "the document exists: read it first and send its ETag as If-Match (or If-None-Match:"
            " * to create only), so that no one else's change is overwritten unseen",
            etag=current.etag if current else None,
        )


def _client_id(actor: Principal) -> uuid.UUID | None:
    if actor.is_client and actor.subject.startswith("client:"):
        return uuid.UUID(actor.subject.removeprefix("client:"))
    return None


async def store(
    session: AsyncSession,
    actor: Principal,
    key: Key,
    content: bytes,
    content_type: str,
    conditions: Conditions,
    *,
    merge: bool,
) -> tuple[datetime, str]:
    """PUT (``merge=False``) replaces the document; POST merges a JSON object into an existing
    JSON object (stores it when there is none). Profiles refuse a PUT over an existing document
    with neither precondition header (409). When it was written, and its ETag."""
    reach = await document_reach(session, actor, write=True)
    await repo.lock(session, reach, key)
    current = await repo.one(session, reach, key)
    _check(current, conditions, put_needs_one=not merge and key.kind is not Kind.STATE)
    if merge and current is not None:
        if not (docs.is_json_type(content_type) and docs.is_json_type(current.content_type)):
            raise NotMergeable(
                "a POST merges JSON into JSON: both the stored document and this one must be"
                f" application/json (stored: {current.content_type}; sent: {content_type})"
            )
        combined = docs.merged(current.content, content)
        if combined is None:
            raise NotMergeable("a POST merges JSON objects: both documents must be JSON objects")
        content, content_type = combined, "application/json"
    etag = docs.etag(content)
    updated = await repo.save(session, reach, key, content, content_type, etag, _client_id(actor))
    return updated, etag


async def read(session: AsyncSession, actor: Principal, key: Key) -> Document | None:
    reach = await document_reach(session, actor, write=False)
    return await repo.one(session, reach, key)


async def remove(session: AsyncSession, actor: Principal, key: Key, conditions: Conditions) -> None:
    """Delete one document (none there: nothing to do, unless If-Match asked for one)."""
    reach = await document_reach(session, actor, write=True)
    await repo.lock(session, reach, key)
    current = await repo.one(session, reach, key)
    _check(current, conditions, put_needs_one=False)
    await repo.delete(session, reach, key)


async def ids(
    session: AsyncSession,
    actor: Principal,
    kind: Kind,
    *,
    activity_id: str = "",
    agent: str = "",
    registration: str | None = None,
    since: datetime | None = None,
) -> list[tuple[str, datetime]]:
    """The ids of a context's documents, each with when it was last written."""
    reach = await document_reach(session, actor, write=False)
    return await repo.ids(
        session,
        reach,
        kind,
        activity_id=activity_id,
        agent=agent,
        registration=registration,
        since=since,
    )


async def remove_states(
    session: AsyncSession,
    actor: Principal,
    *,
    activity_id: str,
    agent: str,
    registration: str | None,
) -> int:
    """Delete the states of an activity and agent (of one registration, when given)."""
    reach = await document_reach(session, actor, write=True)
    return await repo.delete_context(
        session,
        reach,
        Kind.STATE,
        activity_id=activity_id,
        agent=agent,
        registration=registration,
    )


# --- the Agents and Activities resources ---------------------------------------------------


async def person(session: AsyncSession, actor: Principal, agent: dict[str, Any]) -> dict[str, Any]:
    """The Person object of an agent: its identifier and the names statements within the
    caller's reach give it. Identifiers of the person Thaksa matched it to are not added: a
    provider that knows a learner by a hashed address is not told the address."""
    reach = await statements.read_reach(session, actor)
    key = docs.agent_key(agent)
    primary = key.lower() if key.startswith("mbox:") else key
    names = await statement_repo.actor_names(session, key, primary, reach)
    return docs.person(agent, names)


async def activity(session: AsyncSession, actor: Principal, activity_id: str) -> dict[str, Any]:
    """The Activity object: the definition the newest statement within the caller's reach gives
    it (none known: its id only)."""
    reach = await statements.read_reach(session, actor)
    bodies = await statement_repo.about_activity(session, activity_id, reach)
    decoded = []
    for body in bodies:
        try:
            decoded.append(orjson.loads(body))
        except orjson.JSONDecodeError:  # integers beyond 64 bits
            continue
    return docs.activity(activity_id, decoded)
