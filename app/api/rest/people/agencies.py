from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from app.api.rest.bulk import (
    JSON,
    MERGE_PATCH,
    BulkBody,
    bulk_body_doc,
    json_body_doc,
    merge_patch_doc,
    read_object,
    run_bulk,
)
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import (
    Cursor,
    DryRun,
    FiscalYearBE,
    IdempotencyKey,
    IfMatch,
    Limit,
    UpdatedSince,
)
from app.api.rest.people.people_schemas import (
    AgencyChanges,
    AgencyIn,
    AgencyOut,
    AgencySyncResult,
    AgencyVersionOut,
    AgencyVersionPage,
    StageDeclarationIn,
    StageDeclarationOut,
    StageDeclarationPage,
    StageInForceOut,
)
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import put_responses
from app.domain.limits import INT4_MAX, INT4_MIN
from app.services.people import agencies, stages
from app.services.people.agency_sync import sync_agencies
from app.services.platform.pagination import page

FiscalYearPath = Annotated[
    int, Path(ge=INT4_MIN, le=INT4_MAX, description="Buddhist Era, e.g. 2568")
]
router = APIRouter(prefix="/agencies", tags=["agencies"], route_class=InputRoute)


@router.post(
    "/bulk",
    response_model=AgencySyncResult,
    openapi_extra=bulk_body_doc(AgencyIn),
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def bulk_upsert_agencies(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
    dry_run: DryRun = False,
) -> Response:
    """Create or update up to 5,000 agencies keyed by code; one outcome per record.

    A parent may be earlier or later in the batch or already stored. Moves and renames keep
    their history (`GET /agencies/{code}/history`)."""

    async def write(body: BulkBody) -> dict[str, object]:
        report = await sync_agencies(session, principal, body.records, dry_run=dry_run)
        return report.as_json()

    return await run_bulk(
        request,
        session,
        principal,
        idempotency_key=idempotency_key,
        dry_run=dry_run,
        write=write,
    )


@router.get("", response_model=AgencyChanges, responses=problem_responses(401, 403, 422))
async def list_agencies(
    principal: CurrentPrincipal,
    session: DbSession,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> AgencyChanges:
    """Agencies in your scope in change order (delta sync): follow `next_cursor` until it is
    null; keep the last page's `poll_cursor` and poll with it later to get only what changed
    since."""
    page = await agencies.list_changes(
        session, principal, cursor=cursor, updated_since=updated_since, limit=limit
    )
    return AgencyChanges(
        items=[AgencyOut.of(v) for v in page.items],
        next_cursor=page.next_cursor if page.has_more else None,
        poll_cursor=page.next_cursor,
    )


@router.get("/{code}", response_model=AgencyOut, responses=problem_responses(401, 403, 404))
async def get_agency(
    code: str, principal: CurrentPrincipal, session: DbSession, response: Response
) -> AgencyOut:
    out = AgencyOut.of(await agencies.get_agency(session, principal, code))
    response.headers["ETag"] = out.etag
    return out


@router.put(
    "/{code}",
    response_model=AgencyOut,
    openapi_extra=json_body_doc(AgencyIn),
    responses={**put_responses(AgencyOut), **problem_responses(400, 401, 403, 404, 412, 415, 422)},
)
async def put_agency(
    code: str,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AgencyOut:
    """Create or replace one agency: 201 with `Location` when created, 200 when replaced."""
    body = await read_object(request, JSON)
    view, created = await agencies.put_agency(session, principal, code, body, if_match=if_match)
    out = AgencyOut.of(view)
    response.headers["ETag"] = out.etag
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/agencies/{out.code}"
    return out


@router.patch(
    "/{code}",
    response_model=AgencyOut,
    openapi_extra=merge_patch_doc(AgencyIn),
    responses=problem_responses(400, 401, 403, 404, 412, 415, 422),
)
async def patch_agency(
    code: str,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AgencyOut:
    """Change some fields (JSON merge patch): a new `parent` moves the agency and its subtree."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    view = await agencies.patch_agency(session, principal, code, patch, if_match=if_match)
    out = AgencyOut.of(view)
    response.headers["ETag"] = out.etag
    return out


@router.get(
    "/{code}/history",
    response_model=AgencyVersionPage,
    responses=problem_responses(401, 403, 404, 422),
)
async def agency_history(
    code: str,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> AgencyVersionPage:
    """Every state the agency has had, oldest first: renames and moves included."""
    found = page(
        await agencies.history(session, principal, code),
        lambda v: (v.version,),
        name="agency-history",
        limit=limit,
        cursor=cursor,
    )
    return AgencyVersionPage(
        items=[AgencyVersionOut.model_validate(v) for v in found.items],
        next_cursor=found.next_cursor,
    )


@router.get(
    "/{code}/stages",
    response_model=StageDeclarationPage,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_stage_declarations(
    code: str,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> StageDeclarationPage:
    """The agency's own stage declarations, one per fiscal year, oldest year first."""
    agency, rows = await stages.declarations(session, principal, code)
    found = page(rows, lambda d: (d.fiscal_year,), name="stages", limit=limit, cursor=cursor)
    items = [
        StageDeclarationOut(
            agency=agency.code,
            fiscal_year=d.fiscal_year,
            stage=d.stage,
            announced_on=d.announced_on,
            declared_by=d.declared_by,
            declared_at=d.declared_at,
            note=d.note,
        )
        for d in found.items
    ]
    return StageDeclarationPage(items=items, next_cursor=found.next_cursor)


@router.put(
    "/{code}/stages/{fiscal_year}",
    response_model=StageDeclarationOut,
    responses={
        **put_responses(StageDeclarationOut),
        **problem_responses(401, 403, 404, 415, 422),
    },
)
async def declare_stage(
    code: str,
    fiscal_year: FiscalYearBE,
    body: StageDeclarationIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> StageDeclarationOut:
    """Declare the agency's maturity stage for a fiscal year (BE), as announced (003:653): 201
    with `Location` when the year had no declaration of the agency's own, 200 when replaced."""
    d, created = await stages.put_stage_declaration(
        session,
        principal,
        code,
        fiscal_year_be=fiscal_year,
        stage=body.stage,
        announced_on=body.announced_on,
        note=body.note,
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/agencies/{code}/stages/{d.fiscal_year}"
    return StageDeclarationOut(
        agency=code,
        fiscal_year=d.fiscal_year,
        stage=d.stage,
        announced_on=d.announced_on,
        declared_by=d.declared_by,
        declared_at=d.declared_at,
        note=d.note,
    )


@router.get(
    "/{code}/stages/{fiscal_year}",
    response_model=StageInForceOut,
    responses=problem_responses(401, 403, 404, 422),
)
async def stage_in_force(
    code: str, fiscal_year: FiscalYearBE, principal: CurrentPrincipal, session: DbSession
) -> StageInForceOut:
    """The stage that applies to the agency's staff that year: its own declaration, else the
    nearest ancestor's; the present target is that stage, the future target the next one."""
    found = await stages.stage_in_force(session, principal, code, fiscal_year)
    effective = found.effective
    return StageInForceOut(
        agency=code,
        fiscal_year=found.fiscal_year,
        stage=effective.stage if effective else None,
        declared_by_agency=effective.declared_by if effective else None,
        inherited=effective.inherited if effective else False,
        present_target=effective.present_target if effective else None,
        future_target=effective.future_target if effective else None,
    )
