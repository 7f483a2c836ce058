"""Exports of an agency subtree for a fiscal year: people x readiness and gaps, plans, and the
KPI table; CSV and XLSX, streamed with constant memory (docs/documents-and-exports.md).

Scope is the reports' (``kpis.viewer_of``): an agency outside the caller's reach is not found;
rows about people need a caller who may see those people individually (an agency administrator
of the subtree, a central administrator, a client with ``people:read``); the KPI table is the
report the caller would read, suppressed the same way.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.models import Agency
from app.db.repositories.reporting import exports as repo
from app.domain.errors import FieldError, Forbidden, ValidationFailed
from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.principal import Principal
from app.domain.reporting.exports import (
    COLUMNS,
    XLSX_DATE_FORMAT,
    YES_NO_TH,
    ColumnType,
    ExportFormat,
    ExportKind,
    be_date,
    headers,
)
from app.services.reporting import kpis

BOM = "\ufeff".encode()  # spreadsheets read a CSV as UTF-8 (Thai) only after it
PROGRESS_EVERY = 5000

Progress = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Prepared:
    kind: ExportKind
    format: ExportFormat
    agency: Agency
    fiscal_year: int
    actor: Principal

    @property
    def prefix(self) -> str:
        return self.agency.path


async def prepare(
    session: AsyncSession,
    actor: Principal,
    kind: ExportKind,
    fmt: ExportFormat,
    agency: str,
    fiscal_year: int,
) -> Prepared:
    """Check that the caller may export this (404 out of reach, 403 no individual view)."""
    if not MIN_BE <= fiscal_year <= MAX_BE:
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    "fiscal_year", "query", "fiscal-year", "must be a Buddhist Era year"
                )
            ]
        )
    viewer = await kpis.viewer_of(session, actor, agency)
    if kind is not ExportKind.KPIS and not viewer.individual:
        raise Forbidden(
            "exports about people need a caller who may see them individually: an agency "
            "administrator of the agency, a central administrator, or a client with people:read"
        )
    return Prepared(kind, fmt, viewer.agency, fiscal_year, actor)


async def count(session: AsyncSession, p: Prepared) -> int:
    if p.kind is ExportKind.KPIS:
        return len(await _kpi_rows(session, p))
    return await repo.count(session, p.kind, p.prefix, p.fiscal_year)


async def _kpi_rows(session: AsyncSession, p: Prepared) -> list[tuple[Any, ...]]:
    report = await kpis.kpi_report(session, p.actor, p.agency.code, p.fiscal_year)
    out: list[tuple[Any, ...]] = []
    parts = [("หน่วยงานเอง", report.own), ("รวมหน่วยงานในสังกัด", report.subtree)]
    parts += [("รวมหน่วยงานในสังกัด", child) for child in report.children]
    for label, figures in parts:
        for k in figures.kpis:
            meets = None if k.meets_target is None else YES_NO_TH[k.meets_target]
            out.append(
                (
                    figures.code,
                    figures.name_th,
                    label,
                    report.fiscal_year,
                    k.code,
                    k.numerator,
                    k.denominator,
                    k.percent,
                    k.target_percent,
                    meets,
                    report.snapshot_date,
                )
            )
    return out


def _csv_text(kind: ExportKind, row: tuple[Any, ...]) -> list[Any]:
    return [
        be_date(v) if c.type is ColumnType.DATE and isinstance(v, date) else v
        for c, v in zip(COLUMNS[kind], row, strict=True)
    ]


def _csv_line(values: list[Any]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode()


async def write_csv(
    session: AsyncSession, p: Prepared, output: Callable[[bytes], Awaitable[None]]
) -> None:
    """Header (Thai, after a UTF-8 byte order mark), then every row, chunk by chunk."""
    await output(BOM + _csv_line(headers(p.kind)))
    if p.kind is ExportKind.KPIS:
        for row in await _kpi_rows(session, p):
            await output(_csv_line(_csv_text(p.kind, row)))
        return
    await repo.copy_csv(session, p.kind, p.prefix, p.fiscal_year, output)


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


async def write_xlsx(
    session: AsyncSession, p: Prepared, path: Path, progress: Progress | None = None
) -> int:
    """The rows as an XLSX file at ``path`` (xlsxwriter's constant-memory mode: each row is
    flushed to disk as written). Dates are date cells shown in the Buddhist Era."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "in_memory": False})
    try:
        sheet = book.add_worksheet(p.kind.value)
        bold = book.add_format({"bold": True, "font_name": "TH Sarabun New", "font_size": 14})
        body = book.add_format({"font_name": "TH Sarabun New", "font_size": 14})
        day = book.add_format(
            {"num_format": XLSX_DATE_FORMAT, "font_name": "TH Sarabun New", "font_size": 14}
        )
        columns = COLUMNS[p.kind]
        for i, c in enumerate(columns):
            sheet.set_column(i, i, 14 if c.type is not ColumnType.TEXT else 24)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, headers(p.kind), bold)
        dates = [i for i, c in enumerate(columns) if c.type is ColumnType.DATE]
        written = 0

        async def rows() -> AsyncIterator[tuple[Any, ...]]:
            if p.kind is ExportKind.KPIS:
                for row in await _kpi_rows(session, p):
                    yield row
            else:
                async for row in repo.rows(session, p.kind, p.prefix, p.fiscal_year):
                    yield row

        async for row in rows():
            written += 1
            for i, value in enumerate(row):
                if value is None:
                    continue
                if i in dates:
                    sheet.write_datetime(written, i, value, day)
                else:
                    sheet.write(written, i, _cell(value), body)
            if progress is not None and written % PROGRESS_EVERY == 0:
                await progress(written)
    finally:
        book.close()
    return written


async def csv_stream(
    factory: async_sessionmaker[AsyncSession], p: Prepared, depth: int = 16
) -> AsyncIterator[bytes]:
    """The CSV as it is written, through a bounded queue: memory stays at ``depth`` chunks
    whatever the size (a slow reader slows PostgreSQL's COPY down, nothing piles up)."""
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=depth)

    async def produce() -> None:
        try:
            async with factory() as session, session.begin():
                await write_csv(session, p, queue.put)
        finally:
            await queue.put(None)

    task = asyncio.create_task(produce())
    try:
        while (chunk := await queue.get()) is not None:
            yield chunk
        await task  # an error while writing ends the download broken, not silently short
    finally:
        task.cancel()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def ensure_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


async def file_stream(path: Path, *, remove: bool, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    try:
        with path.open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, size):
                yield chunk
    finally:
        if remove:
            _remove(path)


async def xlsx_file(factory: async_sessionmaker[AsyncSession], p: Prepared, folder: Path) -> Path:
    """Write the XLSX into a temporary file in ``folder`` and return its path."""
    ensure_folder(folder)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=".xlsx", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        async with factory() as session, session.begin():
            await write_xlsx(session, p, path)
    except BaseException:
        _remove(path)
        raise
    return path
