"""Who is calling: one entry point for REST and GraphQL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import RateLimited, Unauthenticated
from app.domain.principal import Principal
from app.services.platform import clients, telemetry
from app.services.platform.ratelimit import RateLimiter
from app.services.platform.tokens import TokenService


async def authenticate(
    session: AsyncSession,
    tokens: TokenService,
    limiter: RateLimiter,
    *,
    authorization: str | None,
    api_key: str | None,
) -> Principal:
    try:
        principal = await _identify(session, tokens, authorization=authorization, api_key=api_key)
    except Unauthenticated as exc:
        telemetry.note_auth_failure(str(exc.extensions.get("reason", "other")))
        raise
    telemetry.note_principal(principal)
    try:
        await limiter.hit(f"{principal.kind.value}:{principal.subject}")
    except RateLimited:
        telemetry.note_rate_limited(principal.kind.value)
        raise
    return principal


async def _identify(
    session: AsyncSession,
    tokens: TokenService,
    *,
    authorization: str | None,
    api_key: str | None,
) -> Principal:
    credential = api_key
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token or API key>'", reason="scheme")
        # Two different credentials are refused rather than one of them silently ignored: an
        # invalid or foreign token must never ride along with a valid key unnoticed.
        if credential is not None and credential != value.strip():
            raise Unauthenticated(
                "send one credential: 'Authorization: Bearer ...' or 'X-API-Key', not both",
                reason="ambiguous",
            )
        credential = value.strip()
    if not credential:
        raise Unauthenticated("no credentials: send a bearer token or an API key", reason="missing")
    if clients.looks_like_api_key(credential):
        return await clients.authenticate(session, credential)
    return await tokens.verify(credential)
