"""What a running app holds: settings, the database, token service, limiter."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db.engine import create_engine, create_session_factory
from app.services.platform.ratelimit import RateLimiter
from app.services.platform.tokens import TokenService
from app.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    tokens: TokenService
    limiter: RateLimiter
    # Sessions whose statements each commit on their own, for reads only (no BEGIN and COMMIT
    # round trips); without one, reads use ``session_factory``.
    read_session_factory: async_sessionmaker[AsyncSession] | None = None

    @classmethod
    def build(cls, settings: Settings, database_url: str) -> Runtime:
        from app.observability import watch_pool

        engine = create_engine(database_url, pool_size=settings.db_pool_size, echo=settings.db_echo)
        watch_pool(engine)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
            tokens=TokenService(settings),
            limiter=RateLimiter(settings.rate_limit_per_minute, engine=engine),
            read_session_factory=create_session_factory(engine, read_only=True),
        )
