"""Staff-group assignment queries."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import Agency, Person, StaffGroupAssignment
from app.db.models.agency import CURRENT_XID
from app.db.models.person import ASSIGNMENT_CHANGE_SEQ
from app.db.repositories.platform.changes import after, settled


def stamp(row: StaffGroupAssignment, now: datetime) -> None:
    """Mark a changed row for the delta feed (a new sequence number, the writing transaction);
    the values are read back with ``refresh_stamp`` after the flush."""
    row.updated_at = now
    row.change_seq = ASSIGNMENT_CHANGE_SEQ.next_value()
    row.change_xid = CURRENT_XID  # type: ignore[assignment]


async def refresh_stamp(session: AsyncSession, row: StaffGroupAssignment) -> None:
    await session.refresh(row, ["change_seq", "change_xid"])


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


async def latest(
    session: AsyncSession, person_ids: Collection[uuid.UUID], fiscal_years: Collection[int]
) -> dict[tuple[uuid.UUID, int], StaffGroupAssignment]:
    """The newest proposal (any state) of each person and year."""
    if not person_ids:
        return {}
    rows = await session.scalars(
        select(StaffGroupAssignment)
        .where(
            StaffGroupAssignment.person_id.in_(list(person_ids)),
            StaffGroupAssignment.fiscal_year.in_(list(fiscal_years)),
        )
        .order_by(
            StaffGroupAssignment.person_id,
            StaffGroupAssignment.fiscal_year,
            StaffGroupAssignment.proposed_at.desc(),
        )
        .ext(distinct_on(StaffGroupAssignment.person_id, StaffGroupAssignment.fiscal_year))
    )
    return {(a.person_id, a.fiscal_year): a for a in rows}


async def people_by_external_id(
    session: AsyncSession, source_id: uuid.UUID, external_ids: Collection[str]
) -> dict[str, tuple[Person, str]]:
    """People of a source by external id, with their agency's path."""
    if not external_ids:
        return {}
    rows = await session.execute(
        select(Person, Agency.path)
        .join(Agency, Agency.id == Person.agency_id)
        .where(Person.source_agency_id == source_id, Person.external_id.in_(list(external_ids)))
    )
    return {p.external_id: (p, path) for p, path in rows.all()}


async def page(
    session: AsyncSession,
    people: ColumnElement[bool],
    *,
    position: tuple[int, int] | None,
    updated_since: datetime | None,
    fiscal_year: int | None,
    agency_prefix: str | None,
    limit: int,
) -> list[tuple[StaffGroupAssignment, str, str]]:
    """Assignments of the people matching ``people`` in change order, with each person's external
    id and source agency code (see app/db/repositories/platform/changes.py)."""
    source = aliased(Agency)
    query: Any = (
        select(StaffGroupAssignment, Person.external_id, source.code)
        .join(Person, Person.id == StaffGroupAssignment.person_id)
        .join(source, source.id == Person.source_agency_id)
        .where(people, settled(StaffGroupAssignment.change_xid))
        .order_by(StaffGroupAssignment.change_xid, StaffGroupAssignment.change_seq)
        .limit(limit)
    )
    moved = after(StaffGroupAssignment.change_xid, StaffGroupAssignment.change_seq, position)
    if moved is not None:
        query = query.where(moved)
    if updated_since is not None:
        query = query.where(StaffGroupAssignment.updated_at >= updated_since)
    if fiscal_year is not None:
        query = query.where(StaffGroupAssignment.fiscal_year == fiscal_year)
    if agency_prefix is not None:
        query = query.where(
            Person.agency_id.in_(select(Agency.id).where(Agency.path.startswith(agency_prefix)))
        )
    return [(a, e, c) for a, e, c in (await session.execute(query)).all()]


async def person_keys(
    session: AsyncSession, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Each person's external id and source agency code."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.external_id, Agency.code)
        .join(Agency, Agency.id == Person.source_agency_id)
        .where(Person.id.in_(list(person_ids)))
    )
    return {i: (e, c) for i, e, c in rows.all()}
