"""The rows of the exports, as SQL over one agency subtree, read in a stream.

Each export is one statement whose columns are those of ``app.domain.reporting.exports.COLUMNS``
in order. CSV is written by PostgreSQL itself (``COPY (…) TO STDOUT``, dates already as Buddhist
Era text), XLSX from a server-side cursor: neither holds more than a batch of rows in memory.
``$1`` is the subtree's path prefix, ``$2`` the fiscal year (Buddhist Era).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.reporting.exports import KINDS_TH, STATES_TH, ExportKind

BATCH = 2000


def _case(column: str, labels: Mapping[str, str]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


def _day(expr: str, csv: bool) -> str:
    """A timestamp as its Bangkok day: a date, or for CSV its Buddhist Era text ``2568-10-01``."""
    day = f"(({expr}) AT TIME ZONE 'Asia/Bangkok')::date"
    if not csv:
        return day
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL ELSE"
        f" lpad((extract(year FROM {day})::int + 543)::text, 4, '0')"
        f" || to_char({day}, '-MM-DD') END"
    )


# The statements below are assembled only from constants of this module and the domain's closed
# vocabularies; every value a caller gives is a bind parameter ($1, $2).


def people_readiness(csv: bool) -> str:
    return f"""
SELECT a.code, a.name_th, p.external_id, concat_ws(' ', p.first_name_th, p.last_name_th),
       p.position_title, $2::int, {_case("r.kind", KINDS_TH)}, {_day("r.finalized_at", csv)},
       r.present_met, r.present_required,
       round(100.0 * r.present_met / nullif(r.present_required, 0), 1),
       r.future_met, r.future_required, g.gap_count, g.gaps
FROM person p
JOIN agency a ON a.id = p.agency_id
LEFT JOIN LATERAL (
    SELECT * FROM assessment_result x
    WHERE x.person_id = p.id AND x.fiscal_year = $2
    ORDER BY x.finalized_at DESC LIMIT 1
) r ON true
LEFT JOIN LATERAL (
    SELECT count(*)::int AS gap_count, string_agg(q.code, ' ' ORDER BY q.code) AS gaps
    FROM assessment_result_requirement q
    WHERE q.person_id = r.person_id AND q.assessment_id = r.assessment_id
      AND q.present AND NOT q.met
) g ON r.person_id IS NOT NULL
WHERE a.path LIKE $1 || '%' AND p.active AND p.erased_at IS NULL
ORDER BY a.path, p.external_id"""  # noqa: S608


def plans(csv: bool) -> str:
    evaluated = "CASE WHEN r.state = 'evaluated' THEN 'ใช่' ELSE 'ไม่ใช่' END"
    return f"""
SELECT a.code, a.name_th, p.external_id, concat_ws(' ', p.first_name_th, p.last_name_th),
       d.fiscal_year, r.revision, {_case("r.state", STATES_TH)},
       jsonb_array_length(coalesce(r.document -> 'items', '[]'::jsonb)),
       {_day("r.submitted_at", csv)}, {_day("r.owner_ack_at", csv)},
       {_day("r.supervisor_ack_at", csv)}, {evaluated}
FROM development_plan d
JOIN plan_revision r
  ON r.person_id = d.person_id AND r.plan_id = d.id AND r.revision = d.current_revision
JOIN person p ON p.id = d.person_id
JOIN agency a ON a.id = p.agency_id
WHERE d.fiscal_year = $2 AND a.path LIKE $1 || '%' AND p.erased_at IS NULL
ORDER BY a.path, p.external_id"""  # noqa: S608


QUERIES: dict[ExportKind, Callable[[bool], str]] = {
    ExportKind.PEOPLE_READINESS: people_readiness,
    ExportKind.PLANS: plans,
}


async def driver(session: AsyncSession) -> Any:
    """The session's asyncpg connection (inside its transaction)."""
    connection = await session.connection()
    # The driver's transaction begins with the first statement SQLAlchemy sends: send one, so
    # that a cursor (which needs a transaction) and the reads share it.
    await connection.exec_driver_sql("SELECT 1")
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def count(session: AsyncSession, kind: ExportKind, prefix: str, year: int) -> int:
    conn = await driver(session)
    statement = f"SELECT count(*) FROM ({QUERIES[kind](False)}) q"  # noqa: S608 (see above)
    found = await conn.fetchval(statement, prefix, year)
    return int(found)


async def copy_csv(
    session: AsyncSession,
    kind: ExportKind,
    prefix: str,
    year: int,
    output: Callable[[bytes], Awaitable[None]],
) -> None:
    """The rows as CSV (no header), handed to ``output`` chunk by chunk as PostgreSQL writes."""
    conn = await driver(session)

    async def chunk(data: Any) -> None:  # the driver reuses its buffer: hand out a copy
        await output(bytes(data))

    await conn.copy_from_query(QUERIES[kind](True), prefix, year, output=chunk, format="csv")


async def rows(
    session: AsyncSession, kind: ExportKind, prefix: str, year: int
) -> AsyncIterator[tuple[Any, ...]]:
    """The rows from a server-side cursor, ``BATCH`` at a time (dates as dates)."""
    conn = await driver(session)
    async for record in conn.cursor(QUERIES[kind](False), prefix, year, prefetch=BATCH):
        yield tuple(record)
