"""A verified token is taken at its word for a minute at most, and never past its expiry."""

from __future__ import annotations

import jwt
import pytest

from app.domain.errors import Unauthenticated
from app.services.platform import tokens as tokens_module
from app.services.platform.tokens import VERIFIED_SECONDS, TokenService
from tests.conftest import make_settings


class Clock:
    def __init__(self) -> None:
        self.wall, self.mono = 1_900_000_000.0, 1000.0

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(tokens_module.time, "time", lambda: c.wall)
    monkeypatch.setattr(tokens_module.time, "monotonic", lambda: c.mono)
    # PyJWT reads the wall clock through datetime: move it with ours
    monkeypatch.setattr(jwt.api_jwt, "datetime", _Datetime(c))
    return c


class _Datetime:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self, tz: object = None) -> object:
        import datetime as dt

        return dt.datetime.fromtimestamp(self.clock.wall, tz=dt.UTC)

    def __getattr__(self, name: str) -> object:
        import datetime as dt

        return getattr(dt.datetime, name)


async def test_a_cached_token_still_expires(clock: Clock) -> None:
    settings = make_settings()
    service = TokenService(settings)
    token = service.mint("somchai", ["employee"], ttl_seconds=40)
    assert (await service.verify(token)).subject == "somchai"
    # within its life (and the leeway) it is still taken, from what was verified
    clock.advance(40 + settings.jwt_leeway_seconds - 1)
    assert (await service.verify(token)).subject == "somchai"
    clock.advance(2)
    with pytest.raises(Unauthenticated) as refused:
        await service.verify(token)
    assert refused.value.extensions["reason"] == "token-expired"


async def test_a_long_lived_token_is_checked_again_after_a_minute(clock: Clock) -> None:
    service = TokenService(make_settings())
    token = service.mint("somchai", ["employee"], ttl_seconds=3600)
    await service.verify(token)
    other = TokenService(make_settings(jwt_secret="another-secret-another-secret-another!"))
    # the same token under another key: refused, nothing shared between services
    with pytest.raises(Unauthenticated):
        await other.verify(token)
    verified_until = service._verified[token][1]
    assert verified_until == pytest.approx(clock.mono + VERIFIED_SECONDS)


async def test_a_tampered_token_is_never_taken_for_a_verified_one(clock: Clock) -> None:
    service = TokenService(make_settings())
    token = service.mint("somchai", ["employee"], ttl_seconds=3600)
    await service.verify(token)
    head, payload, signature = token.split(".")
    forged = jwt.encode(
        {**jwt.decode(token, options={"verify_signature": False}), "roles": ["central_admin"]},
        "not-the-secret-not-the-secret-not-the!",
        algorithm="HS256",
    )
    with pytest.raises(Unauthenticated):
        await service.verify(forged)
    with pytest.raises(Unauthenticated):
        await service.verify(f"{head}.{payload}.{signature[:-2]}xx")
