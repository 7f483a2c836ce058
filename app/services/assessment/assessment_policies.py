"""Each agency's assessment policy (final-rating rule, priority order of gaps and strengths),
inherited down the agency tree field by field, up to the product defaults (docs/assessment.md)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, AssessmentPolicyRow
from app.db.repositories.people import agencies as agency_repo
from app.domain.assessment.policy import (
    AgencyPolicy,
    FinalRatingRule,
    PolicyOverride,
    PriorityKey,
    ResolvedPolicy,
    parse_policy_override,
    resolve_policy,
)
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.merge_patch import merge_patch
from app.domain.principal import Principal
from app.services.platform import audit
from app.services.platform.scope import agency_scope


@dataclass(frozen=True, slots=True)
class AgencyPolicyView:
    agency: Agency
    override: PolicyOverride
    resolved: ResolvedPolicy


async def resolve_for_agency(session: AsyncSession, agency_id: uuid.UUID) -> ResolvedPolicy:
    """The policy in force for an agency: the overrides of the agency and its ancestors, root
    first (one query; policies are few, so the ancestors are found by prefix of the path)."""
    own = select(Agency.path).where(Agency.id == agency_id).scalar_subquery()
    rows = (
        await session.execute(
            select(Agency.code, AssessmentPolicyRow.override)
            .join(AssessmentPolicyRow, AssessmentPolicyRow.agency_id == Agency.id)
            .where(func.starts_with(own, Agency.path))
            .order_by(Agency.depth)
        )
    ).all()
    return resolve_policy([(code, parse_policy_override(override)) for code, override in rows])


async def _agency(session: AsyncSession, actor: Principal, code: str, *, write: bool) -> Agency:
    scope = await agency_scope(session, actor, write=write)
    agency = await agency_repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise NotFound(f"no agency {code!r}")
    return agency


async def get_policy(session: AsyncSession, actor: Principal, code: str) -> AgencyPolicyView:
    """What the agency sets itself and the policy in force (with where each field comes from)."""
    agency = await _agency(session, actor, code, write=False)
    return await _view(session, agency)


async def _view(session: AsyncSession, agency: Agency) -> AgencyPolicyView:
    stored = await session.scalar(
        select(AssessmentPolicyRow.override).where(AssessmentPolicyRow.agency_id == agency.id)
    )
    own = parse_policy_override(stored) if stored is not None else PolicyOverride()
    return AgencyPolicyView(agency, own, await resolve_for_agency(session, agency.id))


async def put_policy(
    session: AsyncSession, actor: Principal, code: str, body: object
) -> AgencyPolicyView:
    """Replace the fields the agency sets: the ones given are set here, absent or ``null`` ones
    inherited (``{}`` inherits everything). Agency administrators of the agency's subtree and
    central administrators."""
    agency = await _agency(session, actor, code, write=True)
    return await _replace(session, actor, agency, _fields(body), action="put")


async def patch_policy(
    session: AsyncSession, actor: Principal, code: str, patch: object
) -> AgencyPolicyView:
    """Change some of the fields the agency sets (JSON merge patch): a value sets the field
    here, ``null`` makes it inherited again, an absent one stays as it is."""
    agency = await _agency(session, actor, code, write=True)
    _fields(patch)
    current = await _view(session, agency)
    return await _replace(
        session, actor, agency, merge_patch(current.override.as_dict(), patch), action="patch"
    )


def _fields(body: object) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ValidationFailed([FieldError("", "type", "a policy is a JSON object")])
    return body


async def _replace(
    session: AsyncSession,
    actor: Principal,
    agency: Agency,
    body: Mapping[str, Any],
    *,
    action: str,
) -> AgencyPolicyView:
    override = parse_policy_override(body).as_dict()
    statement = insert(AssessmentPolicyRow).values(
        agency_id=agency.id, override=override, updated_by=actor.subject
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["agency_id"],
            set_={
                "override": override,
                "updated_by": actor.subject,
                "updated_at": datetime.now(UTC),
            },
        )
    )
    audit.record(
        session,
        actor,
        entity="assessment_policy",
        entity_id=agency.code,
        action=action,
        about=audit.about_agency(agency.id),
        details={"override": override},
    )
    return await _view(session, agency)


def policy_json(policy: AgencyPolicy) -> dict[str, Any]:
    return {
        "final_rating": policy.final_rating.value,
        "priority": [k.value for k in policy.priority],
        "foundational_domains": sorted(policy.foundational_domains),
    }


def policy_of_json(data: Mapping[str, Any]) -> AgencyPolicy:
    return AgencyPolicy(
        final_rating=FinalRatingRule(data["final_rating"]),
        priority=tuple(PriorityKey(k) for k in data["priority"]),
        foundational_domains=frozenset(data["foundational_domains"]),
    )
