"""Who is calling: one entry point for REST and GraphQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import Unauthenticated
from app.domain.principal import Principal
from app.services.platform import clients
from app.services.platform.ratelimit import RateLimiter
from app.services.platform.tokens import TokenService


async def authenticate(
    session: AsyncSession | Callable[[], AsyncSession],
    tokens: TokenService,
    limiter: RateLimiter,
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
        # (a callable gives the session only when needed: a token needs no database)
        principal = await clients.authenticate(
            session() if callable(session) else session, credential
        )
    else:
        principal = await tokens.verify(credential)
    limiter.hit(f"{principal.kind.value}:{principal.subject}")
    return principal
