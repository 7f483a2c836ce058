"""``Idempotency-Key`` on bulk writes: a retry gets the stored answer, never a second write.

* the same key with the same request replays the stored answer;
* the same key with another request is refused (422);
* while a request with the key is still running, another one is refused at once (409).

The key is taken with a transaction-scoped advisory lock (a second holder cannot get it while the
first runs), and the answer is stored in the same transaction as the write itself: both commit,
or neither does. Keys are scoped to the calling principal and kept ``THAKSA_IDEMPOTENCY_TTL_HOURS``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IdempotencyKey
from app.db.raw import advisory_xact_lock
from app.domain.errors import Conflict, FieldError, ValidationFailed
from app.domain.principal import Principal

MAX_KEY_LENGTH = 200


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key is still in progress"


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency-key-reused"
    title = "This Idempotency-Key was used for another request"


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: bytes


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper(), path, query):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(body)
    return digest.hexdigest()


def _header_error(rule: str, message: str) -> FieldError:
    return FieldError.for_parameter("Idempotency-Key", "header", rule, message)


async def claim(
    session: AsyncSession, actor: Principal, key: str, fingerprint: str, *, ttl_hours: int
) -> StoredAnswer | None:
    """Take the key for this request; the stored answer when it is a retry."""
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            [_header_error("format", f"use 1-{MAX_KEY_LENGTH} printable characters")]
        )
    if not await advisory_xact_lock(session, f"idempotency:{actor.subject}:{key}", wait=False):
        raise IdempotencyKeyInFlight(
            "a request with this Idempotency-Key is still in progress; retry when it has finished"
        )
    row = await session.get(IdempotencyKey, (actor.subject, key), populate_existing=True)
    if row is not None and row.created_at < datetime.now(UTC) - timedelta(hours=ttl_hours):
        await session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.principal == actor.subject, IdempotencyKey.key == key
            )
        )
        row = None
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            [
                _header_error(
                    "idempotency-key-reused",
                    "this key was already used for another request (its method, path, query or"
                    " body differ); send a new key for a new request",
                )
            ]
        )
    return StoredAnswer(row.status_code, row.response_body)


async def remember(
    session: AsyncSession,
    actor: Principal,
    key: str,
    fingerprint: str,
    answer: StoredAnswer,
    *,
    ttl_hours: int,
) -> None:
    # Each principal's expired keys go when it stores a new one: the table cleans itself.
    cutoff = datetime.now(UTC) - timedelta(hours=ttl_hours)
    await session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.principal == actor.subject, IdempotencyKey.created_at < cutoff
        )
    )
    session.add(
        IdempotencyKey(
            principal=actor.subject,
            key=key,
            request_hash=fingerprint,
            status_code=answer.status_code,
            response_body=answer.body,
        )
    )
    await session.flush()
