"""A person's development targets for a fiscal year (003:653-659, rules B1-B4, C9).

The present target is the role profile of each of the person's approved staff groups at the stage
their agency declared (or inherited) for the year; the future target is the same groups at the next
stage (none after mature). Both are read from one framework version, the current published one
unless another is named, and are returned with that version so that callers can record it.

A ``partial`` group contributes only the items chosen from its profile plus those every profile
keeps (``always_kept``: rules A6, A8, A9); ``ProfileChoices`` checks such a choice against the
profiles when it is proposed. Everything downstream (the assessment's required items, its form and
readiness, the plan rules) reads the filtered requirements from here.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, FrameworkVersion, Person, RoleProfileRequirement
from app.db.repositories.framework import framework_content as content_repo
from app.db.repositories.framework import framework_versions as versions_repo
from app.db.repositories.people import group_assignments as assignments_repo
from app.domain.errors import Conflict, FieldError, NotFound
from app.domain.people.group_assignment import GroupScope, GroupShare, always_kept, check_choice
from app.domain.roles import MaturityStage, StaffGroup
from app.services.people import stages

DEFAULT_FRAMEWORK = "ocsc"


@dataclass(frozen=True, slots=True)
class ProfileTarget:
    stage: MaturityStage
    group: StaffGroup
    scope: GroupScope
    items: tuple[str, ...] | None = None  # the choice of a partial group

    @property
    def share(self) -> GroupShare:
        return GroupShare(self.group, self.scope, self.items)


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
    groups = [GroupShare.of_json(g) for g in assignment.groups]
    version = await version_for(session, framework_key, version_id)
    present = tuple(ProfileTarget(stage, g.group, g.scope, g.items) for g in groups)
    after = stage.next()
    future = tuple(ProfileTarget(after, g.group, g.scope, g.items) for g in groups) if after else ()
    keys = [(version.id, t.stage.value, t.group.value) for t in present + future]
    rows = await content_repo.requirements_of(session, keys)
    by_profile: dict[tuple[str, str], list[RoleProfileRequirement]] = {}
    for row in rows:
        by_profile.setdefault((row.stage, row.staff_group), []).append(row)
    kept: frozenset[str] = frozenset()
    if any(g.items is not None for g in groups):
        dimensions = await content_repo.unit_dimensions(session, version.id)
        kept = frozenset(
            r.code
            for r in rows
            if always_kept(r.component, origin=r.origin, dimension=dimensions.get(r.code))
        )
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
        present_requirements=_union(by_profile, present, kept),
        future_requirements=_union(by_profile, future, kept),
    )


def _union(
    by_profile: Mapping[tuple[str, str], list[RoleProfileRequirement]],
    targets: tuple[ProfileTarget, ...],
    kept: frozenset[str],
) -> tuple[RoleProfileRequirement, ...]:
    """The requirements of the targets' profiles, each once; a partial group's only where chosen
    or always kept."""
    seen: set[tuple[str, str]] = set()
    out: list[RoleProfileRequirement] = []
    for t in targets:
        share = t.share
        for row in by_profile.get((t.stage.value, t.group.value), []):
            if (row.component, row.code) in seen:
                continue
            if share.applies(row.code, always=row.code in kept):
                seen.add((row.component, row.code))
                out.append(row)
    return tuple(out)


@dataclass
class ProfileChoices:
    """Checks the items chosen for partial groups against the profiles of the agency's stage
    (and the next, the future target) in the current published framework version. One instance
    per request: stages, profiles and codes are read once each however many records it checks.
    """

    framework_key: str = DEFAULT_FRAMEWORK
    _version: FrameworkVersion | None = None
    _known: frozenset[str] | None = None
    _stages: dict[tuple[uuid.UUID, int], MaturityStage | None] = field(default_factory=dict)
    _profiles: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    async def check(
        self,
        session: AsyncSession,
        agency_id: uuid.UUID,
        fiscal_year: int,
        groups: Sequence[GroupShare],
        pointer: str = "/groups",
    ) -> list[FieldError]:
        """Every problem of the choice; none when no group is partial."""
        partial = [g for g in groups if g.items is not None]
        if not partial:
            return []
        stage = await self._stage(session, agency_id, fiscal_year)
        if stage is None:
            first = next(i for i, g in enumerate(groups) if g.items is not None)
            return [
                FieldError(
                    f"{pointer}/{first}/items",
                    "stage-undeclared",
                    f"the person's agency has declared no maturity stage for FY{fiscal_year}: "
                    "a partial choice is made from the profile of that stage (003:653, rule B1)",
                    {"source": "003:653"},
                )
            ]
        version = await self._published(session)
        if self._known is None:
            self._known = frozenset(await versions_repo.item_codes(session, version.id))
        profiles = {g.group: await self._profile(session, version, stage, g.group) for g in partial}
        return check_choice(groups, profiles, self._known, stage=stage.value, pointer=pointer)

    async def _published(self, session: AsyncSession) -> FrameworkVersion:
        if self._version is None:
            self._version = await version_for(session, self.framework_key)
        return self._version

    async def _stage(
        self, session: AsyncSession, agency_id: uuid.UUID, year: int
    ) -> MaturityStage | None:
        if (agency_id, year) not in self._stages:
            agency = await session.get(Agency, agency_id)
            in_force = None if agency is None else await stages.resolve(session, agency, year)
            effective = None if in_force is None else in_force.effective
            self._stages[agency_id, year] = None if effective is None else effective.stage
        return self._stages[agency_id, year]

    async def _profile(
        self,
        session: AsyncSession,
        version: FrameworkVersion,
        stage: MaturityStage,
        group: StaffGroup,
    ) -> frozenset[str]:
        """The codes of the group's profile at the stage and at the next stage."""
        if (stage.value, group.value) not in self._profiles:
            after = stage.next()
            keys = [(version.id, s.value, group.value) for s in (stage, after) if s is not None]
            rows = await content_repo.requirements_of(session, keys)
            self._profiles[stage.value, group.value] = frozenset(r.code for r in rows)
        return self._profiles[stage.value, group.value]
