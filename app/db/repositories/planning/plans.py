"""Plan queries: plans with their current revision, old revisions, effort, policies, the queue."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DevelopmentPlan, Person, PlanEffort, PlanningPolicyRow, PlanRevision

RUNNING = ("acknowledged", "in_progress")


async def plan(
    session: AsyncSession, person_id: uuid.UUID, plan_id: uuid.UUID, *, lock: bool = False
) -> DevelopmentPlan | None:
    query = select(DevelopmentPlan).where(
        DevelopmentPlan.person_id == person_id, DevelopmentPlan.id == plan_id
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def plan_for_year(
    session: AsyncSession, person_id: uuid.UUID, fiscal_year: int
) -> DevelopmentPlan | None:
    return await session.scalar(
        select(DevelopmentPlan).where(
            DevelopmentPlan.person_id == person_id, DevelopmentPlan.fiscal_year == fiscal_year
        )
    )


async def revision(
    session: AsyncSession, person_id: uuid.UUID, plan_id: uuid.UUID, number: int
) -> PlanRevision | None:
    return await session.get(PlanRevision, (person_id, plan_id, number))


async def revisions(
    session: AsyncSession, person_id: uuid.UUID, plan_id: uuid.UUID
) -> list[PlanRevision]:
    rows = await session.scalars(
        select(PlanRevision)
        .where(PlanRevision.person_id == person_id, PlanRevision.plan_id == plan_id)
        .order_by(PlanRevision.revision)
    )
    return list(rows)


async def plans_of(
    session: AsyncSession, person_ids: Collection[uuid.UUID]
) -> list[tuple[DevelopmentPlan, PlanRevision]]:
    """Each plan of these people with its current revision, newest fiscal year first."""
    if not person_ids:
        return []
    rows = await session.execute(
        select(DevelopmentPlan, PlanRevision)
        .join(
            PlanRevision,
            and_(
                PlanRevision.person_id == DevelopmentPlan.person_id,
                PlanRevision.plan_id == DevelopmentPlan.id,
                PlanRevision.revision == DevelopmentPlan.current_revision,
            ),
        )
        .where(DevelopmentPlan.person_id.in_(list(person_ids)))
        .order_by(DevelopmentPlan.fiscal_year.desc(), DevelopmentPlan.person_id)
    )
    return [(p, r) for p, r in rows.all()]


async def awaiting(
    session: AsyncSession, me: uuid.UUID
) -> list[tuple[DevelopmentPlan, PlanRevision, Person]]:
    """Current revisions of my own plans and my direct reports' plans that may await me."""
    query = (
        select(DevelopmentPlan, PlanRevision, Person)
        .join(
            PlanRevision,
            and_(
                PlanRevision.person_id == DevelopmentPlan.person_id,
                PlanRevision.plan_id == DevelopmentPlan.id,
                PlanRevision.revision == DevelopmentPlan.current_revision,
            ),
        )
        .join(Person, Person.id == DevelopmentPlan.person_id)
        .where(
            or_(Person.id == me, Person.supervisor_id == me),
            PlanRevision.state.in_(("submitted", *RUNNING)),
        )
        .order_by(PlanRevision.updated_at, DevelopmentPlan.id)
    )
    return [(p, r, who) for p, r, who in (await session.execute(query)).all()]


async def efforts(
    session: AsyncSession, person_id: uuid.UUID, plan_id: uuid.UUID
) -> list[PlanEffort]:
    rows = await session.scalars(
        select(PlanEffort)
        .where(PlanEffort.person_id == person_id, PlanEffort.plan_id == plan_id)
        .order_by(PlanEffort.recorded_at, PlanEffort.id)
    )
    return list(rows)


async def policies(
    session: AsyncSession, agency_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, PlanningPolicyRow]:
    if not agency_ids:
        return {}
    rows = await session.scalars(
        select(PlanningPolicyRow).where(PlanningPolicyRow.agency_id.in_(list(agency_ids)))
    )
    return {r.agency_id: r for r in rows}
