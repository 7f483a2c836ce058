"""Digital-skill-target designations (004:906-908, KPI G2): a person's unit decides, per fiscal
year, that the person is a target of digital-skill development. Set by an agency administrator
over the person's agency (or a central one); every decision is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DigitalTargetDesignation, Person
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.principal import Principal
from app.domain.text import nfc
from app.services.people.stages import fiscal_year as checked_year
from app.services.platform import audit
from app.services.platform.scope import agency_path, people_scope

NOTE_MAX_LENGTH = 1000


async def _person(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, *, write: bool
) -> Person:
    read = await people_scope(session, actor, write=False)
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    path = await agency_path(session, person.agency_id)
    seen = read.covers(path) or person.id in (read.self_person,)
    if not seen:
        raise NotFound(f"no person {person_id}")
    if write:
        scope = await people_scope(session, actor, write=True)  # refuses non-administrators
        if not scope.covers(path):
            raise NotFound(f"no person {person_id}")
    return person


async def get_designation(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, year: int
) -> DigitalTargetDesignation | None:
    """The decision for the year, or None when the unit has made none (not designated)."""
    await _person(session, actor, person_id, write=False)
    return await session.get(DigitalTargetDesignation, (person_id, checked_year(year).be))


async def set_designation(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    year: int,
    *,
    designated: bool,
    note: str | None,
) -> tuple[DigitalTargetDesignation, bool]:
    """Record the unit's decision; returns it and whether it was created."""
    person = await _person(session, actor, person_id, write=True)
    be = checked_year(year).be
    text = nfc(note).strip() if note else None
    if text is not None and len(text) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            [FieldError("/note", "max-length", f"note is longer than {NOTE_MAX_LENGTH} characters")]
        )
    row = await session.get(DigitalTargetDesignation, (person.id, be))
    created = row is None
    before = None if row is None else {"designated": row.designated, "note": row.note}
    if row is None:
        row = DigitalTargetDesignation(person_id=person.id, fiscal_year=be, decided_by="")
        session.add(row)
    row.designated = designated
    row.note = text or None
    row.decided_by = actor.subject
    row.decided_at = datetime.now(UTC)
    await session.flush()
    audit.record(
        session,
        actor,
        entity="digital_target_designation",
        entity_id=f"{person.id}/{be}",
        action="create" if created else "replace",
        about=audit.about_person(person.id),
        details={"before": before, "after": {"designated": designated, "note": row.note}},
    )
    return row, created
