"""The staff-group assignment workflow (003:657-659, rules B3-B4).

A person, their first-line supervisor, an agency administrator, or the agency's HR system (an
integration client with ``groups:write``) proposes the group(s) for a fiscal year. The first-line
supervisor agrees (proposing it themself counts as agreeing); when more than one group is named,
the supervisor one level higher must approve as well. Until then the assignment is pending and
not effective. Where a person has no supervisor (or their supervisor has none), an administrator
of the person's agency takes that step. An HR system only proposes: it never agrees or approves,
since the rules give those steps to people. Every step is recorded with who and when; rows are
never overwritten, so the history stays, and every write is stamped for the delta feed.

A partial group's chosen items are checked against the profiles by a ``ChoiceCheck`` (the
assessment package's ``targets.ProfileChoices``, handed in by the API: profiles belong to the
framework, which this package does not read).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person, StaffGroupAssignment
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.people import group_assignments as repo
from app.db.repositories.people import people as people_repo
from app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.domain.people.group_assignment import (
    ApprovalStep,
    AssignmentState,
    GroupShare,
    Workflow,
    start,
    validate_groups,
)
from app.domain.principal import Principal, Role
from app.domain.text import nfc
from app.services.people.people import visible_to
from app.services.people.stages import fiscal_year
from app.services.platform import audit
from app.services.platform.access import require_user_role
from app.services.platform.changes import decode_position, encode_position
from app.services.platform.scope import agency_path, group_scope, linked_person, people_scope

FEED = "group-assignment"


class ChoiceCheck(Protocol):
    async def check(
        self,
        session: AsyncSession,
        agency_id: uuid.UUID,
        fiscal_year: int,
        groups: Sequence[GroupShare],
        pointer: str = "/groups",
    ) -> list[FieldError]: ...


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An assignment with its person's external id and source agency (what an HRIS keys on)."""

    assignment: StaffGroupAssignment
    external_id: str
    source: str


@dataclass(frozen=True, slots=True)
class AssignmentPage:
    items: list[AssignmentView]
    next_cursor: str
    has_more: bool


def workflow_of(row: StaffGroupAssignment) -> Workflow:
    groups = tuple(GroupShare.of_json(g) for g in row.groups)
    done = tuple(
        step
        for step, at in (
            (ApprovalStep.SUPERVISOR, row.agreed_at),
            (ApprovalStep.SECOND_LEVEL, row.approved_at),
        )
        if at is not None
    )
    return Workflow(groups, done, AssignmentState(row.state))


async def _visible_person(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, *, asked: str | None = None
) -> Person:
    """The person, or NotFound naming what the caller asked for (``asked``: an assignment reached
    through its id must not reveal whose it is)."""
    scope = await group_scope(session, actor, write=False)
    found = await people_repo.view(session, person_id, visible_to(scope))
    if found is None or found.person.erased_at is not None:
        raise NotFound(asked or f"no person {person_id}")
    return found.person


async def _admin_over(session: AsyncSession, actor: Principal, person: Person) -> bool:
    if actor.is_client:
        return False
    if actor.has_role(Role.CENTRAL_ADMIN):
        return True
    if not actor.has_role(Role.AGENCY_ADMIN):
        return False
    scope = await people_scope(session, actor, write=True)
    return scope.covers(await agency_path(session, person.agency_id))


async def may_take(
    session: AsyncSession, actor: Principal, me: Person | None, person: Person, step: ApprovalStep
) -> bool:
    if actor.is_client:
        return False  # the rules give every step to a person (B3, B4)
    approver = person.supervisor_id
    if step is ApprovalStep.SECOND_LEVEL and approver is not None:
        supervisor = await session.get(Person, approver)
        approver = supervisor.supervisor_id if supervisor else None
    if approver is not None:
        return me is not None and me.id == approver
    return await _admin_over(session, actor, person)


def new_row(
    actor: Principal,
    person: Person,
    year: int,
    workflow: Workflow,
    note: str | None,
    now: datetime,
) -> StaffGroupAssignment:
    row = StaffGroupAssignment(
        person_id=person.id,
        id=uuid.uuid4(),
        fiscal_year=year,
        groups=[g.as_json() for g in workflow.groups],
        note=nfc(note) if note else None,
        proposed_by=actor.subject,
        proposed_at=now,
        updated_at=now,
    )
    _apply(row, workflow, actor, now)
    return row


def proposal_details(row: StaffGroupAssignment) -> dict[str, object]:
    return {
        "person_id": str(row.person_id),
        "fiscal_year": row.fiscal_year,
        "groups": row.groups,
        "state": row.state,
        "awaiting": row.awaiting,
    }


async def propose(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    fiscal_year_be: int,
    groups: list[GroupShare],
    choices: ChoiceCheck,
    note: str | None = None,
) -> StaffGroupAssignment:
    if not actor.is_client:
        require_user_role(
            actor, Role.EMPLOYEE, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN
        )
    else:
        await group_scope(session, actor, write=True)
    year = fiscal_year(fiscal_year_be, "/fiscal_year")
    person = await _visible_person(session, actor, person_id)
    me = await linked_person(session, actor)
    is_self = me is not None and me.id == person.id
    agrees = await may_take(session, actor, me, person, ApprovalStep.SUPERVISOR)
    if not (actor.is_client or is_self or agrees or await _admin_over(session, actor, person)):
        raise Forbidden(
            "only the person, their first-line supervisor, an agency administrator or the "
            "agency's HR system may propose"
        )
    validate_groups(groups)
    problems = await choices.check(session, person.agency_id, year.be, groups)
    if problems:
        raise ValidationFailed(problems)
    if await repo.pending(session, person.id, year.be) is not None:
        raise Conflict(f"a proposal for FY{year.be} is already pending: approve or reject it first")
    workflow = start(groups, agreed_at_proposal=agrees)
    row = new_row(actor, person, year.be, workflow, note, datetime.now(UTC))
    session.add(row)
    await session.flush()
    record_proposal(session, actor, row)
    return row


