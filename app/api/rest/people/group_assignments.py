"""Staff-group assignments over REST: per person, the agency's change feed, single proposals and
the approval steps, and bulk proposals from an HR system (docs/hris-sync.md)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.api.rest.bulk import BulkBody, bulk_body_doc, run_bulk
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import (
    Cursor,
    DryRun,
    FiscalYearQuery,
    IdempotencyKey,
    Limit,
    SyncSource,
    UpdatedSince,
)
from app.api.rest.people.group_assignment_schemas import (
    DecisionIn,
    GroupAssignmentChanges,
    GroupAssignmentIn,
    GroupAssignmentOut,
    GroupAssignmentPage,
    GroupAssignmentRecordIn,
    GroupAssignmentSyncResult,
)
from app.api.rest.problems import problem_responses
from app.services.assessment.targets import ProfileChoices
from app.services.people import group_assignments
from app.services.people.group_sync import sync_group_assignments
from app.services.platform.pagination import page

router = APIRouter(tags=["group-assignments"], route_class=InputRoute)


@router.post(
    "/group-assignments/bulk",
    response_model=GroupAssignmentSyncResult,
    openapi_extra=bulk_body_doc(GroupAssignmentRecordIn),
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def bulk_propose_group_assignments(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
    dry_run: DryRun = False,
    source: SyncSource = None,
) -> Response:
    """Propose staff groups for up to 5,000 people keyed by external id and fiscal year; one
    outcome per record (`created`: a new pending proposal, `unchanged`: the newest proposal of
    that year already says so, `rejected` with problems and JSON pointers). A proposal still
    needs the first-line supervisor's agreement (and, for more than one group, the approval
    of the supervisor one level higher)."""

    async def write(body: BulkBody) -> dict[str, object]:
        report = await sync_group_assignments(
            session,
            principal,
            body.records,
            source=source,
            dry_run=dry_run,
            choices=ProfileChoices(),
        )
        return report.as_json()

    return await run_bulk(
        request,
        session,
        principal,
        idempotency_key=idempotency_key,
        dry_run=dry_run,
        write=write,
    )


@router.get(
    "/group-assignments",
    response_model=GroupAssignmentChanges,
    responses=problem_responses(401, 403, 422),
)
async def list_group_assignments(
    principal: CurrentPrincipal,
    session: DbSession,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = 100,
    fiscal_year: FiscalYearQuery = None,
    agency: Annotated[str | None, Query(description="Only people in this agency's subtree")] = None,
) -> GroupAssignmentChanges:
    """Assignments of the people you may see, in change order (delta sync): a proposal, each
    approval step and a rejection bring the assignment back. Follow `next_cursor` until it is
    null; keep the last page's `poll_cursor` and poll with it later."""
    page = await group_assignments.list_changes(
        session,
        principal,
        cursor=cursor,
        updated_since=updated_since,
        limit=limit,
        fiscal_year_be=fiscal_year,
        agency=agency,
    )
    return GroupAssignmentChanges(
        items=[GroupAssignmentOut.of(v) for v in page.items],
        next_cursor=page.next_cursor if page.has_more else None,
        poll_cursor=page.next_cursor,
    )


@router.get(
    "/group-assignments/{assignment_id}",
    response_model=GroupAssignmentOut,
    responses=problem_responses(401, 403, 404),
)
async def get_group_assignment(
    assignment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> GroupAssignmentOut:
    row = await group_assignments.get(session, principal, assignment_id)
    return GroupAssignmentOut.of((await group_assignments.views(session, [row]))[0])


@router.get(
    "/people/{person_id}/group-assignments",
    response_model=GroupAssignmentPage,
    responses=problem_responses(401, 403, 404, 422),
)
async def person_group_assignments(
    person_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    fiscal_year: FiscalYearQuery = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> GroupAssignmentPage:
    """A person's assignments, newest first (the history stays)."""
    rows = await group_assignments.history(session, principal, person_id, fiscal_year)
    found = page(
        await group_assignments.views(session, rows),
        lambda v: (-int(v.assignment.proposed_at.timestamp() * 1_000_000), str(v.assignment.id)),
        name="group-assignments",
        limit=limit,
        cursor=cursor,
    )
    return GroupAssignmentPage(
        items=[GroupAssignmentOut.of(v) for v in found.items], next_cursor=found.next_cursor
    )


@router.post(
    "/people/{person_id}/group-assignments",
    response_model=GroupAssignmentOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 415, 422),
)
async def propose_group_assignment(
    person_id: uuid.UUID, body: GroupAssignmentIn, principal: CurrentPrincipal, session: DbSession
) -> GroupAssignmentOut:
    """Propose the person's staff group(s) for a fiscal year (the person, their first-line
    supervisor, an agency administrator, or an HR system with `groups:write`). A first-line
    supervisor's own proposal is their agreement; an HR system's never is."""
    row = await group_assignments.propose(
        session,
        principal,
        person_id,
        fiscal_year_be=body.fiscal_year,
        groups=[g.share() for g in body.groups],
        note=body.note,
        choices=ProfileChoices(),
    )
    return GroupAssignmentOut.of((await group_assignments.views(session, [row]))[0])


@router.post(
    "/group-assignments/{assignment_id}/approve",
    response_model=GroupAssignmentOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def approve_group_assignment(
    assignment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> GroupAssignmentOut:
    """Take the step the assignment awaits: the first-line supervisor's agreement (B3), then,
    for more than one group, the approval of the supervisor one level higher (B4)."""
    row = await group_assignments.decide(session, principal, assignment_id, approve=True)
    return GroupAssignmentOut.of((await group_assignments.views(session, [row]))[0])


@router.post(
    "/group-assignments/{assignment_id}/reject",
    response_model=GroupAssignmentOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def reject_group_assignment(
    assignment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    body: DecisionIn | None = None,
) -> GroupAssignmentOut:
    """Refuse the step the assignment awaits; the assignment ends rejected."""
    row = await group_assignments.decide(
        session, principal, assignment_id, approve=False, note=body.note if body else None
    )
    return GroupAssignmentOut.of((await group_assignments.views(session, [row]))[0])
