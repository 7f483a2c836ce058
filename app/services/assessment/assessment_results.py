"""Reading assessments: the form, the results (readiness, gaps, strengths, disagreements), the
comparison of a reflection with its baseline, a supervisor's review queue and a person's
dashboard. Reads only; every figure comes from the pure scoring domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, Assessment, Person
from app.db.repositories.assessment import assessments as repo
from app.db.repositories.assessment import stamps
from app.db.repositories.people import group_assignments as assignments_repo
from app.domain.assessment.comparison import Comparison, compare
from app.domain.assessment.form import AssessmentForm, build_form
from app.domain.assessment.results import AssessmentScore
from app.domain.assessment.scoring import score
from app.domain.errors import Conflict
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.principal import Principal, Role
from app.domain.roles import MaturityStage
from app.services.assessment import evidence
from app.services.assessment.assessments import get_assessment, plan_of, policy_of
from app.services.people import stages
from app.services.platform.scope import linked_person, linked_person_id, people_scope


@dataclass(frozen=True, slots=True)
class FormView:
    assessment: Assessment
    form: AssessmentForm


@dataclass(frozen=True, slots=True)
class ResultView:
    assessment: Assessment
    score: AssessmentScore


@dataclass(frozen=True, slots=True)
class ComparisonView:
    reflection: ResultView
    baseline: ResultView
    comparison: Comparison


async def form(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> FormView:
    a = await get_assessment(session, actor, person_id, assessment_id)
    own, boss = await repo.ratings_of(session, a)
    shown = await evidence.evidence_of(session, a.person_id, a.framework_version_id)
    return FormView(a, build_form(plan_of(a), own, boss, shown))


async def scored(session: AsyncSession, a: Assessment) -> ResultView:
    own, boss = await repo.ratings_of(session, a)
    return ResultView(a, score(plan_of(a), own, boss, await policy_of(session, a)))


async def results(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> ResultView:
    """Readiness, gaps, strengths and disagreements as the ratings stand (final once final)."""
    return await scored(session, await get_assessment(session, actor, person_id, assessment_id))


async def comparison(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> ComparisonView:
    """A reflection against the person's baseline of the same fiscal year, else the year before
    (004:999); 409 for a baseline or when there is no baseline to compare with."""
    a = await get_assessment(session, actor, person_id, assessment_id)
    if a.kind != "reflection":
        raise Conflict("only a reflection is compared with a baseline", rule="comparison")
    baseline = await repo.latest_baseline(session, a.person_id, a.fiscal_year)
    if baseline is None:
        raise Conflict(
            f"no baseline assessment in FY{a.fiscal_year} or FY{a.fiscal_year - 1} to compare with",
            rule="comparison",
        )
    after, before = await scored(session, a), await scored(session, baseline)
    return ComparisonView(after, before, compare(before.score, after.score))


async def _admin_paths(session: AsyncSession, actor: Principal) -> tuple[str, ...]:
    """Where an administrator's queue also takes assessments without a supervisor."""
    if not actor.has_role(Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN):
        return ()
    scope = await people_scope(session, actor, write=True)
    return ("/",) if scope.everything else scope.agency_paths


async def queue(session: AsyncSession, actor: Principal) -> list[tuple[Assessment, Person]]:
    """Submitted assessments awaiting the caller's review, oldest submission first."""
    if actor.is_client:
        return []
    me = await linked_person(session, actor)
    paths = await _admin_paths(session, actor)
    return await repo.queue(session, repo.awaiting(me.id if me else None, paths))


@dataclass(frozen=True, slots=True)
class Profiles:
    stage: MaturityStage | None
    groups: tuple[str, ...]
    present: tuple[str, ...]  # "developing/technologist"
    future: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    person: Person | None
    fiscal_year: int
    profiles: Profiles
    # The result of record: the latest final assessment, scored.
    latest: ResultView | None
    # The latest assessment not final yet (draft or submitted), when there is one.
    in_progress: Assessment | None
    pending_reviews: list[tuple[Assessment, Person]]


async def _profiles(session: AsyncSession, person: Person, year: int) -> Profiles:
    agency = await session.get(Agency, person.agency_id)
    assert agency is not None
    in_force = await stages.resolve(session, agency, year)
    found = (await assignments_repo.effective(session, [person.id], year)).get(person.id)
    groups = tuple(g["group"] for g in found.groups) if found else ()
    if in_force.effective is None:
        return Profiles(None, groups, (), ())
    stage = in_force.effective.stage
    after = stage.next()
    return Profiles(
        stage,
        groups,
        tuple(f"{stage.value}/{g}" for g in groups),
        tuple(f"{after.value}/{g}" for g in groups) if after else (),
    )


async def dashboard(
    session: AsyncSession, actor: Principal, fiscal_year: int | None = None
) -> Dashboard:
    """The caller's page: their profiles this year, the readiness and gaps of their latest
    final assessment (a draft or a submitted one is not a result yet: it is reported apart, and
    a just-opened reflection never hides the finalised baseline), and the assessments awaiting
    their review. A fixed number of queries."""
    year = (
        stages.fiscal_year(fiscal_year).be
        if fiscal_year
        else FiscalYear.containing(bangkok_today()).be
    )
    pending = await queue(session, actor)
    me = await linked_person(session, actor)
    if me is None:
        return Dashboard(None, year, Profiles(None, (), (), ()), None, None, pending)
    latest = await repo.latest_of(session, me.id, final=True)
    return Dashboard(
        me,
        year,
        await _profiles(session, me, year),
        await scored(session, latest) if latest is not None else None,
        await repo.latest_of(session, me.id, final=False),
        pending,
    )


async def dashboard_stamp(db: AsyncSession | Any, actor: Principal) -> str | None:
    """A text that changes whenever the caller's dashboard would (read in three statements: the
    caller's person, their rows, their review queue): their person-owned rows, reference data,
    their review queue, and the day (the default fiscal year, the plan in force). None for a
    client, which has no dashboard. ``app/db/repositories/assessment/stamps.py`` says how.

    ``db``: a session, or a driver connection (``app.db.raw.reader``) for callers who are not
    administrators (an administrator's queue takes their reach, which needs a session)."""
    if actor.is_client:
        return None
    paths: tuple[str, ...] = ()
    if actor.has_role(Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN):
        assert isinstance(db, AsyncSession), "an administrator's reach is read with a session"
        paths = await _admin_paths(db, actor)
    me = await linked_person_id(db, actor)
    stamp = await stamps.answer_stamp(db, me, paths)
    return f"{bangkok_today().isoformat()}|{stamp}"
