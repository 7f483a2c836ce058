"""Plans between the database rows and the domain: who the caller is to a plan, loading a
revision as a domain value, and saving a changed value (in place, or as a new revision)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DevelopmentPlan as PlanRow
from app.db.models import Person, PlanRevision
from app.db.repositories.people import people as people_repo
from app.db.repositories.planning import plans as repo
from app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.domain.fiscal import FiscalYear
from app.domain.planning import document
from app.domain.planning.lifecycle import Relation
from app.domain.planning.model import Acknowledgement, DevelopmentPlan, PlanState
from app.domain.principal import Principal, Role
from app.services.people.people import visible_to
from app.services.platform import audit
from app.services.platform.scope import agency_path, linked_person, people_scope


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """Ids of items and activities: short, unique within a plan, stable across revisions."""
    return uuid.uuid4().hex[:12]


def parse_uuid(value: str | uuid.UUID | None, pointer: str) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed([FieldError(pointer, "format", f"{value!r} is not an id")]) from None


@dataclass(frozen=True)
class Party:
    """A person and what the caller is to their plans."""

    person: Person
    relation: Relation


async def party(session: AsyncSession, actor: Principal, person_id: uuid.UUID) -> Party:
    """The strongest relation that applies: owner, first-line supervisor, agency administrator
    (reads only), else other. A person the caller may not see is not found."""
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    me = await linked_person(session, actor)
    if me is not None and me.id == person.id:
        return Party(person, Relation.OWNER)
    if me is not None and person.supervisor_id == me.id:
        return Party(person, Relation.SUPERVISOR)
    try:
        scope = await people_scope(session, actor, write=False)
    except Forbidden:
        raise NotFound(f"no person {person_id}") from None
    if await people_repo.view(session, person_id, visible_to(scope)) is None:
        raise NotFound(f"no person {person_id}")
    path = await agency_path(session, person.agency_id)
    administers = actor.is_client or (
        actor.has_role(Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN) and scope.covers(path)
    )
    return Party(person, Relation.AGENCY_ADMIN if administers else Relation.OTHER)


def to_domain(row: PlanRow, rev: PlanRevision) -> DevelopmentPlan:
    doc = rev.document
    return DevelopmentPlan(
        id=str(row.id),
        person_id=str(row.person_id),
        fiscal_year=FiscalYear(row.fiscal_year),
        person_name=doc.get("person_name", ""),
        position=doc.get("position", ""),
        unit=doc.get("unit", ""),
        baseline_assessment_id=(
            None if rev.baseline_assessment_id is None else str(rev.baseline_assessment_id)
        ),
        items=document.items_from_json(doc.get("items", []), new_id),
        revision=rev.revision,
        revised_from=rev.revised_from,
        state=PlanState(rev.state),
        created_at=rev.created_at,
        submitted_at=rev.submitted_at,
        owner_ack=_ack(rev.owner_ack_by, rev.owner_ack_at),
        supervisor_ack=_ack(rev.supervisor_ack_by, rev.supervisor_ack_at),
        evaluation=document.evaluation_from_json(rev.evaluation),
    )


def _ack(by: str | None, at: datetime | None) -> Acknowledgement | None:
    return None if by is None or at is None else Acknowledgement(by, at)


@dataclass
class Loaded:
    party: Party
    row: PlanRow
    rev: PlanRevision
    plan: DevelopmentPlan

    @property
    def latest(self) -> bool:
        return self.rev.revision == self.row.current_revision


async def load(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    revision: int | None = None,
    for_update: bool = False,
) -> Loaded:
    """A plan's current (or a given) revision. Callers who are "other" to the plan find
    nothing on reads; writes check the relation themselves (and answer forbidden)."""
    who = await party(session, actor, person_id)
    row = await repo.plan(session, person_id, plan_id, lock=for_update)
    if row is None:
        raise NotFound(f"no plan {plan_id} for person {person_id}")
    number = row.current_revision if revision is None else revision
    rev = await repo.revision(session, person_id, plan_id, number)
    if rev is None:
        raise NotFound(f"plan {plan_id} has no revision {number}")
    if who.relation is Relation.OTHER and not for_update:
        raise NotFound(f"no plan {plan_id} for person {person_id}")
    return Loaded(who, row, rev, to_domain(row, rev))


def write_revision(
    rev: PlanRevision, plan: DevelopmentPlan, actor: Principal, at: datetime
) -> None:
    rev.state = plan.state.value
    rev.document = document.document_of(plan)
    rev.baseline_assessment_id = parse_uuid(plan.baseline_assessment_id, "/baseline_assessment_id")
    rev.submitted_at = plan.submitted_at
    rev.owner_ack_by = plan.owner_ack.by if plan.owner_ack else None
    rev.owner_ack_at = plan.owner_ack.at if plan.owner_ack else None
    rev.supervisor_ack_by = plan.supervisor_ack.by if plan.supervisor_ack else None
    rev.supervisor_ack_at = plan.supervisor_ack.at if plan.supervisor_ack else None
    rev.evaluation = document.evaluation_to_json(plan.evaluation)
    rev.updated_by = actor.subject
    rev.updated_at = at


def new_revision_row(
    row: PlanRow,
    plan: DevelopmentPlan,
    actor: Principal,
    at: datetime,
    framework_version_id: uuid.UUID | None,
) -> PlanRevision:
    rev = PlanRevision(
        person_id=row.person_id,
        plan_id=row.id,
        revision=plan.revision,
        revised_from=plan.revised_from,
        framework_version_id=framework_version_id,
        created_by=actor.subject,
        created_at=at,
    )
    write_revision(rev, plan, actor, at)
    return rev


async def save(
    session: AsyncSession,
    actor: Principal,
    loaded: Loaded,
    after: DevelopmentPlan,
    *,
    action: str,
    details: dict[str, object] | None = None,
    framework_version_id: uuid.UUID | None = None,
) -> Loaded:
    """Store ``after``: in the current revision, or as a new one (the old is left as it was)."""
    if not loaded.latest:
        raise Conflict(
            f"revision {loaded.rev.revision} is not the plan's latest"
            f" ({loaded.row.current_revision}); old revisions never change"
        )
    at = now()
    row = loaded.row
    if after.revision == loaded.rev.revision:
        write_revision(loaded.rev, after, actor, at)
        rev = loaded.rev
    else:
        rev = new_revision_row(
            row, after, actor, at, framework_version_id or loaded.rev.framework_version_id
        )
        session.add(rev)
        await session.flush()
        row.current_revision = after.revision
    row.lock_version += 1
    row.updated_at = at
    await session.flush()
    audit.record(
        session,
        actor,
        entity="development_plan",
        entity_id=row.id,
        action=action,
        about=audit.about_person(row.person_id),
        details={
            "person_id": str(row.person_id),
            "fiscal_year": row.fiscal_year,
            "revision": after.revision,
            "state": after.state.value,
            **(details or {}),
        },
    )
    return Loaded(loaded.party, row, rev, after)
