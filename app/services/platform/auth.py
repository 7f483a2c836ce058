"""Who is calling: one entry point for REST and GraphQL."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import RateLimited, Unauthenticated
from app.domain.principal import Principal
from app.services.platform import clients, telemetry
from app.services.platform.ratelimit import RateLimiter
from app.services.platform.tokens import TokenService


def basic_api_key(encoded: str) -> str:
    """HTTP Basic credentials (RFC 7617) as the integration client's API key they spell: the user
    name is the key id (``thk_<prefix>``, or the prefix alone), the password the secret. This is
    how xAPI clients authenticate to an LRS."""
    try:
        user, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated(
            "the Basic credentials are not base64", reason="key-invalid"
        ) from None
    prefix = user.removeprefix(clients.KEY_PREFIX)
    if not sep or not prefix or not secret:
        raise Unauthenticated(
            "Basic credentials are the key id and the secret of an integration client",
            reason="key-invalid",
        )
    return f"{clients.KEY_PREFIX}{prefix}_{secret}"


async def authenticate(
    session: AsyncSession | Callable[[], AsyncSession],
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
    session: AsyncSession | Callable[[], AsyncSession],
    tokens: TokenService,
    *,
    authorization: str | None,
    api_key: str | None,
) -> Principal:
    credential = api_key
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "basic" and value.strip():
            value = " " + basic_api_key(value.strip())
            scheme = "bearer"
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated(
                "use 'Authorization: Bearer <token or API key>' or, for an integration client,"
                " 'Authorization: Basic <key id:secret>'",
                reason="scheme",
            )
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
        return await clients.authenticate(session() if callable(session) else session, credential)
    return await tokens.verify(credential)