def record_proposal(
    session: AsyncSession, actor: Principal, row: StaffGroupAssignment, *, bulk: bool = False
) -> None:
    """The audit event of a proposal, by hand or in bulk."""
    audit.record(
        session,
        actor,
        entity="staff_group_assignment",
        entity_id=row.id,
        action="propose",
        about=audit.about_person(row.person_id),
        details={**proposal_details(row), "bulk": True} if bulk else proposal_details(row),
    )


async def decide(
    session: AsyncSession,
    actor: Principal,
    assignment_id: uuid.UUID,
    *,
    approve: bool,
    note: str | None = None,
) -> StaffGroupAssignment:
    """Approve or reject the step the assignment awaits, as the one whose step it is."""
    require_user_role(actor, Role.EMPLOYEE, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN)
    row = await repo.by_id(session, assignment_id)
    if row is None:
        raise NotFound(f"no staff-group assignment {assignment_id}")
    person = await _visible_person(
        session, actor, row.person_id, asked=f"no staff-group assignment {assignment_id}"
    )
    workflow = workflow_of(row)
    step = workflow.awaiting
    if step is None:
        raise Conflict(f"the assignment is already {row.state}", state=row.state)
    me = await linked_person(session, actor)
    if not await may_take(session, actor, me, person, step):
        who = (
            "first-line supervisor"
            if step is ApprovalStep.SUPERVISOR
            else ("supervisor one level above the first-line supervisor")
        )
        raise Forbidden(f"this step is the {who}'s", awaiting=step.value)
    now = datetime.now(UTC)
    if approve:
        _apply(row, workflow.approve(step), actor, now)
    else:
        _apply(row, workflow.reject(step), actor, now)
        row.rejected_by, row.rejected_at = actor.subject, now
        row.rejection_note = nfc(note) if note else None
    repo.stamp(row, now)
    await session.flush()
    await repo.refresh_stamp(session, row)
    audit.record(
        session,
        actor,
        entity="staff_group_assignment",
        entity_id=row.id,
        action="approve" if approve else "reject",
        about=audit.about_person(row.person_id),
        details={"step": step.value, "state": row.state, "person_id": str(row.person_id)},
    )
    return row


def _apply(row: StaffGroupAssignment, workflow: Workflow, actor: Principal, now: datetime) -> None:
    """Record the steps newly taken and the resulting state."""
    if ApprovalStep.SUPERVISOR in workflow.done and row.agreed_at is None:
        row.agreed_by, row.agreed_at = actor.subject, now
    if ApprovalStep.SECOND_LEVEL in workflow.done and row.approved_at is None:
        row.approved_by, row.approved_at = actor.subject, now
    row.state = workflow.state.value
    row.awaiting = workflow.awaiting.value if workflow.awaiting else None
    if workflow.state is not AssignmentState.PENDING:
        row.decided_at = now


async def get(
    session: AsyncSession, actor: Principal, assignment_id: uuid.UUID
) -> StaffGroupAssignment:
    row = await repo.by_id(session, assignment_id)
    if row is None:
        raise NotFound(f"no staff-group assignment {assignment_id}")
    # NotFound outside the caller's reach, told as the same answer an unknown id gets
    await _visible_person(
        session, actor, row.person_id, asked=f"no staff-group assignment {assignment_id}"
    )
    return row


async def history(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, fiscal_year_be: int | None
) -> list[StaffGroupAssignment]:
    person = await _visible_person(session, actor, person_id)
    return await repo.of_people(session, [person.id], fiscal_year_be)


async def views(
    session: AsyncSession, rows: Sequence[StaffGroupAssignment]
) -> list[AssignmentView]:
    """Rows with their people's external ids and sources."""
    keys = await repo.person_keys(session, {r.person_id for r in rows})
    return [AssignmentView(r, *keys[r.person_id]) for r in rows]


async def list_changes(
    session: AsyncSession,
    actor: Principal,
    *,
    cursor: str | None,
    updated_since: datetime | None,
    limit: int,
    fiscal_year_be: int | None = None,
    agency: str | None = None,
) -> AssignmentPage:
    """Assignments of the people the caller may see, in change order (every proposal, approval
    step and rejection moves a row to the end); resume with ``next_cursor``."""
    scope = await group_scope(session, actor, write=False)
    position = decode_position(FEED, cursor)
    year = None if fiscal_year_be is None else fiscal_year(fiscal_year_be).be
    prefix = None
    if agency is not None:
        found = await agency_repo.by_code(session, agency)
        if found is None:
            return AssignmentPage([], cursor or encode_position(FEED, 0, 0), False)
        prefix = found.path
    rows = await repo.page(
        session,
        visible_to(scope),
        position=position,
        updated_since=updated_since,
        fiscal_year=year,
        agency_prefix=prefix,
        limit=limit + 1,
    )
    items = [AssignmentView(a, e, c) for a, e, c in rows[:limit]]
    if items:
        last = items[-1].assignment
        next_cursor = encode_position(FEED, last.change_xid, last.change_seq)
    else:
        next_cursor = cursor or encode_position(FEED, 0, 0)
    return AssignmentPage(items, next_cursor, len(rows) > limit)


async def awaiting_me(session: AsyncSession, actor: Principal) -> list[StaffGroupAssignment]:
    me = await linked_person(session, actor)
    return [] if me is None else await repo.awaiting(session, me.id)
