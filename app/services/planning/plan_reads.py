"""Reading plans: one revision, a person's plans, a plan's history, my plan, the queue of plans
awaiting my signature or evaluation, and progress (actual against planned 70:20:10)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import PlanEffort, PlanRevision
from app.db.repositories.planning import plans as repo
from app.domain.errors import NotFound
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.planning.lifecycle import Relation
from app.domain.planning.model import DevelopmentPlan, PlanState
from app.domain.planning.progress import EffortEntry, EffortSource, PlanProgress, progress
from app.domain.principal import Principal
from app.services.planning import plan_context
from app.services.planning.plan_records import Loaded, load, party, to_domain
from app.services.planning.plans import PlanResult, result
from app.services.platform.scope import linked_person


async def get_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    revision: int | None = None,
) -> PlanResult:
    return await result(session, await load(session, actor, person_id, plan_id, revision=revision))


async def list_plans(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID
) -> list[PlanResult]:
    """A person's plans (current revisions), newest fiscal year first, without findings."""
    who = await party(session, actor, person_id)
    if who.relation is Relation.OTHER:
        raise NotFound(f"no person {person_id}")
    return [
        PlanResult(Loaded(who, row, rev, to_domain(row, rev)), None, [])
        for row, rev in await repo.plans_of(session, [person_id])
    ]


async def list_revisions(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> tuple[Loaded, list[PlanRevision]]:
    loaded = await load(session, actor, person_id, plan_id)
    return loaded, await repo.revisions(session, person_id, plan_id)


async def my_plans(session: AsyncSession, actor: Principal) -> list[PlanResult]:
    me = await linked_person(session, actor)
    if me is None:
        return []
    return await list_plans(session, actor, me.id)


async def my_current_plan(
    session: AsyncSession, actor: Principal, fiscal_year: int | None = None
) -> tuple[PlanResult, ProgressReport] | None:
    """My plan for the fiscal year (default: the current one) with its progress, if I have one."""
    me = await linked_person(session, actor)
    if me is None:
        return None
    year = fiscal_year or FiscalYear.containing(bangkok_today()).be
    row = await repo.plan_for_year(session, me.id, year)
    if row is None:
        return None
    loaded = await load(session, actor, me.id, row.id)
    return await result(session, loaded), await _progress(session, loaded)


class Awaiting(StrEnum):
    ACKNOWLEDGE = "acknowledge"  # a submitted plan lacks my signature
    EVALUATE = "evaluate"  # a plan in force has no IDP2 yet
    ACKNOWLEDGE_EVALUATION = "acknowledge_evaluation"  # the IDP2 lacks my signature


@dataclass(frozen=True)
class QueueEntry:
    plan: DevelopmentPlan
    relation: Relation
    awaiting: Awaiting
    etag_version: int


def _awaits(plan: DevelopmentPlan, relation: Relation) -> Awaiting | None:
    mine = "owner_ack" if relation is Relation.OWNER else "supervisor_ack"
    if plan.state is PlanState.SUBMITTED:
        return Awaiting.ACKNOWLEDGE if getattr(plan, mine) is None else None
    if plan.evaluation is None:
        # the supervisor leads the evaluation (004:1657); the person sees it when written
        return Awaiting.EVALUATE if relation is Relation.SUPERVISOR else None
    if getattr(plan.evaluation, mine) is None:
        return Awaiting.ACKNOWLEDGE_EVALUATION
    return None


async def queue(session: AsyncSession, actor: Principal) -> list[QueueEntry]:
    """Plans waiting for me: my signature on a submitted plan or on an IDP2 (as the person or
    the first-line supervisor), and my direct reports' plans in force not yet evaluated."""
    me = await linked_person(session, actor)
    if me is None:
        return []
    out: list[QueueEntry] = []
    for row, rev, person in await repo.awaiting(session, me.id):
        relation = Relation.OWNER if person.id == me.id else Relation.SUPERVISOR
        plan = to_domain(row, rev)
        awaiting = _awaits(plan, relation)
        if awaiting is not None:
            out.append(QueueEntry(plan, relation, awaiting, row.lock_version))
    return out


@dataclass(frozen=True)
class ProgressReport:
    plan: DevelopmentPlan
    progress: PlanProgress
    entries: list[PlanEffort]


async def _progress(session: AsyncSession, loaded: Loaded) -> ProgressReport:
    rows = await repo.efforts(session, loaded.row.person_id, loaded.row.id)
    entries = [
        EffortEntry(r.activity_id, r.hours, r.on, EffortSource(r.source), r.note or "")
        for r in rows
    ]
    policy = await plan_context.policy_for(session, loaded.party.person)
    return ProgressReport(loaded.plan, progress(loaded.plan, entries, policy), rows)


async def plan_progress(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    revision: int | None = None,
) -> ProgressReport:
    """Planned against actual hours per activity and per bucket of the (current) revision."""
    return await _progress(
        session, await load(session, actor, person_id, plan_id, revision=revision)
    )
