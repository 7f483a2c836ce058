from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients
from tests.conftest import SEED_DIR, operator_principal

OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="operator", roles=frozenset({Role.CENTRAL_ADMIN})
)


@pytest.fixture
async def seed_catalogue(
    seeded: dict[str, Any], session_factory: async_sessionmaker[AsyncSession]
) -> dict[str, Any]:
    """The frameworks and the course catalogue of seed/ loaded; returns the catalogue report."""
    from app.services.learning.catalogue_seed import load_catalogue

    async with session_factory() as s, s.begin():
        report: dict[str, Any] = await load_catalogue(s, SEED_DIR, operator_principal())
    return report


@pytest.fixture
def api_key(session: AsyncSession) -> Callable[..., Awaitable[dict[str, str]]]:
    async def make(agency: str | None, *scopes: str) -> dict[str, str]:
        issued = await clients.create_client(
            session, OPERATOR, name=f"LMS {agency}", agency=agency, scopes=list(scopes)
        )
        await session.flush()
        return {"X-API-Key": issued.api_key}

    return make
