"""Courses for a person's gaps, from their latest finalised assessment, with why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Assessment, Course, Person
from app.db.repositories.assessment import assessments as assessment_repo
from app.db.repositories.learning import catalogue as repo
from app.db.repositories.people import group_assignments as assignments_repo
from app.domain.assessment.results import AssessmentScore
from app.domain.assessment.vocabulary import Target
from app.domain.errors import NotFound
from app.domain.learning.recommendations import CourseFacts, GapFacts, Recommendation, recommend
from app.domain.principal import Principal
from app.services.assessment.assessment_results import scored
from app.services.assessment.assessments import visible_person
from app.services.learning.catalogue import person_visibility
from app.services.platform.scope import linked_person


@dataclass(frozen=True, slots=True)
class Recommendations:
    person: Person
    assessment: Assessment | None  # the latest finalised assessment (None: nothing to go on)
    groups: frozenset[str]
    gaps: list[GapFacts]
    items: list[Recommendation]
    courses: dict[str, Course]  # by id, for the answer


def gap_facts(score: AssessmentScore) -> list[GapFacts]:
    """The gaps in the assessment's priority order, present before future."""
    ordered = sorted(score.gaps, key=lambda g: Target.PRESENT not in g.requirement.targets)
    return [
        GapFacts(
            code=g.code,
            title=g.requirement.title.th,
            target="present" if Target.PRESENT in g.requirement.targets else "future",
            codes=tuple(dict.fromkeys((g.code, *g.elements_not_met, *g.items_not_met))),
            rank=rank,
        )
        for rank, g in enumerate(ordered)
    ]


def strength_facts(score: AssessmentScore) -> list[GapFacts]:
    return [
        GapFacts(
            code=r.code,
            title=r.title.th,
            target="present" if Target.PRESENT in r.targets else "future",
            codes=(r.code,),
            rank=1000 + k,
        )
        for k, r in enumerate(score.strengths)
    ]


async def groups_of(session: AsyncSession, person: Person, fiscal_year: int) -> frozenset[str]:
    found = (await assignments_repo.effective(session, [person.id], fiscal_year)).get(person.id)
    return frozenset(g["group"] for g in found.groups) if found else frozenset()


async def latest_final(
    session: AsyncSession, person_id: uuid.UUID, *, baseline: bool = False
) -> Assessment | None:
    if not baseline:
        return await assessment_repo.latest_of(session, person_id, final=True)
    found: Assessment | None = await session.scalar(
        select(Assessment)
        .where(
            Assessment.person_id == person_id,
            Assessment.status == "final",
            Assessment.kind == "baseline",
        )
        .order_by(Assessment.fiscal_year.desc())
        .limit(1)
    )
    return found


async def for_gaps(
    session: AsyncSession, person: Person, gaps: list[GapFacts], groups: frozenset[str]
) -> tuple[list[Recommendation], dict[str, Course]]:
    codes = {c for g in gaps for c in g.codes}
    rows = await repo.courses_for_items(session, await person_visibility(session, person), codes)
    courses = {str(c.id): c for c, _ in rows}
    facts = [
        CourseFacts(
            id=str(c.id),
            provider=p,
            code=c.code,
            title_th=c.title_th,
            hours=c.hours,
            items=frozenset(c.items),
            groups=frozenset(c.groups),
            methods=tuple(c.methods),
        )
        for c, p in rows
    ]
    return recommend(gaps, groups, facts), courses


async def recommended_courses(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID
) -> Recommendations:
    """For each gap of the person's latest finalised assessment, in its priority order, the
    catalogue courses mapped to the gap's items for the person's staff groups."""
    person = await visible_person(session, actor, person_id)
    assessment = await latest_final(session, person.id)
    if assessment is None:
        return Recommendations(person, None, frozenset(), [], [], {})
    score = (await scored(session, assessment)).score
    gaps = gap_facts(score)
    groups = await groups_of(session, person, assessment.fiscal_year)
    items, courses = await for_gaps(session, person, gaps, groups)
    return Recommendations(person, assessment, groups, gaps, items, courses)


async def my_recommended_courses(session: AsyncSession, actor: Principal) -> Recommendations:
    me = await linked_person(session, actor)
    if me is None:
        raise NotFound("no person is linked to this token")
    return await recommended_courses(session, actor, me.id)
