"""Load a synthetic organisation (app/domain/people/synthetic.py) through the same use cases an
HR system's sync goes through. Idempotent: loading the same seed again changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person, StaffGroupAssignment
from app.db.repositories.people import agencies as agency_repo
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.people.synthetic import Organisation
from app.domain.principal import Principal
from app.domain.roles import MaturityStage
from app.services.people import stages
from app.services.people.agency_sync import sync_agencies
from app.services.people.people_sync import sync_people
from app.services.people.sync import MAX_RECORDS
from app.services.platform import audit


async def load(
    session: AsyncSession,
    actor: Principal,
    org: Organisation,
    *,
    pii_key: bytes,
    today: date | None = None,
) -> dict[str, Any]:
    year = FiscalYear.containing(today or bangkok_today())
    counts: dict[str, Any] = {
        "agencies": (
            await sync_agencies(session, actor, list(org.agencies), dry_run=False)
        ).counts()
    }
    people: dict[str, int] = {}
    for source, records in org.people.items():
        for start in range(0, len(records), MAX_RECORDS):
            chunk: list[object] = list(records[start : start + MAX_RECORDS])
            report = await sync_people(
                session, actor, chunk, source=source, dry_run=False, pii_key=pii_key
            )
            for outcome, n in report.counts().items():
                people[outcome] = people.get(outcome, 0) + n
    counts["people"] = people
    counts["stages"] = await _declare(session, actor, org.stages, year)
    counts["group_assignments"] = await _assign(session, actor, org, year)
    return counts


async def _declare(
    session: AsyncSession,
    actor: Principal,
    declared: list[tuple[str, MaturityStage]],
    year: FiscalYear,
) -> int:
    written = 0
    for code, stage in declared:
        agency = await agency_repo.by_code(session, code)
        if agency is None:
            continue
        current = await agency_repo.declarations_for(session, [agency.id], year.be)
        if agency.id in current and current[agency.id].stage == stage.value:
            continue
        await stages.declare_stage(
            session, actor, code, fiscal_year_be=year.be, stage=stage, announced_on=year.start
        )
        written += 1
    return written


async def _assign(
    session: AsyncSession, actor: Principal, org: Organisation, year: FiscalYear
) -> int:
    """Approved assignments, as agreed in earlier years' paperwork (no workflow replayed)."""
    written = 0
    now = datetime.now(UTC)
    for source, records in org.people.items():
        agency = await agency_repo.by_code(session, source)
        if agency is None:
            continue
        result = await session.execute(
            select(Person.external_id, Person.id).where(
                Person.source_agency_id == agency.id,
                Person.external_id.in_([r["external_id"] for r in records]),
            )
        )
        ids = {row[0]: row[1] for row in result}
        assigned = set(
            await session.scalars(
                select(StaffGroupAssignment.person_id).where(
                    StaffGroupAssignment.person_id.in_(list(ids.values())),
                    StaffGroupAssignment.fiscal_year == year.be,
                )
            )
        )
        rows = []
        for record in records:
            person_id = ids.get(record["external_id"])
            if person_id is None or person_id in assigned:
                continue
            groups = org.groups[(source, record["external_id"])]
            two = len(groups) > 1
            rows.append(
                StaffGroupAssignment(
                    person_id=person_id,
                    id=uuid.uuid4(),
                    fiscal_year=year.be,
                    groups=[{"group": g.value, "scope": scope} for g, scope in groups],
                    state="approved",
                    proposed_by=actor.subject,
                    proposed_at=now,
                    agreed_by=actor.subject,
                    agreed_at=now,
                    approved_by=actor.subject if two else None,
                    approved_at=now if two else None,
                    decided_at=now,
                    note="demo data",
                )
            )
        session.add_all(rows)
        written += len(rows)
    if written:
        await session.flush()
        audit.record(
            session,
            actor,
            entity="staff_group_assignment",
            entity_id="demo",
            action="load-demo",
            about=audit.NATIONAL,
            details={"fiscal_year": year.be, "count": written},
        )
    return written
