"""Look-ups the printed documents need beside the plan and the assessment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, Framework, FrameworkItem, FrameworkVersion, Person


async def item_names(
    session: AsyncSession,
    codes: Iterable[str],
    version_id: uuid.UUID | None = None,
    framework: str = "ocsc",
) -> dict[str, str]:
    """Thai names of framework items by code: of one version when given, else as the plan's
    framework (``framework``, the OCSC framework by default) names them, its published version
    first, then its newest. Codes are not unique across frameworks (the TPQI IT-executive
    framework has a DG100 of its own, with another name): another framework's name is taken only
    for a code the framework does not have, and always the same one."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    query = (
        select(FrameworkItem.code, FrameworkItem.name_th)
        .join(FrameworkVersion, FrameworkVersion.id == FrameworkItem.version_id)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(FrameworkItem.code.in_(wanted))
        .order_by(
            FrameworkItem.code,
            (Framework.key == framework).desc(),
            (FrameworkVersion.status == "published").desc(),
            FrameworkVersion.created_at.desc(),
            Framework.key,
        )
    )
    if version_id is not None:
        query = query.where(FrameworkItem.version_id == version_id)
    names: dict[str, str] = {}
    for code, name in (await session.execute(query)).all():
        names.setdefault(code, name)  # the first by the order above
    return names


def full_name(person: Person | None) -> str:
    if person is None:
        return ""
    return " ".join(p for p in (person.first_name_th, person.last_name_th) if p)


async def person_by_subject(session: AsyncSession, subject: str) -> Person | None:
    return await session.scalar(select(Person).where(Person.subject == subject))


async def agency_name(session: AsyncSession, agency_id: uuid.UUID) -> str:
    return await session.scalar(select(Agency.name_th).where(Agency.id == agency_id)) or ""
