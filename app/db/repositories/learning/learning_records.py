"""Learning records: the statements that become them, the plans they count towards, the rows
themselves, and voiding. Set-based: one statement per batch, whatever the batch's size."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DevelopmentPlan, Person, PlanRevision
from app.db.raw import driver_connection


@dataclass(frozen=True, slots=True)
class Source:
    """A linked, unvoided statement of an accepted verb that has no learning record yet."""

    statement_id: uuid.UUID
    person_id: uuid.UUID
    verb: str
    activity: str
    result: dict[str, Any] | None
    timestamp: str | None
    stored: datetime


_SOURCE = """
SELECT s.id, s.person_id, s.verb, s.activity, s.body->'result' AS result,
       s.body->>'timestamp' AS ts, s.stored
FROM xapi_statement s
WHERE {where} AND s.person_id IS NOT NULL AND NOT s.voided AND s.voids IS NULL
  AND s.activity IS NOT NULL AND s.verb = ANY($2::text[])
  AND NOT EXISTS (SELECT 1 FROM learning_record r
                  WHERE r.person_id = s.person_id AND r.statement_id = s.id)
"""


def _source(row: Any) -> Source:
    result = row["result"]
    if isinstance(result, str):
        result = json.loads(result)
    return Source(
        row["id"], row["person_id"], row["verb"], row["activity"], result, row["ts"], row["stored"]
    )


async def sources(
    session: AsyncSession, statement_ids: Sequence[uuid.UUID], verbs: Collection[str]
) -> list[Source]:
    """Of these statements, those that become learning records now."""
    if not statement_ids:
        return []
    conn = await driver_connection(session)
    rows = await conn.fetch(
        _SOURCE.format(where="s.id = ANY($1::uuid[])"), list(statement_ids), list(verbs)
    )
    return [_source(r) for r in rows]


async def sources_of_people(
    session: AsyncSession, person_ids: Sequence[uuid.UUID], verbs: Collection[str]
) -> list[Source]:
    """The statements about these people that have no learning record yet (after linking)."""
    if not person_ids:
        return []
    conn = await driver_connection(session)
    rows = await conn.fetch(
        _SOURCE.format(where="s.person_id = ANY($1::uuid[])"), list(person_ids), list(verbs)
    )
    return [_source(r) for r in rows]


async def plans_in_force(
    session: AsyncSession, wanted: Collection[tuple[uuid.UUID, int]]
) -> list[tuple[DevelopmentPlan, PlanRevision]]:
    """The plans (person, fiscal year BE) whose current revision is acknowledged or in progress."""
    if not wanted:
        return []
    people = {p for p, _ in wanted}
    rows = await session.execute(
        select(DevelopmentPlan, PlanRevision)
        .join(
            PlanRevision,
            (PlanRevision.person_id == DevelopmentPlan.person_id)
            & (PlanRevision.plan_id == DevelopmentPlan.id)
            & (PlanRevision.revision == DevelopmentPlan.current_revision),
        )
        .where(
            DevelopmentPlan.person_id.in_(people),
            PlanRevision.state.in_(("acknowledged", "in_progress")),
        )
    )
    return [(p, r) for p, r in rows.all() if (p.person_id, p.fiscal_year) in wanted]


async def people(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Person]:
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(list(ids))))
    return {p.id: p for p in found}


@dataclass(frozen=True, slots=True)
class NewRecord:
    person_id: uuid.UUID
    statement_id: uuid.UUID
    course_id: uuid.UUID | None
    activity_id: str
    verb: str
    outcome: str
    hours: Decimal | None
    bucket: int | None
    on: date
    items: list[str]
    framework_version_id: uuid.UUID | None
    plan_id: uuid.UUID | None
    plan_activity: str | None
    plan_revision: int | None
    note: str | None


async def insert(session: AsyncSession, records: Sequence[NewRecord], at: datetime) -> int:
    """Insert the records (a statement already recorded is skipped) and, for those that counted
    towards a plan activity, their effort (``plan_effort`` with source ``completion``, its id the
    statement's). How many records were new."""
    if not records:
        return 0
    conn = await driver_connection(session)
    cols = list(zip(*[
        (
            r.person_id, r.statement_id, r.course_id, r.activity_id, r.verb, r.outcome,
            r.hours, r.bucket, r.on, json.dumps(r.items), r.framework_version_id, r.plan_id,
            r.plan_activity, r.plan_revision, r.note,
        )
        for r in records
    ], strict=True))  # fmt: skip
    rows = await conn.fetch(
        """
        WITH src AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                                 $6::text[], $7::numeric[], $8::int[], $9::date[], $10::text[],
                                 $11::uuid[], $12::uuid[], $13::text[], $14::int[], $15::text[])
              AS t(person_id, statement_id, course_id, activity_id, verb, outcome, hours,
                   bucket, on_day, items, version_id, plan_id, plan_activity, revision, note)
        ), added AS (
            INSERT INTO learning_record (person_id, statement_id, course_id, activity_id, verb,
                outcome, hours, bucket, "on", items, framework_version_id, plan_id,
                plan_activity, recorded_at)
            SELECT person_id, statement_id, course_id, activity_id, verb, outcome, hours,
                   bucket, on_day,
                   ARRAY(SELECT jsonb_array_elements_text(items::jsonb)),
                   version_id, plan_id, plan_activity, $16
            FROM src
            ON CONFLICT (person_id, statement_id) DO NOTHING
            RETURNING person_id, statement_id
        ), effort AS (
            INSERT INTO plan_effort (person_id, plan_id, activity_id, id, revision, hours, "on",
                                     source, note, recorded_by, recorded_at)
            SELECT s.person_id, s.plan_id, s.plan_activity, s.statement_id, s.revision, s.hours,
                   s.on_day, 'completion', s.note, 'xapi:' || s.statement_id::text, $16
            FROM src s JOIN added a USING (person_id, statement_id)
            WHERE s.plan_id IS NOT NULL AND s.hours > 0
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) AS n FROM added
        """,
        *[list(c) for c in cols],
        at,
    )
    return int(rows[0]["n"])


async def void(session: AsyncSession, statement_ids: Sequence[uuid.UUID]) -> int:
    """Voided statements: their records are marked voided and their plan effort removed."""
    if not statement_ids:
        return 0
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        WITH v AS (
            UPDATE learning_record SET voided = true
            WHERE statement_id = ANY($1::uuid[]) AND NOT voided
            RETURNING person_id, statement_id, plan_id, plan_activity
        ), gone AS (
            DELETE FROM plan_effort e USING v
            WHERE e.person_id = v.person_id AND e.plan_id = v.plan_id
              AND e.activity_id = v.plan_activity AND e.id = v.statement_id
              AND e.source = 'completion'
        )
        SELECT count(*) AS n FROM v
        """,
        list(statement_ids),
    )
    return int(rows[0]["n"])


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordRow:
    person_id: uuid.UUID
    statement_id: uuid.UUID
    course_id: uuid.UUID | None
    provider_code: str | None
    course_code: str | None
    course_title: str | None
    activity_id: str
    verb: str
    outcome: str
    hours: Decimal | None
    bucket: int | None
    on: date
    items: list[str]
    plan_id: uuid.UUID | None
    plan_activity: str | None
    voided: bool
    recorded_at: datetime


_READ = """
SELECT r.person_id, r.statement_id, r.course_id, p.code AS provider_code, c.code AS course_code,
       c.title_th, r.activity_id, r.verb, r.outcome, r.hours, r.bucket, r."on", r.items,
       r.plan_id, r.plan_activity, r.voided, r.recorded_at
FROM learning_record r
LEFT JOIN course c ON c.id = r.course_id
LEFT JOIN course_provider p ON p.id = c.provider_id
"""


def _row(r: Any) -> RecordRow:
    return RecordRow(*(r[i] for i in range(17)))


async def of_person(
    session: AsyncSession,
    person_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[date, uuid.UUID] | None = None,
) -> list[RecordRow]:
    """A person's records (voided ones included, marked), newest day first."""
    conn = await driver_connection(session)
    args: list[Any] = [person_id, limit]
    where = "r.person_id = $1"
    if after is not None:
        args.extend(after)
        where += ' AND (r."on", r.statement_id) < ($3::date, $4::uuid)'
    rows = await conn.fetch(
        _READ + f' WHERE {where} ORDER BY r."on" DESC, r.statement_id DESC LIMIT $2', *args
    )
    return [_row(r) for r in rows]


async def evidence(
    session: AsyncSession, person_id: uuid.UUID, version_id: uuid.UUID | None
) -> list[RecordRow]:
    """A person's completions and passes that stand (not voided) with framework items."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        _READ
        + """ WHERE r.person_id = $1 AND NOT r.voided
          AND r.outcome IN ('completed', 'passed') AND cardinality(r.items) > 0
          AND ($2::uuid IS NULL OR r.framework_version_id = $2::uuid)
        ORDER BY r."on", r.statement_id""",
        person_id,
        version_id,
    )
    return [_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class Totals:
    completions: int
    failed: int
    hours: Decimal
    towards_plan: int


async def totals(
    session: AsyncSession, person_id: uuid.UUID, start: date | None, end: date | None
) -> Totals:
    conn = await driver_connection(session)
    row = await conn.fetchrow(
        """
        SELECT count(*) FILTER (WHERE outcome IN ('completed', 'passed')) AS completions,
               count(*) FILTER (WHERE outcome = 'failed') AS failed,
               coalesce(sum(hours) FILTER (WHERE outcome IN ('completed', 'passed')), 0) AS hours,
               count(*) FILTER (WHERE outcome IN ('completed', 'passed')
                                AND plan_id IS NOT NULL) AS towards_plan
        FROM learning_record
        WHERE person_id = $1 AND NOT voided
          AND ($2::date IS NULL OR "on" >= $2) AND ($3::date IS NULL OR "on" <= $3)
        """,
        person_id,
        start,
        end,
    )
    return Totals(row["completions"], row["failed"], Decimal(row["hours"]), row["towards_plan"])
