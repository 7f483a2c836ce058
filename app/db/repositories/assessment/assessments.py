"""Assessment queries: one assessment, its ratings, batch upserts of ratings, review queues."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, Assessment, AssessmentRating, Person
from app.db.repositories.platform.subtrees import in_subtrees
from app.domain.assessment.items import Rating
from app.domain.assessment.vocabulary import Rater, RatingValue


async def get(
    session: AsyncSession, person_id: uuid.UUID, assessment_id: uuid.UUID, *, lock: bool = False
) -> Assessment | None:
    query = select(Assessment).where(
        Assessment.person_id == person_id, Assessment.id == assessment_id
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Assessment | None = await session.scalar(query)
    return found


async def find(
    session: AsyncSession, person_id: uuid.UUID, fiscal_year: int, kind: str
) -> Assessment | None:
    found: Assessment | None = await session.scalar(
        select(Assessment).where(
            Assessment.person_id == person_id,
            Assessment.fiscal_year == fiscal_year,
            Assessment.kind == kind,
        )
    )
    return found


async def insert_if_absent(session: AsyncSession, values: dict[str, Any]) -> None:
    """Two concurrent openings of the same person, year and kind make one assessment."""
    await session.execute(
        insert(Assessment)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["person_id", "fiscal_year", "kind"])
    )


async def latest_baseline(
    session: AsyncSession, person_id: uuid.UUID, fiscal_year: int
) -> Assessment | None:
    """The baseline of the same fiscal year, else of the year before."""
    found: Assessment | None = await session.scalar(
        select(Assessment)
        .where(
            Assessment.person_id == person_id,
            Assessment.kind == "baseline",
            Assessment.fiscal_year.in_([fiscal_year, fiscal_year - 1]),
        )
        .order_by(Assessment.fiscal_year.desc())
        .limit(1)
    )
    return found


async def of_person(session: AsyncSession, person_id: uuid.UUID) -> list[Assessment]:
    """A person's assessments, newest fiscal year first, a reflection before its baseline."""
    rows = await session.scalars(
        select(Assessment)
        .where(Assessment.person_id == person_id)
        .order_by(Assessment.fiscal_year.desc(), Assessment.kind.desc(), Assessment.created_at)
    )
    return list(rows)


async def latest_of(
    session: AsyncSession, person_id: uuid.UUID, *, final: bool
) -> Assessment | None:
    """A person's most recent final assessment (``final``), or most recent one not final yet:
    latest year, a reflection after its baseline."""
    status = Assessment.status == "final" if final else Assessment.status != "final"
    found: Assessment | None = await session.scalar(
        select(Assessment)
        .where(Assessment.person_id == person_id, status)
        .order_by(Assessment.fiscal_year.desc(), Assessment.kind.desc(), Assessment.created_at)
        .limit(1)
    )
    return found


Ratings = dict[str, Rating]


async def ratings_of(session: AsyncSession, a: Assessment) -> tuple[Ratings, Ratings]:
    """The self and the supervisor ratings of one assessment, by item code."""
    rows = await session.execute(
        select(
            AssessmentRating.item_code,
            AssessmentRating.self_value,
            AssessmentRating.self_note,
            AssessmentRating.self_evidence_url,
            AssessmentRating.supervisor_value,
            AssessmentRating.supervisor_note,
            AssessmentRating.supervisor_evidence_url,
        ).where(AssessmentRating.person_id == a.person_id, AssessmentRating.assessment_id == a.id)
    )
    own: Ratings = {}
    boss: Ratings = {}
    for code, sv, sn, se, vv, vn, ve in rows:
        if sv is not None:
            own[code] = Rating(RatingValue(sv), sn, se)
        if vv is not None:
            boss[code] = Rating(RatingValue(vv), vn, ve)
    return own, boss


async def save_ratings(
    session: AsyncSession, a: Assessment, rater: Rater, ratings: dict[str, Rating], by: str
) -> None:
    """Upsert one rater's ratings in one statement; the other rater's columns stay as they are."""
    prefix = rater.value
    now = datetime.now(UTC)
    rows = [
        {
            "person_id": a.person_id,
            "assessment_id": a.id,
            "item_code": code,
            f"{prefix}_value": r.value.value,
            f"{prefix}_note": r.note,
            f"{prefix}_evidence_url": r.evidence_url,
            f"{prefix}_rated_by": by,
            f"{prefix}_rated_at": now,
        }
        for code, r in ratings.items()
    ]
    statement = insert(AssessmentRating).values(rows)
    columns = ("value", "note", "evidence_url", "rated_by", "rated_at")
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["person_id", "assessment_id", "item_code"],
            set_={f"{prefix}_{c}": statement.excluded[f"{prefix}_{c}"] for c in columns},
        )
    )


async def touch(session: AsyncSession, a: Assessment, **changes: Any) -> None:
    """Apply ``changes`` and advance the row version (the ETag)."""
    await session.execute(
        update(Assessment)
        .where(Assessment.person_id == a.person_id, Assessment.id == a.id)
        .values(row_version=Assessment.row_version + 1, updated_at=datetime.now(UTC), **changes)
    )
    await session.refresh(a)


def awaiting(reviewer: uuid.UUID | None, admin_paths: Sequence[str]) -> ColumnElement[bool]:
    """Submitted assessments whose review is this person's (their first-line supervisor's), or,
    for an agency administrator, those of people without a supervisor in their subtree."""
    mine = [Assessment.supervisor_id == reviewer] if reviewer is not None else []
    if admin_paths:
        subtree = select(Agency.id).where(in_subtrees(Agency.path, admin_paths))
        mine.append(and_(Assessment.supervisor_id.is_(None), Assessment.agency_id.in_(subtree)))
    if not mine:
        return Assessment.status == "never"
    return and_(Assessment.status == "submitted", or_(*mine))


async def queue(
    session: AsyncSession, condition: ColumnElement[bool], limit: int = 500
) -> list[tuple[Assessment, Person]]:
    rows = await session.execute(
        select(Assessment, Person)
        .join(Person, Person.id == Assessment.person_id)
        .where(condition)
        .order_by(Assessment.submitted_at, Assessment.id)
        .limit(limit)
    )
    return [(a, p) for a, p in rows]
