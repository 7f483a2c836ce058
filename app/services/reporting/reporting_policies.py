"""Agencies' reporting policies (docs/reporting.md "Policy"): KPI targets, the small-group
threshold and the G3 plan year; a unit inherits from its ancestors field by field, the nearest
agency that sets a field winning, the seed defaults (80%, 5 people, the year before) otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, ReportingPolicyRow
from app.db.repositories.people import agencies as agency_repo
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.merge_patch import merge_patch
from app.domain.principal import Principal
from app.domain.reporting.policy import SEED_POLICY, ReportingPolicy
from app.services.platform import audit
from app.services.platform.scope import agency_scope


@dataclass(frozen=True)
class EffectiveReportingPolicy:
    agency: Agency
    own: dict[str, Any]
    policy: ReportingPolicy
    set_by: dict[str, str | None]


async def effective(session: AsyncSession, agency: Agency) -> EffectiveReportingPolicy:
    lineage = agency_repo.path_ids(agency.path)
    found = await session.scalars(
        select(ReportingPolicyRow).where(ReportingPolicyRow.agency_id.in_(lineage))
    )
    rows = {r.agency_id: r for r in found}
    codes = {a.id: a.code for a in (await agency_repo.by_ids(session, list(rows))).values()}
    merged: dict[str, Any] = {}
    set_by: dict[str, str | None] = dict.fromkeys(SEED_POLICY.as_json())
    for agency_id in lineage:
        row = rows.get(agency_id)
        if row is None:
            continue
        for name, value in row.overrides.items():
            merged[name] = value
            set_by[name] = codes.get(agency_id, str(agency_id))
    own = dict(rows[agency.id].overrides) if agency.id in rows else {}
    return EffectiveReportingPolicy(agency, own, SEED_POLICY.with_overrides(merged), set_by)


async def _agency(session: AsyncSession, actor: Principal, code: str, *, write: bool) -> Agency:
    scope = await agency_scope(session, actor, write=write)
    agency = await agency_repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise NotFound(f"no agency {code!r}")
    return agency


async def get_policy(
    session: AsyncSession, actor: Principal, code: str
) -> EffectiveReportingPolicy:
    return await effective(session, await _agency(session, actor, code, write=False))


async def put_policy(
    session: AsyncSession, actor: Principal, code: str, body: object
) -> EffectiveReportingPolicy:
    """Replace an agency's own settings (absent or null ones are inherited)."""
    agency = await _agency(session, actor, code, write=True)
    return await _replace(session, actor, agency, _settings(body), action="put")


async def patch_policy(
    session: AsyncSession, actor: Principal, code: str, patch: object
) -> EffectiveReportingPolicy:
    """JSON merge patch of an agency's own settings (null: inherited again)."""
    agency = await _agency(session, actor, code, write=True)
    _settings(patch)
    current = await effective(session, agency)
    return await _replace(
        session, actor, agency, _settings(merge_patch(current.own, patch)), action="patch"
    )


def _settings(body: object) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "type", "a policy is a JSON object")])
    return {name: value for name, value in body.items() if value is not None}


async def _replace(
    session: AsyncSession,
    actor: Principal,
    agency: Agency,
    overrides: dict[str, Any],
    *,
    action: str,
) -> EffectiveReportingPolicy:
    SEED_POLICY.with_overrides(overrides)  # every bad setting at once
    row = await session.get(ReportingPolicyRow, agency.id)
    before = dict(row.overrides) if row else {}
    if row is None:
        row = ReportingPolicyRow(agency_id=agency.id, overrides={}, updated_by=actor.subject)
        session.add(row)
    row.overrides = dict(overrides)
    row.updated_by = actor.subject
    row.updated_at = datetime.now(UTC)
    await session.flush()
    audit.record(
        session,
        actor,
        entity="reporting_policy",
        entity_id=agency.code,
        action=action,
        about=audit.about_agency(agency.id),
        details={"before": before, "after": row.overrides},
    )
    return await effective(session, agency)
