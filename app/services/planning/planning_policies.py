"""Agencies' planning policies (docs/planning.md "Policy"): each agency may override any setting
of ``PlanningPolicy``; a unit inherits from its ancestors field by field, the nearest agency
that sets a field winning, and the seeds' defaults apply to whatever no agency sets. PUT and
PATCH behave as for the assessment policy (app/services/assessment/assessment_policies.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, PlanningPolicyRow
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.planning import plans as repo
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.merge_patch import merge_patch
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy
from app.domain.principal import Principal
from app.services.platform import audit
from app.services.platform.scope import agency_scope


@dataclass(frozen=True)
class EffectivePolicy:
    agency: Agency
    own: dict[str, Any]  # this agency's own settings, as JSON (numbers as numbers)
    policy: PlanningPolicy  # what applies to its staff
    set_by: dict[str, str | None]  # setting -> code of the agency that sets it (None: default)


async def effective(session: AsyncSession, agency: Agency) -> EffectivePolicy:
    """The policy in force for an agency's staff: own settings, then ancestors', then defaults."""
    lineage = agency_repo.path_ids(agency.path)  # root first
    rows = await repo.policies(session, lineage)
    codes = {a.id: a.code for a in (await agency_repo.by_ids(session, list(rows))).values()}
    merged: dict[str, Any] = {}
    set_by: dict[str, str | None] = dict.fromkeys(SEED_POLICY.as_dict())
    for agency_id in lineage:
        row = rows.get(agency_id)
        if row is None:
            continue
        for name, value in row.overrides.items():
            merged[name] = value
            set_by[name] = codes.get(agency_id, str(agency_id))
    stored = dict(rows[agency.id].overrides) if agency.id in rows else {}
    own_json = SEED_POLICY.with_overrides(stored).as_json()
    own = {name: own_json[name] for name in stored}
    return EffectivePolicy(agency, own, SEED_POLICY.with_overrides(merged), set_by)


async def _agency(session: AsyncSession, actor: Principal, code: str, *, write: bool) -> Agency:
    scope = await agency_scope(session, actor, write=write)
    agency = await agency_repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise NotFound(f"no agency {code!r}")
    return agency


async def get_policy(session: AsyncSession, actor: Principal, code: str) -> EffectivePolicy:
    return await effective(session, await _agency(session, actor, code, write=False))


async def put_policy(
    session: AsyncSession, actor: Principal, code: str, body: object
) -> EffectivePolicy:
    """Replace an agency's own settings: the ones given are set here, absent or ``null`` ones
    inherited (``{}`` clears them all). Refused, listing every bad setting, when a setting is
    unknown or out of range, or the result would be inconsistent with what the agency inherits
    (e.g. a minimum above the inherited maximum)."""
    agency = await _agency(session, actor, code, write=True)
    return await _replace(session, actor, agency, _settings(body), action="put")


async def patch_policy(
    session: AsyncSession, actor: Principal, code: str, patch: object
) -> EffectivePolicy:
    """Change some of an agency's own settings (JSON merge patch): a value sets the setting
    here, ``null`` makes it inherited again, an absent one stays as it is."""
    agency = await _agency(session, actor, code, write=True)
    _settings(patch)
    current = await effective(session, agency)
    changed = merge_patch(current.own, patch)
    return await _replace(session, actor, agency, changed, action="patch")


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
) -> EffectivePolicy:
    _check_each(overrides)
    row = await session.get(PlanningPolicyRow, agency.id)
    before = dict(row.overrides) if row else {}
    if row is None:
        row = PlanningPolicyRow(agency_id=agency.id, overrides={}, updated_by=actor.subject)
        session.add(row)
    row.overrides = _normalised(overrides)
    row.updated_by = actor.subject
    row.updated_at = datetime.now(UTC)
    await session.flush()
    try:
        result = await effective(session, agency)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.errors, "with what the agency inherits, these settings are inconsistent"
        ) from None
    audit.record(
        session,
        actor,
        entity="planning_policy",
        entity_id=agency.code,
        action=action,
        about=audit.about_agency(agency.id),
        details={"before": before, "after": row.overrides},
    )
    return result


def _check_each(overrides: dict[str, Any]) -> None:
    """Every setting that is bad on its own, at once (then the combination is checked)."""
    problems = []
    for name, value in overrides.items():
        try:
            SEED_POLICY.with_overrides({name: value})
        except ValidationFailed as exc:
            problems.extend(exc.errors)
    if problems:
        raise ValidationFailed(problems)


def _normalised(overrides: dict[str, Any]) -> dict[str, Any]:
    """Settings as JSON the way ``PlanningPolicy.as_dict`` writes them."""
    parsed = SEED_POLICY.with_overrides(overrides).as_dict()
    return {name: parsed[name] for name in overrides}
