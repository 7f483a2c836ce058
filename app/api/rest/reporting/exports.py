"""Exports (CSV, XLSX) of an agency subtree for a fiscal year, streamed; and export jobs for large
ones, with their progress and file (docs/documents-and-exports.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import Field

from app.api.rest.deps import CurrentPrincipal, DbSession, get_runtime
from app.api.rest.inputs import InputRoute
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import ApiModel, FiscalYearIn
from app.domain.errors import PayloadTooLarge
from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.reporting.exports import MEDIA_TYPES, ExportFormat, ExportKind, filename
from app.services.reporting import exports, jobs

router = APIRouter(tags=["exports"], route_class=InputRoute)
JOBS = "/export-jobs"

AgencyCode = Annotated[
    str,
    Query(min_length=1, max_length=32, description="The agency whose subtree is exported"),
]
FiscalYear = Annotated[
    int, Query(ge=MIN_BE, le=MAX_BE, description="Fiscal year in the Buddhist Era, e.g. 2568")
]
Format = Annotated[ExportFormat, Query(description="csv or xlsx")]


def _download(media: str, name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def _file_responses(description: str) -> dict[int | str, dict[str, Any]]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        200: {
            "description": description,
            "content": {
                MEDIA_TYPES[ExportFormat.CSV]: binary,
                MEDIA_TYPES[ExportFormat.XLSX]: binary,
            },
        }
    }


@router.get(
    "/exports/{kind}",
    response_class=Response,
    responses={
        **_file_responses("The export, streamed (CSV: UTF-8 with a byte order mark)"),
        **problem_responses(401, 403, 404, 413, 422),
    },
)
async def export(
    kind: ExportKind,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    agency: AgencyCode,
    fiscal_year: FiscalYear,
    format: Format = ExportFormat.CSV,
) -> Response:
    """People x readiness and gaps (``people_readiness``), plans (``plans``) or the KPI table
    (``kpis``) of an agency's subtree for a fiscal year, with Thai headers and Buddhist Era years.
    More rows than ``THAKSA_EXPORT_STREAM_MAX_ROWS``: 413, create an export job instead."""
    runtime = get_runtime(request)
    p = await exports.prepare(session, principal, kind, format, agency, fiscal_year)
    rows = await exports.count(session, p)
    limit = runtime.settings.export_stream_max_rows
    if rows > limit:
        raise PayloadTooLarge(
            f"{rows} rows is more than a direct download gives ({limit}): "
            "create an export job (POST /api/v1/export-jobs)",
            rows=rows,
            limit=limit,
        )
    name = filename(kind, p.agency.code, fiscal_year, format)
    headers = _download(MEDIA_TYPES[format], name)
    headers["X-Total-Rows"] = str(rows)
    if format is ExportFormat.CSV:
        body = exports.csv_stream(runtime.session_factory, p)
    else:
        path = await exports.xlsx_file(runtime.session_factory, p, runtime.settings.export_dir)
        body = exports.file_stream(path, remove=True)
    return StreamingResponse(body, media_type=MEDIA_TYPES[format], headers=headers)


class ExportJobIn(ApiModel):
    kind: ExportKind
    format: ExportFormat = ExportFormat.XLSX
    agency: str = Field(min_length=1, max_length=32, description="The agency whose subtree")
    fiscal_year: FiscalYearIn


class ExportJobOut(ApiModel):
    id: uuid.UUID
    kind: ExportKind
    format: ExportFormat
    agency: str
    fiscal_year: int
    state: str = Field(description="queued, running, done or failed")
    rows_total: int | None
    rows_done: int
    progress: float | None = Field(description="rows_done / rows_total, 0 to 1")
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None = Field(description="The file, once done")

    @classmethod
    def of(cls, view: jobs.JobView) -> ExportJobOut:
        j = view.job
        return cls(
            id=j.id,
            kind=ExportKind(j.kind),
            format=ExportFormat(j.format),
            agency=view.agency_code,
            fiscal_year=j.fiscal_year,
            state=view.state,
            rows_total=j.rows_total,
            rows_done=j.rows_done,
            progress=view.progress,
            error=view.error,
            created_at=j.created_at,
            finished_at=j.finished_at,
            download_url=f"/api/v1{JOBS}/{j.id}/file" if view.state == "done" else None,
        )


@router.post(
    JOBS,
    response_model=ExportJobOut,
    status_code=202,
    responses=problem_responses(401, 403, 404, 422),
)
async def create_export_job(
    body: ExportJobIn,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    background: BackgroundTasks,
) -> ExportJobOut:
    """Start an export as a job (any size): 202 with its status; poll ``GET …/{id}`` for the
    progress and fetch ``…/{id}/file`` once it is done. Same scope as the direct export."""
    runtime = get_runtime(request)
    job, p = await jobs.create(
        session, principal, body.kind, body.format, body.agency, body.fiscal_year
    )
    background.add_task(jobs.run, runtime.session_factory, job.id, p, runtime.settings.export_dir)
    response.headers["Location"] = f"/api/v1{JOBS}/{job.id}"
    await session.refresh(job)
    return ExportJobOut.of(jobs.JobView(job, job.state, job.error, p.agency.code))


@router.get(
    JOBS + "/{job_id}", response_model=ExportJobOut, responses=problem_responses(401, 404, 422)
)
async def get_export_job(
    job_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> ExportJobOut:
    """An export job's state and progress (the caller's own jobs only)."""
    return ExportJobOut.of(await jobs.status(session, principal, job_id))


@router.get(
    JOBS + "/{job_id}/file",
    response_class=Response,
    responses={
        **_file_responses("The job's file"),
        **problem_responses(401, 404, 409, 422),
    },
)
async def get_export_job_file(
    job_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """The file of a done job (409 while it is not done)."""
    found = await jobs.download(
        session, principal, job_id, get_runtime(request).settings.export_dir
    )
    return StreamingResponse(
        exports.file_stream(found.path, remove=False),
        media_type=found.media_type,
        headers=_download(found.media_type, found.file_name),
    )
