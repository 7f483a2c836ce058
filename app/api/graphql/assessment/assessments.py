"""GraphQL queries and mutations of assessments, the review queue, agency assessment policy and
the caller's dashboard (``myDashboard``). Errors are coded (``extensions.code``)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from app.api.graphql.assessment.assessment_types import (
    Assessment,
    AssessmentComparison,
    AssessmentForm,
    AssessmentPolicy,
    AssessmentResults,
    MyDashboard,
    QueuedAssessment,
)
from app.api.graphql.context import Context
from app.domain.assessment.form import RatingEntry
from app.domain.errors import FieldError, ValidationFailed
from app.services.assessment import assessment_policies, assessment_results, assessments

Ctx = Info[Context, None]


def _uuid(value: strawberry.ID, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            [FieldError.for_parameter(name, "argument", "format", f"{value!r} is not an id")]
        ) from None


def _ids(person_id: strawberry.ID, id: strawberry.ID) -> tuple[uuid.UUID, uuid.UUID]:
    return _uuid(person_id, "personId"), _uuid(id, "id")


@strawberry.input(description="One rating: has or has_not, an optional note and evidence link.")
class RatingInput:
    code: str
    value: str
    note: str | None = None
    evidence_url: str | None = None


@strawberry.input(description="The fields an agency sets; leave a field out to inherit it.")
class AssessmentPolicyInput:
    final_rating: str | None = strawberry.UNSET
    priority: list[str] | None = strawberry.UNSET
    foundational_domains: list[str] | None = strawberry.UNSET


def _entries(ratings: list[RatingInput]) -> list[RatingEntry]:
    return [RatingEntry(r.code, r.value, r.note, r.evidence_url) for r in ratings]


@strawberry.type
class AssessmentQuery:
    @strawberry.field(description="One assessment of a person you may see.")
    async def assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        a = await info.context.use_db(lambda s, p: assessments.get_assessment(s, p, pid, aid))
        return Assessment.of(a)

    @strawberry.field(description="The form: component > domain > unit > element > criterion.")
    async def assessment_form(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> AssessmentForm:
        pid, aid = _ids(person_id, id)
        view = await info.context.use_db(lambda s, p: assessment_results.form(s, p, pid, aid))
        return AssessmentForm.of(view.assessment, view.form)

    @strawberry.field(description="Readiness, gaps, strengths and disagreements.")
    async def assessment_results(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> AssessmentResults:
        pid, aid = _ids(person_id, id)
        view = await info.context.use_db(lambda s, p: assessment_results.results(s, p, pid, aid))
        return AssessmentResults.of(view)

    @strawberry.field(description="A reflection against its baseline.")
    async def assessment_comparison(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> AssessmentComparison:
        pid, aid = _ids(person_id, id)
        view = await info.context.use_db(lambda s, p: assessment_results.comparison(s, p, pid, aid))
        return AssessmentComparison.of(view)

    @strawberry.field(description="Submitted assessments awaiting your review.")
    async def assessments_awaiting_me(self, info: Ctx) -> list[QueuedAssessment]:
        rows = await info.context.use_db(assessment_results.queue)
        return [QueuedAssessment.of(a, p) for a, p in rows]

    @strawberry.field(description="An agency's assessment policy, own and effective.")
    async def assessment_policy(self, info: Ctx, agency_code: str) -> AssessmentPolicy:
        view = await info.context.use_db(
            lambda s, p: assessment_policies.get_policy(s, p, agency_code)
        )
        return AssessmentPolicy.of(view)

    @strawberry.field(
        description="Your page in one round trip: your profiles this fiscal year (default: the "
        "current one), your latest assessment's readiness and top gaps, and the assessments "
        "awaiting your review."
    )
    async def my_dashboard(
        self, info: Ctx, fiscal_year: int | None = None, top_gaps: int = 5
    ) -> MyDashboard:
        d = await info.context.use_db(lambda s, p: assessment_results.dashboard(s, p, fiscal_year))
        return MyDashboard.of(d, max(0, min(top_gaps, 50)))


@strawberry.type
class AssessmentMutation:
    @strawberry.mutation(description="Open (or get, when already open) an assessment.")
    async def open_assessment(
        self, info: Ctx, person_id: strawberry.ID, fiscal_year: int, kind: str = "baseline"
    ) -> Assessment:
        pid = _uuid(person_id, "personId")
        a, _ = await info.context.use_db(
            lambda s, p: assessments.open_assessment(
                s, p, pid, fiscal_year_be=fiscal_year, kind=kind
            )
        )
        return Assessment.of(a)

    @strawberry.mutation(description="Save a batch of your own ratings (a draft only).")
    async def rate_assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID, ratings: list[RatingInput]
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        entries = _entries(ratings)
        a = await info.context.use_db(lambda s, p: assessments.rate(s, p, pid, aid, entries))
        return Assessment.of(a)

    @strawberry.mutation(description="Submit your assessment for review (every item rated).")
    async def submit_assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        return Assessment.of(
            await info.context.use_db(lambda s, p: assessments.submit(s, p, pid, aid))
        )

    @strawberry.mutation(description="The first-line supervisor's ratings, in batches.")
    async def review_assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID, ratings: list[RatingInput]
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        entries = _entries(ratings)
        a = await info.context.use_db(lambda s, p: assessments.review(s, p, pid, aid, entries))
        return Assessment.of(a)

    @strawberry.mutation(description="End the review: the assessment is final and locked.")
    async def finalize_assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        return Assessment.of(
            await info.context.use_db(lambda s, p: assessments.finalize(s, p, pid, aid))
        )

    @strawberry.mutation(description="Reopen a submitted or final assessment (administrators).")
    async def reopen_assessment(
        self, info: Ctx, person_id: strawberry.ID, id: strawberry.ID, reason: str
    ) -> Assessment:
        pid, aid = _ids(person_id, id)
        a = await info.context.use_db(
            lambda s, p: assessments.reopen(s, p, pid, aid, reason=reason)
        )
        return Assessment.of(a)

    @strawberry.mutation(description="Set the fields of an agency's assessment policy.")
    async def set_assessment_policy(
        self, info: Ctx, agency_code: str, policy: AssessmentPolicyInput
    ) -> AssessmentPolicy:
        body: dict[str, Any] = {
            name: value
            for name in ("final_rating", "priority", "foundational_domains")
            if (value := getattr(policy, name)) is not strawberry.UNSET and value is not None
        }
        view = await info.context.use_db(
            lambda s, p: assessment_policies.put_policy(s, p, agency_code, body)
        )
        return AssessmentPolicy.of(view)
