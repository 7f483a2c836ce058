"""Look-ups the printed documents need beside the plan and the assessment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, FrameworkItem, Person


async def item_names(
    session: AsyncSession, codes: Iterable[str], version_id: uuid.UUID | None = None
) -> dict[str, str]:
    """Thai names of framework items by code (of one version when given, else any version)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    query = select(FrameworkItem.code, FrameworkItem.name_th).where(FrameworkItem.code.in_(wanted))
    if version_id is not None:
        query = query.where(FrameworkItem.version_id == version_id)
    return {code: name for code, name in (await session.execute(query)).all()}


def full_name(person: Person | None) -> str:
    if person is None:
        return ""
    return " ".join(p for p in (person.first_name_th, person.last_name_th) if p)


async def person_by_subject(session: AsyncSession, subject: str) -> Person | None:
    return await session.scalar(select(Person).where(Person.subject == subject))


async def agency_name(session: AsyncSession, agency_id: uuid.UUID) -> str:
    return await session.scalar(select(Agency.name_th).where(Agency.id == agency_id)) or ""
