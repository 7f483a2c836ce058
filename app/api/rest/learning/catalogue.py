"""The course catalogue: providers and their courses (reads, provider bulk upsert, one course at
a time, history). See docs/learning.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.api.rest.bulk import JSON, BulkBody, bulk_body_doc, json_body_doc, read_object, run_bulk
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.learning.catalogue_schemas import (
    CourseIn,
    CourseOut,
    CoursePage,
    CourseProviderIn,
    CourseProviderOut,
    CourseProviderPage,
    CourseRevisionOut,
    CourseRevisionPage,
    CourseSyncResult,
    StaffGroupName,
)
from app.api.rest.params import Cursor, DryRun, IdempotencyKey, Limit, SearchText
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import put_responses
from app.services.learning import catalogue
from app.services.learning.courses import put_course, sync_courses

router = APIRouter(tags=["courses"], route_class=InputRoute)

ProviderCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        description="the provider's code, e.g. ocsc",
    ),
]
CourseCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        description="the course's code within its provider",
    ),
]
READ = problem_responses(401, 403, 404, 422)


@router.get(
    "/course-providers",
    response_model=CourseProviderPage,
    responses=problem_responses(401, 403),
)
async def list_course_providers(
    principal: CurrentPrincipal, session: DbSession
) -> CourseProviderPage:
    """Every course provider the caller may see (national, ministries, their own agencies)."""
    found = await catalogue.list_providers(session, principal)
    return CourseProviderPage(items=[CourseProviderOut.of(v) for v in found], next_cursor=None)


@router.get("/course-providers/{provider_code}", response_model=CourseProviderOut, responses=READ)
async def get_course_provider(
    provider_code: ProviderCode, principal: CurrentPrincipal, session: DbSession
) -> CourseProviderOut:
    return CourseProviderOut.of(await catalogue.get_provider(session, principal, provider_code))


@router.put(
    "/course-providers/{provider_code}",
    response_model=CourseProviderOut,
    openapi_extra=json_body_doc(CourseProviderIn),
    responses={
        **put_responses(CourseProviderOut),
        **problem_responses(400, 401, 403, 404, 409, 415, 422),
    },
)
async def put_course_provider(
    provider_code: ProviderCode,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> CourseProviderOut:
    """Register or replace a provider: a national one by a central administrator; a ministry's
    or an agency's by an administrator (or a `courses:write` client) whose scope holds the
    agency. 201 with `Location` when created."""
    body = await read_object(request, JSON)
    view, created = await catalogue.put_provider(session, principal, provider_code, body)
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/course-providers/{view.provider.code}"
    return CourseProviderOut.of(view)


@router.post(
    "/course-providers/{provider_code}/courses/bulk",
    response_model=CourseSyncResult,
    openapi_extra=bulk_body_doc(CourseIn),
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
)
async def bulk_upsert_courses(
    provider_code: ProviderCode,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
    dry_run: DryRun = False,
) -> Response:
    """Create or update up to 5,000 of the provider's courses keyed by code; one outcome per
    record (`created`, `updated`, `unchanged`, `rejected` with problems and JSON pointers).
    JSON array or NDJSON; `Idempotency-Key` replays; `dry_run=true` predicts the write."""

    async def write(body: BulkBody) -> dict[str, object]:
        report = await sync_courses(
            session, principal, provider_code, body.records, dry_run=dry_run
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


@router.put(
    "/course-providers/{provider_code}/courses/{course_code}",
    response_model=CourseOut,
    openapi_extra=json_body_doc(CourseIn),
    responses={**put_responses(CourseOut), **problem_responses(400, 401, 403, 404, 409, 415, 422)},
)
async def put_provider_course(
    provider_code: ProviderCode,
    course_code: CourseCode,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> CourseOut:
    """Create or replace one course (an agency adding its own, within its scope). 201 with
    `Location` when created; every change is a new revision."""
    body = await read_object(request, JSON)
    view, created = await put_course(session, principal, provider_code, course_code, body)
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = (
            f"/api/v1/course-providers/{view.provider_code}/courses/{view.course.code}"
        )
    return CourseOut.of(view)


@router.get(
    "/course-providers/{provider_code}/courses/{course_code}",
    response_model=CourseOut,
    responses=READ,
)
async def get_course(
    provider_code: ProviderCode,
    course_code: CourseCode,
    principal: CurrentPrincipal,
    session: DbSession,
) -> CourseOut:
    return CourseOut.of(await catalogue.get_course(session, principal, provider_code, course_code))


@router.get(
    "/course-providers/{provider_code}/courses/{course_code}/history",
    response_model=CourseRevisionPage,
    responses=READ,
)
async def course_history(
    provider_code: ProviderCode,
    course_code: CourseCode,
    principal: CurrentPrincipal,
    session: DbSession,
) -> CourseRevisionPage:
    """Every revision of the course, newest first: who wrote it, when, and the record."""
    found = await catalogue.course_history(session, principal, provider_code, course_code)
    return CourseRevisionPage(items=[CourseRevisionOut.of(r) for r in found], next_cursor=None)


@router.get("/courses", response_model=CoursePage, responses=problem_responses(401, 403, 422))
async def list_courses(
    principal: CurrentPrincipal,
    session: DbSession,
    q: SearchText | None = None,
    unit: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description="a framework item code, e.g. DLit100"),
    ] = None,
    group: Annotated[StaffGroupName | None, Query(description="a staff group")] = None,
    method: Annotated[
        str | None, Query(min_length=1, max_length=64, description="a development method code")
    ] = None,
    provider: Annotated[
        str | None, Query(min_length=1, max_length=32, description="a provider's code")
    ] = None,
    include_inactive: Annotated[bool, Query(description="also retired courses")] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CoursePage:
    """Courses the caller may see, by provider and code; `q` finds Thai titles and scope
    without word breaks (and near misses), the other filters narrow."""
    found = await catalogue.search_courses(
        session,
        principal,
        q=q,
        unit=unit,
        group=group,
        method=method,
        provider=provider,
        include_inactive=include_inactive,
        limit=limit,
        cursor=cursor,
    )
    return CoursePage(items=[CourseOut.of(v) for v in found.items], next_cursor=found.next_cursor)
