"""Stage declarations (003:653) and the stage in force for an agency's staff (rules B1-B2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, StageDeclaration
from app.db.repositories.people import agencies as repo
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.fiscal import FiscalYear
from app.domain.people.stage import EffectiveStage, effective_stage
from app.domain.principal import Principal
from app.domain.roles import MaturityStage
from app.domain.text import nfc
from app.services.platform import audit
from app.services.platform.scope import agency_scope


@dataclass(frozen=True)
class StageInForce:
    agency: Agency
    fiscal_year: int
    effective: EffectiveStage[str] | None  # declared_by is an agency code
    declaration: StageDeclaration | None  # the declaration that applies


def fiscal_year(value: int, pointer: str | None = None) -> FiscalYear:
    """``value`` as a fiscal year; a body's member (``pointer``) or else the path parameter."""
    try:
        return FiscalYear(value)
    except ValueError:
        message = f"{value} is not a Buddhist Era fiscal year"
        error = (
            FieldError.for_parameter("fiscal_year", "path", "fiscal-year", message)
            if pointer is None
            else FieldError(pointer, "fiscal-year", message)
        )
        raise ValidationFailed([error]) from None


async def _agency_in_scope(
    session: AsyncSession, actor: Principal, code: str, *, write: bool
) -> Agency:
    scope = await agency_scope(session, actor, write=write)
    agency = await repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise NotFound(f"no agency {code!r}")
    return agency


async def declare_stage(
    session: AsyncSession,
    actor: Principal,
    code: str,
    *,
    fiscal_year_be: int,
    stage: MaturityStage,
    announced_on: date,
    note: str | None = None,
) -> StageDeclaration:
    """An agency declares (and announces) its stage for a fiscal year; re-declaring replaces it,
    and the audit trail keeps every declaration."""
    declaration, _ = await put_stage_declaration(
        session,
        actor,
        code,
        fiscal_year_be=fiscal_year_be,
        stage=stage,
        announced_on=announced_on,
        note=note,
    )
    return declaration


async def put_stage_declaration(
    session: AsyncSession,
    actor: Principal,
    code: str,
    *,
    fiscal_year_be: int,
    stage: MaturityStage,
    announced_on: date,
    note: str | None = None,
) -> tuple[StageDeclaration, bool]:
    """:func:`declare_stage`, and whether the declaration is new (else it replaced one)."""
    year = fiscal_year(fiscal_year_be, "/fiscal_year")
    agency = await _agency_in_scope(session, actor, code, write=True)
    declaration, created = await repo.upsert_declaration(
        session,
        agency_id=agency.id,
        fiscal_year=year.be,
        stage=stage.value,
        announced_on=announced_on,
        declared_by=actor.subject,
        note=nfc(note) if note else None,
    )
    audit.record(
        session,
        actor,
        entity="agency",
        entity_id=agency.id,
        action="declare-stage",
        about=audit.about_agency(agency.id),
        details={
            "code": code,
            "fiscal_year": year.be,
            "stage": stage.value,
            "announced_on": announced_on.isoformat(),
        },
    )
    return declaration, created


async def declarations(
    session: AsyncSession, actor: Principal, code: str
) -> tuple[Agency, list[StageDeclaration]]:
    agency = await _agency_in_scope(session, actor, code, write=False)
    return agency, await repo.declarations_of(session, agency.id)


async def stage_in_force(
    session: AsyncSession, actor: Principal, code: str, fiscal_year_be: int
) -> StageInForce:
    year = fiscal_year(fiscal_year_be)
    agency = await _agency_in_scope(session, actor, code, write=False)
    return await resolve(session, agency, year.be)


async def resolve(session: AsyncSession, agency: Agency, year: int) -> StageInForce:
    """Own declaration, else the nearest ancestor's (the unit inherits its parent's)."""
    lineage = list(reversed(repo.path_ids(agency.path)))
    found = await repo.declarations_for(session, lineage, year)
    by_id = effective_stage(lineage, {i: MaturityStage(d.stage) for i, d in found.items()})
    if by_id is None:
        return StageInForce(agency, year, None, None)
    declaring = (
        agency if by_id.declared_by == agency.id else await session.get(Agency, by_id.declared_by)
    )
    assert declaring is not None
    effective = EffectiveStage(by_id.stage, declaring.code, by_id.inherited)
    return StageInForce(agency, year, effective, found[by_id.declared_by])
