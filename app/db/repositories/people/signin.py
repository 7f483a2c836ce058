"""Reads for the development sign-in page: people who can sign in, with who reports to whom."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import Agency, Person


@dataclass(frozen=True)
class SigninRow:
    subject: str
    name_th: str
    position: str | None
    source: str
    agency_code: str
    supervisor_subject: str | None
    has_reports: bool


async def people_who_sign_in(
    session: AsyncSession, limit: int, subject: str | None = None
) -> list[SigninRow]:
    """Active people with a subject: first those with a supervisor who has one too (an employee,
    a supervisor and their supervisor), then the rest, in the HR system's order."""
    boss = aliased(Person)
    source = aliased(Agency)
    unit = aliased(Agency)
    report = aliased(Person)
    has_reports = exists().where(report.supervisor_id == Person.id, report.active.is_(True))
    query = (
        select(
            Person.subject,
            Person.first_name_th,
            Person.last_name_th,
            Person.position_title,
            source.code,
            unit.code,
            boss.subject,
            has_reports,
        )
        .join(source, source.id == Person.source_agency_id)
        .join(unit, unit.id == Person.agency_id)
        .outerjoin(boss, boss.id == Person.supervisor_id)
        .where(Person.active.is_(True), Person.subject.is_not(None), Person.erased_at.is_(None))
        .order_by(boss.supervisor_id.is_(None), source.code, Person.external_id)
        .limit(limit)
    )
    if subject is not None:
        query = query.where(Person.subject == subject)
    rows = await session.execute(query)
    return [
        SigninRow(
            subject=str(r[0]),
            name_th=" ".join(p for p in (r[1], r[2]) if p) or str(r[0]),
            position=r[3],
            source=r[4],
            agency_code=r[5],
            supervisor_subject=r[6],
            has_reports=bool(r[7]),
        )
        for r in rows
    ]
