"""Development sign-in: pick a person of the (demo) data and get a user token for them.

Only offered when ``THAKSA_DEV_SIGNIN`` is on, which start-up refuses outside development on a
loopback interface (app/secret_check.py): anyone reaching it may act as anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.people import signin as repo
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.principal import Role
from app.services.platform.tokens import TokenService

PERSONAS_SHOWN = 60
# What each persona of the sign-in page signs in as.
PERSONA_ROLES = {
    "employee": [Role.EMPLOYEE],
    "supervisor": [Role.EMPLOYEE, Role.SUPERVISOR],
    "hr": [Role.EMPLOYEE, Role.AGENCY_ADMIN],
}


@dataclass(frozen=True)
class Persona:
    subject: str
    name_th: str
    position: str | None
    agency: str
    source: str
    supervisor_subject: str | None
    has_reports: bool


async def personas(session: AsyncSession) -> list[Persona]:
    rows = await repo.people_who_sign_in(session, PERSONAS_SHOWN)
    return [
        Persona(
            subject=r.subject,
            name_th=r.name_th,
            position=r.position,
            agency=r.agency_code,
            source=r.source,
            supervisor_subject=r.supervisor_subject,
            has_reports=r.has_reports,
        )
        for r in rows
    ]


async def sign_in(
    session: AsyncSession, tokens: TokenService, subject: str, persona: str
) -> tuple[str, Persona]:
    """A token for ``subject`` as ``persona``: an HR officer administers the agency the person's
    HR system speaks for (their source agency)."""
    roles = PERSONA_ROLES.get(persona)
    if roles is None:
        raise ValidationFailed(
            [FieldError("/persona", "enum", f"one of {', '.join(PERSONA_ROLES)}")]
        )
    rows = await repo.people_who_sign_in(session, 1, subject)
    found = rows[0] if rows else None
    if found is None:
        raise NotFound(f"no active person signs in as {subject!r}")
    person = Persona(
        subject=found.subject,
        name_th=found.name_th,
        position=found.position,
        agency=found.agency_code,
        source=found.source,
        supervisor_subject=found.supervisor_subject,
        has_reports=found.has_reports,
    )
    agency = person.source if persona == "hr" else person.agency
    token = tokens.mint(subject, [r.value for r in roles], agency, name=person.name_th)
    return token, person
