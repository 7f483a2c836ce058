"""What the plan rules need from outside the plan: the person's profiles and the framework's
codes (``PlanContext``), the agency's policy, the form's header and the baseline assessment."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, Assessment, Person
from app.db.repositories.framework import framework_versions as versions_repo
from app.domain.errors import NotFound
from app.domain.planning.model import CourseRef, DevelopmentPlan
from app.domain.planning.policy import PlanningPolicy
from app.domain.planning.validation import CourseFacts, PlanContext
from app.services.assessment.targets import targets_for
from app.services.planning import planning_policies


@dataclass(frozen=True)
class Header:
    person_name: str
    position: str
    unit: str


@dataclass(frozen=True)
class RuleContext:
    context: PlanContext
    framework_version_id: uuid.UUID


async def baseline_of(
    session: AsyncSession, person_id: uuid.UUID, assessment_id: uuid.UUID | None
) -> bool:
    """Whether ``assessment_id`` names a baseline self-assessment of this person (D2, 004:954:
    the assessment comes before the plan and feeds it)."""
    if assessment_id is None:
        return False
    kind = await session.scalar(
        select(Assessment.kind).where(
            Assessment.person_id == person_id, Assessment.id == assessment_id
        )
    )
    return kind == "baseline"


# How the plan rules learn what a catalogue course is (its methods and hours). The catalogue is
# the learning feature, which sits above planning: it installs its look-up here when it is
# imported (app.services.learning), so that planning never imports it.
CourseLookup = Callable[
    [AsyncSession, frozenset[CourseRef]], Awaitable[Mapping[CourseRef, CourseFacts]]
]
_course_lookup: list[CourseLookup] = []


def install_course_lookup(lookup: CourseLookup) -> None:
    _course_lookup[:] = [lookup]


async def rule_context(
    session: AsyncSession,
    person: Person,
    fiscal_year: int,
    plan: DevelopmentPlan | None = None,
) -> RuleContext:
    """The person's present and future profile codes for the year and every framework code,
    and (given the plan) the catalogue courses its activities take.

    Conflict (rule B1 or B3) when the agency declared no stage or the person has no approved
    staff group: without a profile a plan has nothing to target.
    """
    targets = await targets_for(session, person, fiscal_year)
    present = {c for codes in targets.codes("present").values() for c in codes}
    future = {c for codes in targets.codes("future").values() for c in codes}
    every = await versions_repo.item_codes(session, targets.version_id)
    context = PlanContext(frozenset(present), frozenset(future), frozenset(every))
    if plan is not None:
        context = await with_courses(session, context, plan)
    return RuleContext(context, targets.version_id)


async def with_courses(
    session: AsyncSession, context: PlanContext, plan: DevelopmentPlan
) -> PlanContext:
    """The context with the facts of every course the plan's activities take."""
    refs = frozenset(a.course for i in plan.items for a in i.activities if a.course is not None)
    if not _course_lookup:
        return context
    found = await _course_lookup[0](session, refs) if refs else {}
    return replace(context, courses=found)


async def policy_for(session: AsyncSession, person: Person) -> PlanningPolicy:
    agency = await _agency(session, person)
    return (await planning_policies.effective(session, agency)).policy


async def header_of(session: AsyncSession, person: Person) -> Header:
    """The form's header from the person record: name, position (and level), unit."""
    agency = await _agency(session, person)
    name = " ".join(n for n in (person.first_name_th, person.last_name_th) if n)
    if not name:
        name = " ".join(n for n in (person.first_name_en, person.last_name_en) if n)
    position = " ".join(p for p in (person.position_title, person.position_level) if p)
    return Header(name, position, agency.name_th)


async def _agency(session: AsyncSession, person: Person) -> Agency:
    agency = await session.get(Agency, person.agency_id)
    if agency is None:
        raise NotFound(f"the agency of person {person.id} is unknown")
    return agency
