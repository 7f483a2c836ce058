"""Learning records: what people completed, passed or failed, from the xAPI statements their
providers send (docs/xapi.md "From statements to plans and evidence").

Derived in the transaction that stores the statements (or links their actor to a person), so a
batch is all or nothing; the statement id is the key, so a resend or a retry never counts twice:

* a completion (``completed``, ``passed`` and their equivalents, ``app.domain.learning.records``)
  of an activity mapped to a course counts towards the matching activity of the person's plan in
  force (the plan of the completion day's fiscal year, acknowledged or in progress) as actual
  effort with source ``completion``; one that matches no activity counts as learning all the same
  (a record with no plan link). It is evidence on the course's framework items, shown beside
  them in the assessment form (never a rating);
* ``failed`` (and ``waived``) is recorded only;
* voiding a statement marks its record voided and removes its effort and its evidence.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.learning import catalogue as catalogue_repo
from app.db.repositories.learning import learning_records as repo
from app.db.repositories.learning.learning_records import NewRecord, RecordRow, Source, Totals
from app.domain.assessment.form import FormEvidence
from app.domain.errors import NotFound
from app.domain.fiscal import BANGKOK, FiscalYear, bangkok_today
from app.domain.learning import records as rules
from app.domain.learning.statements import parse_timestamp
from app.domain.planning.methods import Bucket
from app.domain.principal import Principal
from app.services.assessment import evidence as evidence_hooks
from app.services.planning import plan_context
from app.services.planning.plan_records import party, to_domain
from app.services.platform.pagination import decode_cursor, encode_cursor, invalid_cursor
from app.services.platform.scope import linked_person

VERBS = tuple(rules.ACCEPTED_VERBS)


def _day(source: Source) -> date:
    moment = parse_timestamp(source.timestamp) if source.timestamp else None
    return (moment or source.stored).astimezone(BANGKOK).date()


async def _derive(session: AsyncSession, sources: Sequence[Source]) -> int:
    if not sources:
        return 0
    courses = await catalogue_repo.courses_for_activities(session, {s.activity for s in sources})
    days = {s.statement_id: _day(s) for s in sources}
    counting = [
        s
        for s in sources
        if s.activity in courses
        and (o := rules.outcome_of(s.verb, {"result": s.result})) is not None
        and o.counts
    ]
    wanted = {(s.person_id, FiscalYear.containing(days[s.statement_id]).be) for s in counting}
    plans = {
        (row.person_id, row.fiscal_year): (row, rev)
        for row, rev in await repo.plans_in_force(session, wanted)
    }
    people = await repo.people(session, {s.person_id for s in sources if s.activity in courses})
    policies: dict[uuid.UUID, Bucket] = {}
    for person in people.values():
        if person.agency_id not in policies:
            policy = await plan_context.policy_for(session, person)
            policies[person.agency_id] = policy.online_course_bucket
    records = []
    for s in sources:
        outcome = rules.outcome_of(s.verb, {"result": s.result})
        if outcome is None:
            continue
        course = courses.get(s.activity)
        owner = people.get(s.person_id)
        online = policies.get(owner.agency_id, Bucket.TRAINING) if owner else Bucket.TRAINING
        hours = rules.hours_of({"result": s.result}, course.hours if course else None)
        plan_id = plan_activity = revision = None
        bucket = None
        if course is not None:
            bucket = rules.course_bucket(course.methods, online)
        if course is not None and outcome.counts:
            found = plans.get((s.person_id, FiscalYear.containing(days[s.statement_id]).be))
            if found is not None:
                row, rev = found
                match = rules.matching_activity(
                    to_domain(row, rev),
                    rules.CourseFacts(
                        course.provider_code, course.course_code, course.methods, course.items
                    ),
                    online,
                )
                if match is not None:
                    plan_id, plan_activity, revision = row.id, match.activity_id, rev.revision
                    bucket = match.bucket
        records.append(
            NewRecord(
                person_id=s.person_id,
                statement_id=s.statement_id,
                course_id=course.course_id if course else None,
                activity_id=s.activity,
                verb=s.verb,
                outcome=outcome.value,
                hours=hours,
                bucket=int(bucket) if bucket is not None else None,
                on=days[s.statement_id],
                items=list(course.items) if course and outcome.counts else [],
                framework_version_id=course.framework_version_id if course else None,
                plan_id=plan_id,
                plan_activity=plan_activity,
                plan_revision=revision,
                note=f"{course.provider_code}/{course.course_code}" if course else None,
            )
        )
    return await repo.insert(session, records, datetime.now(UTC))


async def record_statements(
    session: AsyncSession, stored: Sequence[uuid.UUID], voided: Sequence[uuid.UUID]
) -> int:
    """After statements are stored: records for the new ones, reversal for the voided ones."""
    await repo.void(session, voided)
    return await _derive(session, await repo.sources(session, stored, VERBS))


async def record_people(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> int:
    """After statements are linked to these people: the records they now have."""
    return await _derive(session, await repo.sources_of_people(session, person_ids, VERBS))


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordPage:
    items: list[RecordRow]
    next_cursor: str | None


async def _page(
    session: AsyncSession, person_id: uuid.UUID, limit: int, cursor: str | None
) -> RecordPage:
    found = decode_cursor(cursor, on=str, id=str)
    after = None
    if found is not None:
        try:
            after = (date.fromisoformat(found["on"]), uuid.UUID(found["id"]))
        except ValueError:
            raise invalid_cursor() from None
    rows = await repo.of_person(session, person_id, limit=limit + 1, after=after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor({"on": rows[-1].on.isoformat(), "id": str(rows[-1].statement_id)})
        if more
        else None
    )
    return RecordPage(rows, next_cursor)


async def person_records(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> RecordPage:
    """A person's learning records, for whoever may see the person (not found otherwise)."""
    await party(session, actor, person_id)
    return await _page(session, person_id, limit, cursor)


async def my_records(
    session: AsyncSession, actor: Principal, *, limit: int = 50, cursor: str | None = None
) -> RecordPage:
    me = await linked_person(session, actor)
    if me is None:
        raise NotFound("no person is linked to this login")
    return await _page(session, me.id, limit, cursor)


async def my_totals(
    session: AsyncSession, actor: Principal, fiscal_year: int | None = None
) -> Totals:
    """Completions and learning hours of the caller in a fiscal year (default: the current)."""
    me = await linked_person(session, actor)
    year = FiscalYear(fiscal_year) if fiscal_year else FiscalYear.containing(bangkok_today())
    if me is None:
        return Totals(0, 0, Decimal(0), 0)
    return await repo.totals(session, me.id, year.start, year.end)


# --- evidence in the assessment form ------------------------------------------------------------


@evidence_hooks.source
async def form_evidence(
    session: AsyncSession, person_id: uuid.UUID, version_id: uuid.UUID | None
) -> dict[str, list[FormEvidence]]:
    """Framework item code -> the completions that are evidence on it."""
    found: dict[str, list[FormEvidence]] = {}
    for row in await repo.evidence(session, person_id, version_id):
        course = f"{row.provider_code}/{row.course_code}" if row.course_code else row.activity_id
        shown = FormEvidence(
            course=course,
            title=row.course_title or "",
            on=row.on,
            statement_id=str(row.statement_id),
            outcome=row.outcome,
        )
        for code in row.items:
            found.setdefault(code, []).append(shown)
    return found
