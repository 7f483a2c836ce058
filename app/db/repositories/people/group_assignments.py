"""Staff-group assignment queries."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import Person, StaffGroupAssignment


async def by_id(session: AsyncSession, assignment_id: uuid.UUID) -> StaffGroupAssignment | None:
    return await session.scalar(
        select(StaffGroupAssignment)
        .where(StaffGroupAssignment.id == assignment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def pending(
    session: AsyncSession, person_id: uuid.UUID, fiscal_year: int
) -> StaffGroupAssignment | None:
    return await session.scalar(
        select(StaffGroupAssignment).where(
            StaffGroupAssignment.person_id == person_id,
            StaffGroupAssignment.fiscal_year == fiscal_year,
            StaffGroupAssignment.state == "pending",
        )
    )


async def of_people(
    session: AsyncSession, person_ids: Collection[uuid.UUID], fiscal_year: int | None
) -> list[StaffGroupAssignment]:
    """Newest first: the history of each person's assignments."""
    query = select(StaffGroupAssignment).where(StaffGroupAssignment.person_id.in_(list(person_ids)))
    if fiscal_year is not None:
        query = query.where(StaffGroupAssignment.fiscal_year == fiscal_year)
    rows = await session.scalars(
        query.order_by(StaffGroupAssignment.proposed_at.desc(), StaffGroupAssignment.id)
    )
    return list(rows)


async def effective(
    session: AsyncSession, person_ids: Collection[uuid.UUID], fiscal_year: int
) -> dict[uuid.UUID, StaffGroupAssignment]:
    """The latest approved assignment of each person for the year."""
    rows = await session.scalars(
        select(StaffGroupAssignment)
        .where(
            StaffGroupAssignment.person_id.in_(list(person_ids)),
            StaffGroupAssignment.fiscal_year == fiscal_year,
            StaffGroupAssignment.state == "approved",
        )
        .order_by(StaffGroupAssignment.person_id, StaffGroupAssignment.decided_at.desc())
        .ext(distinct_on(StaffGroupAssignment.person_id))
    )
    return {a.person_id: a for a in rows}


async def awaiting(session: AsyncSession, approver_id: uuid.UUID) -> list[StaffGroupAssignment]:
    """Pending assignments whose next step is this person's: as first-line supervisor, or as the
    supervisor one level higher."""
    subject = aliased(Person)
    boss = aliased(Person)
    rows = await session.scalars(
        select(StaffGroupAssignment)
        .join(subject, subject.id == StaffGroupAssignment.person_id)
        .outerjoin(boss, boss.id == subject.supervisor_id)
        .where(
            StaffGroupAssignment.state == "pending",
            or_(
                and_(
                    StaffGroupAssignment.awaiting == "supervisor",
                    subject.supervisor_id == approver_id,
                ),
                and_(
                    StaffGroupAssignment.awaiting == "second_level_supervisor",
                    boss.supervisor_id == approver_id,
                ),
            ),
        )
        .order_by(StaffGroupAssignment.proposed_at)
    )
    return list(rows)
