"""User bearer tokens (JWT): verification, and minting for development and operations."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

import jwt

from app.domain.errors import FieldError, Unauthenticated, ValidationFailed
from app.domain.principal import Principal, PrincipalKind, Role
from app.settings import Settings

_VALID_ROLES = {r.value for r in Role}


# A token verified once is taken at its word for this long (and never past its expiry): a
# portal sends the same token with every request, and checking its signature again is most of
# what an authenticated request costs. Not longer than the signing keys are kept (600 s).
VERIFIED_SECONDS = 60.0
MAX_VERIFIED = 10_000


class TokenService:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._jwks: jwt.PyJWKClient | None = (
            jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=600)
            if settings.jwt_jwks_url
            else None
        )
        # token -> (principal, valid until: monotonic seconds), oldest first
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        now = time.monotonic()
        if known is not None and now < known[1]:
            return known[0]
        if self._jwks is not None:
            principal, expires = await asyncio.to_thread(self._verify_claims, token)
        else:
            principal, expires = self._verify_claims(token)
        # until the expiry the signature check allows (with leeway), at most VERIFIED_SECONDS
        left = expires + self._settings.jwt_leeway_seconds - time.time()
        self._verified[token] = (principal, now + min(VERIFIED_SECONDS, left))
        self._verified.move_to_end(token)
        while len(self._verified) > MAX_VERIFIED:
            self._verified.popitem(last=False)
        return principal

    def _verify_claims(self, token: str) -> tuple[Principal, float]:
        s = self._settings
        try:
            if self._jwks is not None:
                key: Any = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256"]
            else:
                key = s.jwt_secret.get_secret_value()
                algorithms = ["HS256"]
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=s.jwt_audience,
                issuer=s.jwt_issuer,
                leeway=s.jwt_leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("the token has expired", reason="token-expired") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(
                f"the token is not valid: {type(exc).__name__}", reason="token-invalid"
            ) from exc
        return principal_from_claims(claims), float(claims["exp"])

    def mint(
        self,
        subject: str,
        roles: list[str],
        agency: str | None = None,
        ttl_seconds: int | None = None,
        name: str | None = None,
    ) -> str:
        if self._jwks is not None:
            raise RuntimeError("tokens are issued by the identity provider when a JWKS URL is set")
        unknown = [r for r in roles if r not in _VALID_ROLES]
        if unknown:
            raise ValidationFailed(
                [FieldError("/roles", "enum", f"unknown role {r!r}") for r in unknown]
            )
        s = self._settings
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "roles": roles,
            "iss": s.jwt_issuer,
            "aud": s.jwt_audience,
            "iat": now,
            "exp": now + (ttl_seconds or s.jwt_default_ttl_seconds),
        }
        if agency:
            claims["agency"] = agency
        if name:
            claims["name"] = name
        return jwt.encode(claims, s.jwt_secret.get_secret_value(), algorithm="HS256")


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    raw_roles = claims.get("roles", [])
    if isinstance(raw_roles, str):
        raw_roles = raw_roles.split()
    roles = frozenset(Role(r) for r in raw_roles if r in _VALID_ROLES)
    agency = claims.get("agency")
    return Principal(
        kind=PrincipalKind.USER,
        subject=str(claims["sub"]),
        roles=roles,
        agency=str(agency) if agency else None,
        name=claims.get("name"),
    )
