"""A person's development targets for a fiscal year (003:653-659, rules B1-B4, C9).

The present target is the role profile of each of the person's approved staff groups at the stage
their agency declared (or inherited) for the year; the future target is the same groups at the next
stage (none after mature). Both are read from one framework version, the current published one
unless another is named, and are returned with that version so that callers can record it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, FrameworkVersion, Person, RoleProfileRequirement
from app.db.repositories.framework import framework_content as content_repo
from app.db.repositories.framework import framework_versions as versions_repo
from app.db.repositories.people import group_assignments as assignments_repo
from app.domain.errors import Conflict, NotFound
from app.domain.people.group_assignment import GroupScope
from app.domain.roles import MaturityStage, StaffGroup
from app.services.people import stages

DEFAULT_FRAMEWORK = "ocsc"


@dataclass(frozen=True, slots=True)
class ProfileTarget:
    stage: MaturityStage
    group: StaffGroup
    scope: GroupScope


@dataclass(frozen=True, slots=True)
class PersonTargets:
    person_id: uuid.UUID
    fiscal_year: int
    framework_key: str
    version_id: uuid.UUID
    version_label: str
    stage: MaturityStage
    stage_declared_by: str  # agency code whose declaration applies (own or an ancestor's)
    present: tuple[ProfileTarget, ...]
    future: tuple[ProfileTarget, ...]  # empty for a mature agency
    # resolved requirements per target, in profile order, de-duplicated across groups
    present_requirements: tuple[RoleProfileRequirement, ...]
    future_requirements: tuple[RoleProfileRequirement, ...]

    def codes(self, target: str) -> dict[str, list[str]]:
        """Required codes by component (unit, knowledge, ...) for "present" or "future"."""
        rows = self.present_requirements if target == "present" else self.future_requirements
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row.component, []).append(row.code)
        return out


async def version_for(
    session: AsyncSession, key: str = DEFAULT_FRAMEWORK, version_id: uuid.UUID | None = None
) -> FrameworkVersion:
    if version_id is not None:
        version = await session.get(FrameworkVersion, version_id)
        if version is None:
            raise NotFound(f"no framework version {version_id}")
        return version
    framework = await versions_repo.framework_by_key(session, key)
    version = (
        None if framework is None else await versions_repo.published_version(session, framework.id)
    )
    if version is None:
        raise Conflict(f"framework {key!r} has no published version: load the seed data first")
    return version


async def targets_for(
    session: AsyncSession,
    person: Person,
    fiscal_year: int,
    *,
    framework_key: str = DEFAULT_FRAMEWORK,
    version_id: uuid.UUID | None = None,
) -> PersonTargets:
    """The targets; Conflict when the agency has no stage or the person no approved group."""
    year = stages.fiscal_year(fiscal_year).be
    agency = await session.get(Agency, person.agency_id)
    if agency is None:
        raise NotFound(f"the agency of person {person.id} is unknown")
    in_force = await stages.resolve(session, agency, year)
    if in_force.effective is None:
        raise Conflict(
            f"agency {agency.code} has declared no maturity stage for FY{year} (003:653)",
            rule="B1",
        )
    assignment = (await assignments_repo.effective(session, [person.id], year)).get(person.id)
    if assignment is None:
        raise Conflict(
            f"person {person.id} has no approved staff-group assignment for FY{year} (003:657)",
            rule="B3",
        )
    stage = in_force.effective.stage
    groups = [
        (StaffGroup(g["group"]), GroupScope(g.get("scope", "whole"))) for g in assignment.groups
    ]
    version = await version_for(session, framework_key, version_id)
    present = tuple(ProfileTarget(stage, g, s) for g, s in groups)
    after = stage.next()
    future = tuple(ProfileTarget(after, g, s) for g, s in groups) if after else ()
    keys = [(version.id, t.stage.value, t.group.value) for t in present + future]
    rows = await content_repo.requirements_of(session, keys)
    by_profile: dict[tuple[str, str], list[RoleProfileRequirement]] = {}
    for row in rows:
        by_profile.setdefault((row.stage, row.staff_group), []).append(row)
    return PersonTargets(
        person_id=person.id,
        fiscal_year=year,
        framework_key=framework_key,
        version_id=version.id,
        version_label=version.label,
        stage=stage,
        stage_declared_by=in_force.effective.declared_by,
        present=present,
        future=future,
        present_requirements=_union(by_profile, present),
        future_requirements=_union(by_profile, future),
    )


def _union(
    by_profile: Mapping[tuple[str, str], list[RoleProfileRequirement]],
    targets: tuple[ProfileTarget, ...],
) -> tuple[RoleProfileRequirement, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[RoleProfileRequirement] = []
    for t in targets:
        for row in by_profile.get((t.stage.value, t.group.value), []):
            if (row.component, row.code) not in seen:
                seen.add((row.component, row.code))
                out.append(row)
    return tuple(out)
