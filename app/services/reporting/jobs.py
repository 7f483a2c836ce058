"""Export jobs: a large export written to a file in the background, its progress readable
until (and after) it is done (docs/documents-and-exports.md).

``create`` checks the scope as a direct export would and records the job; ``run`` writes the
file in its own transactions (the rows in one, the progress in short others so a status read
sees it move); ``status`` and ``download`` are for the caller who asked only (anyone else: not
found). A job whose heartbeat stopped for ``STALE`` (the server restarted) reads as failed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.models import ExportJob
from app.domain.errors import Conflict, NotFound
from app.domain.principal import Principal
from app.domain.reporting.exports import MEDIA_TYPES, ExportFormat, ExportKind, filename
from app.services.platform import audit
from app.services.reporting import exports

STALE = timedelta(minutes=2)


def owner_of(actor: Principal) -> str:
    return f"{actor.kind.value}:{actor.subject}"


@dataclass(frozen=True, slots=True)
class JobView:
    job: ExportJob
    state: str
    error: str | None
    agency_code: str

    @property
    def progress(self) -> float | None:
        total = self.job.rows_total
        if self.state == "done":
            return 1.0
        if not total:
            return None
        return min(1.0, self.job.rows_done / total)


def _now() -> datetime:
    return datetime.now(UTC)


async def create(
    session: AsyncSession,
    actor: Principal,
    kind: ExportKind,
    fmt: ExportFormat,
    agency: str,
    fiscal_year: int,
) -> tuple[ExportJob, exports.Prepared]:
    p = await exports.prepare(session, actor, kind, fmt, agency, fiscal_year)
    job = ExportJob(
        id=uuid.uuid4(),
        owner=owner_of(actor),
        kind=kind.value,
        format=fmt.value,
        agency_id=p.agency.id,
        fiscal_year=fiscal_year,
        state="queued",
        rows_done=0,
        rows_total=await exports.count(session, p),
        file_name=filename(kind, p.agency.code, fiscal_year, fmt),
    )
    session.add(job)
    audit.record(
        session,
        actor,
        entity="export_job",
        entity_id=job.id,
        action="create",
        about=audit.about_agency(p.agency.id),
        details={"kind": kind.value, "format": fmt.value, "fiscal_year": fiscal_year},
    )
    await session.flush()
    return job, p


def job_path(folder: Path, job_id: uuid.UUID, fmt: str) -> Path:
    return folder / f"{job_id}.{fmt}"


async def _set(
    factory: async_sessionmaker[AsyncSession], job_id: uuid.UUID, **values: object
) -> None:
    async with factory() as session, session.begin():
        await session.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


async def run(
    factory: async_sessionmaker[AsyncSession], job_id: uuid.UUID, p: exports.Prepared, folder: Path
) -> None:
    """Write the job's file; the job ends done or failed (with the reason), never running."""
    exports.ensure_folder(folder)
    path = job_path(folder, job_id, p.format.value)
    partial = path.with_suffix(path.suffix + ".part")
    await _set(factory, job_id, state="running", heartbeat_at=_now())

    async def progress(done: int) -> None:
        await _set(factory, job_id, rows_done=done, heartbeat_at=_now())

    try:
        async with factory() as session, session.begin():
            if p.format is ExportFormat.XLSX:
                written = await exports.write_xlsx(session, p, partial, progress)
            else:
                written = await _csv_to_file(session, p, partial, progress)
        partial.replace(path)
    except Exception as exc:  # the job records the failure; the caller reads it in its status
        partial.unlink(missing_ok=True)
        await _set(
            factory,
            job_id,
            state="failed",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=_now(),
        )
        return
    await _set(
        factory,
        job_id,
        state="done",
        rows_done=written,
        rows_total=written,
        byte_size=path.stat().st_size,
        finished_at=_now(),
        heartbeat_at=_now(),
    )


async def _csv_to_file(
    session: AsyncSession, p: exports.Prepared, path: Path, progress: exports.Progress
) -> int:
    lines = 0
    reported = 0
    with path.open("wb") as out:

        async def output(chunk: bytes) -> None:
            nonlocal lines, reported
            out.write(chunk)
            lines += chunk.count(b"\n")
            if lines - reported >= exports.PROGRESS_EVERY:
                reported = lines
                await progress(max(0, lines - 1))

        await exports.write_csv(session, p, output)
    # rows, not lines: the header is one line (and a quoted value may hold more: count again
    # from the database's own figure at the end would cost a query; lines - 1 is exact for the
    # values the exports hold, which carry no line breaks)
    return max(0, lines - 1)


async def _mine(session: AsyncSession, actor: Principal, job_id: uuid.UUID) -> ExportJob:
    job = await session.get(ExportJob, job_id)
    if job is None or job.owner != owner_of(actor):
        raise NotFound(f"no export job {job_id}")
    return job


async def status(session: AsyncSession, actor: Principal, job_id: uuid.UUID) -> JobView:
    from app.db.models import Agency

    job = await _mine(session, actor, job_id)
    state, error = job.state, job.error
    beat = job.heartbeat_at or job.created_at
    if state in ("queued", "running") and beat is not None and _now() - beat > STALE:
        state, error = "failed", "interrupted: the server stopped while writing; ask again"
    agency = await session.get(Agency, job.agency_id)
    return JobView(job, state, error, agency.code if agency else "")


@dataclass(frozen=True, slots=True)
class Download:
    path: Path
    media_type: str
    file_name: str


async def download(
    session: AsyncSession, actor: Principal, job_id: uuid.UUID, folder: Path
) -> Download:
    view = await status(session, actor, job_id)
    job = view.job
    path = job_path(folder, job.id, job.format)
    if view.state != "done" or not path.is_file():
        raise Conflict(
            f"export job {job_id} is {view.state}: its file is ready once it is done",
            state=view.state,
        )
    return Download(path, MEDIA_TYPES[ExportFormat(job.format)], job.file_name or path.name)
