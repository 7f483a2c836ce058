"""A drafted IDP1 from a finalised self-assessment, saved as a draft for the person and their
supervisor to edit (the draft is made by the domain: ``app.domain.learning.drafting``)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Assessment
from app.domain.errors import Conflict, NotFound
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.learning.drafting import draft_items
from app.domain.planning import document
from app.domain.planning.model import CourseRef
from app.domain.planning.validation import CourseFacts as PlanCourse
from app.domain.principal import Principal
from app.services.assessment.assessment_results import scored
from app.services.assessment.assessments import visible_person
from app.services.learning.recommendations import (
    for_gaps,
    gap_facts,
    groups_of,
    latest_final,
    strength_facts,
)
from app.services.people.stages import fiscal_year as parse_fiscal_year
from app.services.planning import plan_context
from app.services.planning.plan_records import new_id
from app.services.planning.plans import PlanResult, create_plan


async def draft_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    fiscal_year: int | None = None,
    assessment_id: uuid.UUID | None = None,
) -> PlanResult:
    """Draft and save the person's IDP1 for the year from their finalised self-assessment (the
    latest, or ``assessment_id``); 409 when they already have a plan for the year or the
    assessment gives too little to plan."""
    person = await visible_person(session, actor, person_id)
    if assessment_id is None:
        assessment = await latest_final(session, person.id, baseline=True)
        if assessment is None:
            raise Conflict(
                "the person has no finalised self-assessment to draft a plan from", rule="D2"
            )
    else:
        found = await session.get(Assessment, (person.id, assessment_id))
        if found is None:
            raise NotFound(f"no assessment {assessment_id} of this person")
        if found.kind != "baseline" or found.status != "final":
            raise Conflict("a plan is drafted from a finalised self-assessment", rule="D2")
        assessment = found
    year = (
        parse_fiscal_year(fiscal_year, "/fiscal_year").be
        if fiscal_year is not None
        else FiscalYear.containing(bangkok_today()).be
    )
    score = (await scored(session, assessment)).score
    gaps = gap_facts(score)
    groups = await groups_of(session, person, year) or await groups_of(
        session, person, assessment.fiscal_year
    )
    recommendations, _ = await for_gaps(session, person, gaps, groups)
    rules = await plan_context.rule_context(session, person, year)
    policy = await plan_context.policy_for(session, person)
    context = replace(
        rules.context,
        courses={
            CourseRef(r.course.provider, r.course.code): PlanCourse(
                frozenset(r.course.methods), r.course.hours, r.course.title_th
            )
            for r in recommendations
        },
    )
    items = draft_items(gaps, strength_facts(score), recommendations, context, policy, new_id)
    return await create_plan(
        session,
        actor,
        person.id,
        fiscal_year=year,
        items=document.items_to_json(items),
        baseline_assessment_id=assessment.id,
    )
