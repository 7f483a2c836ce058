"""Integration clients: API keys shown once, stored as hashes, scoped, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IntegrationClient
from app.db.repositories.people import agencies as agency_repo
from app.domain.errors import FieldError, NotFound, Unauthenticated, ValidationFailed
from app.domain.principal import KNOWN_SCOPES, Principal, PrincipalKind, Role
from app.domain.text import nfc
from app.services.platform import audit
from app.services.platform.access import require_user_role

KEY_PREFIX = "thk_"


@dataclass(frozen=True)
class IssuedKey:
    client: IntegrationClient
    api_key: str  # shown once; never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_api_key(value: str) -> bool:
    return value.startswith(KEY_PREFIX)


async def create_client(
    session: AsyncSession, actor: Principal, *, name: str, agency: str | None, scopes: list[str]
) -> IssuedKey:
    require_user_role(actor, Role.CENTRAL_ADMIN)
    errors = [
        FieldError(f"/scopes/{i}", "enum", f"unknown scope {s!r}; known: {sorted(KNOWN_SCOPES)}")
        for i, s in enumerate(scopes)
        if s not in KNOWN_SCOPES
    ]
    if not nfc(name):
        errors.append(FieldError("/name", "required", "a client needs a name"))
    agency = nfc(agency) if agency is not None else None
    if agency is not None and await agency_repo.by_code(session, agency) is None:
        errors.append(
            FieldError(
                "/agency",
                "agency-unknown",
                f"no agency {agency!r}: register it first (POST /api/v1/agencies/bulk), or leave"
                " the agency out for a national client",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    client = IntegrationClient(
        name=nfc(name),
        agency=agency,
        scopes=sorted(set(scopes)),
        key_prefix=prefix,
        key_hash=_hash(secret),
        created_by=actor.subject,
    )
    session.add(client)
    await session.flush()
    audit.record(
        session,
        actor,
        entity="integration_client",
        entity_id=client.id,
        action="create",
        about=audit.about_agency_code(client.agency),
        details={"name": client.name, "agency": client.agency, "scopes": client.scopes},
    )
    return IssuedKey(client=client, api_key=f"{KEY_PREFIX}{prefix}_{secret}")


async def revoke_client(
    session: AsyncSession, actor: Principal, client_id: uuid.UUID
) -> IntegrationClient:
    require_user_role(actor, Role.CENTRAL_ADMIN)
    client = await session.get(IntegrationClient, client_id)
    if client is None:
        raise NotFound(f"no integration client {client_id}")
    if client.revoked_at is None:
        client.revoked_at = datetime.now(UTC)
        client.revoked_by = actor.subject
        audit.record(
            session,
            actor,
            entity="integration_client",
            entity_id=client.id,
            action="revoke",
            about=audit.about_agency_code(client.agency),
        )
    return client


async def list_clients(session: AsyncSession, actor: Principal) -> list[IntegrationClient]:
    require_user_role(actor, Role.CENTRAL_ADMIN)
    rows = await session.scalars(select(IntegrationClient).order_by(IntegrationClient.created_at))
    return list(rows)


async def authenticate(session: AsyncSession, api_key: str) -> Principal:
    """Resolve an API key to its client; unknown, malformed and revoked keys are all 401."""
    try:
        prefix, secret = api_key.removeprefix(KEY_PREFIX).split("_", 1)
    except ValueError:
        raise Unauthenticated("the API key is malformed", reason="key-invalid") from None
    client = await session.scalar(
        select(IntegrationClient).where(IntegrationClient.key_prefix == prefix)
    )
    if client is None or not hmac.compare_digest(client.key_hash, _hash(secret)):
        raise Unauthenticated("the API key is not valid", reason="key-invalid")
    if client.revoked_at is not None:
        raise Unauthenticated("the API key has been revoked", reason="key-revoked")
    return Principal(
        kind=PrincipalKind.CLIENT,
        subject=f"client:{client.id}",
        agency=client.agency,
        scopes=frozenset(client.scopes),
        name=client.name,
    )
