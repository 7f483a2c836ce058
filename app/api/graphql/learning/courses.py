"""Courses of the catalogue, recommended courses for a person's gaps, and drafting a plan."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.planning.plans import Plan
from app.domain.errors import FieldError, ValidationFailed
from app.domain.learning.recommendations import Recommendation
from app.services.learning import catalogue, drafting, recommendations
from app.services.learning.catalogue import CourseView
from app.services.learning.recommendations import Recommendations


def _uuid(value: strawberry.ID, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            [FieldError.for_parameter(name, "argument", "format", f"{value!r} is not an id")]
        ) from None


@strawberry.type(description="A course of the catalogue, keyed by provider and code.")
class Course:
    id: strawberry.ID
    provider: str
    code: str
    title_th: str
    title_en: str | None
    scope_th: str
    hours: float | None
    delivery_mode: str | None
    language: str
    url: str | None
    activity_ids: list[str]
    items: list[str]
    groups: list[str]
    methods: list[str]
    source: str | None
    active: bool
    revision: int

    @classmethod
    def of(cls, v: CourseView) -> Course:
        c = v.course
        return cls(
            id=strawberry.ID(str(c.id)),
            provider=v.provider_code,
            code=c.code,
            title_th=c.title_th,
            title_en=c.title_en,
            scope_th=c.scope_th,
            hours=None if c.hours is None else float(c.hours),
            delivery_mode=c.delivery_mode,
            language=c.language,
            url=c.url,
            activity_ids=list(v.activity_ids),
            items=list(c.items),
            groups=list(c.groups),
            methods=list(c.methods),
            source=c.source,
            active=c.active,
            revision=c.revision,
        )


@strawberry.type(description="A page of courses; pass `nextCursor` back as `cursor`.")
class CourseConnection:
    items: list[Course]
    next_cursor: str | None


@strawberry.type(description="Why a course is recommended: the gap, the item, the target.")
class CourseReason:
    gap: str
    gap_title_th: str
    item: str
    target: str
    priority: int


@strawberry.type
class RecommendedCourse:
    course: Course
    why: list[CourseReason]

    @classmethod
    def of(cls, r: Recommendation, found: Recommendations) -> RecommendedCourse:
        titles = {g.code: g.title for g in found.gaps}
        view = CourseView(found.courses[r.course.id], r.course.provider, [])
        return cls(
            course=Course.of(view),
            why=[
                CourseReason(
                    gap=x.gap,
                    gap_title_th=titles.get(x.gap, ""),
                    item=x.item,
                    target=x.target,
                    priority=x.rank + 1,
                )
                for x in r.reasons
            ],
        )


@strawberry.type
class CourseQuery:
    @strawberry.field(
        description="Courses I may see, by provider and code: `search` finds Thai titles and"
        " scope without word breaks; the other arguments filter."
    )
    async def courses(
        self,
        info: Info[Context, None],
        search: str | None = None,
        unit: str | None = None,
        group: str | None = None,
        method: str | None = None,
        provider: str | None = None,
        first: int = 50,
        cursor: str | None = None,
    ) -> CourseConnection:
        if not 1 <= first <= 1000:
            raise ValidationFailed(
                [FieldError.for_parameter("first", "argument", "range", "from 1 to 1000")]
            )
        found = await info.context.use_db(
            lambda s, p: catalogue.search_courses(
                s,
                p,
                q=search,
                unit=unit,
                group=group,
                method=method,
                provider=provider,
                limit=first,
                cursor=cursor,
            )
        )
        return CourseConnection(
            items=[Course.of(v) for v in found.items], next_cursor=found.next_cursor
        )

    @strawberry.field(
        description="Courses for the gaps of a person's latest finalised assessment (mine"
        " without `personId`), in its priority order, each with why."
    )
    async def recommended_courses(
        self, info: Info[Context, None], person_id: strawberry.ID | None = None
    ) -> list[RecommendedCourse]:
        if person_id is None:
            found = await info.context.use_db(recommendations.my_recommended_courses)
        else:
            pid = _uuid(person_id, "personId")
            found = await info.context.use_db(
                lambda s, p: recommendations.recommended_courses(s, p, pid)
            )
        return [RecommendedCourse.of(r, found) for r in found.items]


@strawberry.type
class CourseMutation:
    @strawberry.mutation(
        description="Draft a person's IDP1 from their finalised self-assessment and save it as a"
        " draft (person or first-line supervisor); it passes validation as drafted."
    )
    async def draft_plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        fiscal_year: int | None = None,
        assessment_id: strawberry.ID | None = None,
    ) -> Plan:
        pid = _uuid(person_id, "personId")
        aid = None if assessment_id is None else _uuid(assessment_id, "assessmentId")
        found = await info.context.use_db(
            lambda s, p: drafting.draft_plan(s, p, pid, fiscal_year=fiscal_year, assessment_id=aid)
        )
        return Plan.of(found)
