from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.rest.bulk import (
    JSON,
    MERGE_PATCH,
    BulkBody,
    TypedReader,
    bulk_body_doc,
    json_body_doc,
    merge_patch_doc,
    read_object,
    run_bulk,
)
from app.api.rest.deps import CurrentPrincipal, DbSession, get_runtime
from app.api.rest.inputs import InputRoute
from app.api.rest.params import (
    Cursor,
    DryRun,
    IdempotencyKey,
    IfMatch,
    Limit,
    SyncSource,
    UpdatedSince,
)
from app.api.rest.people.people_schemas import (
    DeactivateIn,
    MatchIn,
    PeopleSyncResult,
    PersonChanges,
    PersonIn,
    PersonOut,
    PersonPage,
)
from app.api.rest.problems import problem_responses
from app.domain.people.fast_path import read_plain, read_plain_list
from app.services.people import people
from app.services.people.people_sync import sync_people

router = APIRouter(prefix="/people", tags=["people"], route_class=InputRoute)
# Plainly shaped person records are decoded straight into the fast path's typed form.
PLAIN_PEOPLE = TypedReader(read_plain, read_plain_list)


def _pii_key(request: Request) -> bytes:
    return get_runtime(request).settings.pii_hash_key.get_secret_value().encode()


def _with_etag(response: Response, out: PersonOut) -> PersonOut:
    response.headers["ETag"] = f'"{out.version}"'
    return out


@router.post(
    "/bulk",
    response_model=PeopleSyncResult,
    openapi_extra=bulk_body_doc(PersonIn),
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def bulk_upsert_people(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
    dry_run: DryRun = False,
    source: SyncSource = None,
) -> Response:
    """Create or update up to 5,000 people keyed by external id; one outcome per record
    (`created`, `updated`, `unchanged`, `rejected` with problems and JSON pointers).

    Valid records are committed, rejected ones reported; a supervisor may be earlier or later in
    the batch or already stored."""
    pii_key = _pii_key(request)

    async def write(body: BulkBody) -> dict[str, object]:
        report = await sync_people(
            session,
            principal,
            body.records,
            texts=body.texts,
            source=source,
            dry_run=dry_run,
            pii_key=pii_key,
        )
        return report.as_json()

    return await run_bulk(
        request,
        session,
        principal,
        idempotency_key=idempotency_key,
        dry_run=dry_run,
        write=write,
        typed=PLAIN_PEOPLE,
    )


@router.get("", response_model=PersonChanges, responses=problem_responses(401, 403, 422))
async def list_people(
    principal: CurrentPrincipal,
    session: DbSession,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = 100,
    agency: Annotated[str | None, Query(description="Only people in this agency's subtree")] = None,
) -> PersonChanges:
    """People you may see, in change order (delta sync): follow `next_cursor` until it is null;
    keep the last page's `poll_cursor` and poll with it later to get only what changed since."""
    page = await people.list_changes(
        session,
        principal,
        cursor=cursor,
        updated_since=updated_since,
        limit=limit,
        agency=agency,
    )
    return PersonChanges(
        items=[PersonOut.of(v) for v in page.items],
        next_cursor=page.next_cursor if page.has_more else None,
        poll_cursor=page.next_cursor,
    )


@router.post(
    "/match",
    response_model=PersonPage,
    responses=problem_responses(401, 403, 415, 422),
)
async def match_people(
    body: MatchIn, request: Request, principal: CurrentPrincipal, session: DbSession
) -> PersonPage:
    """People in your scope with this national id (compared by keyed hash; never stored), on
    one page."""
    found = await people.match_national_id(
        session, principal, body.national_id, pii_key=_pii_key(request)
    )
    return PersonPage(items=[PersonOut.of(v) for v in found], next_cursor=None)


@router.get("/{person_id}", response_model=PersonOut, responses=problem_responses(401, 403, 404))
async def get_person(
    person_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PersonOut:
    return _with_etag(
        response, PersonOut.of(await people.get_person(session, principal, person_id))
    )


@router.put(
    "/{person_id}",
    response_model=PersonOut,
    openapi_extra=json_body_doc(PersonIn),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 415, 422),
)
async def put_person(
    person_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PersonOut:
    """Replace a person's record: every field, an absent one becomes empty."""
    body = await read_object(request, JSON)
    view = await people.put_person(
        session, principal, person_id, body, if_match=if_match, pii_key=_pii_key(request)
    )
    return _with_etag(response, PersonOut.of(view))


@router.patch(
    "/{person_id}",
    response_model=PersonOut,
    openapi_extra=merge_patch_doc(PersonIn),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 415, 422),
)
async def patch_person(
    person_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PersonOut:
    """Change some fields (JSON merge patch: `null` empties a field)."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    view = await people.patch_person(
        session, principal, person_id, patch, if_match=if_match, pii_key=_pii_key(request)
    )
    return _with_etag(response, PersonOut.of(view))


@router.post(
    "/{person_id}/deactivate",
    response_model=PersonOut,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def deactivate_person(
    person_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    body: DeactivateIn | None = None,
    if_match: IfMatch = None,
) -> PersonOut:
    """People are never deleted: this ends their activity (end date default today)."""
    view = await people.deactivate_person(
        session,
        principal,
        person_id,
        end_date=body.end_date if body else None,
        if_match=if_match,
        pii_key=_pii_key(request),
    )
    return _with_etag(response, PersonOut.of(view))


@router.post(
    "/{person_id}/erase",
    response_model=PersonOut,
    responses=problem_responses(401, 403, 404),
)
async def erase_person(
    person_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> PersonOut:
    """PDPA erasure (central administrators): personal fields are removed for good; the
    anonymous record stays for aggregates. Audited."""
    return PersonOut.of(await people.erase_person(session, principal, person_id))
