"""Schemas of the course catalogue, recommendations and drafted plans."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field

from app.api.rest.schemas import ApiModel, Page, json_number
from app.db.models import Course, CourseRevision
from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.learning.recommendations import Recommendation
from app.services.learning.catalogue import CourseView, ProviderView
from app.services.learning.recommendations import Recommendations

DeliveryModeName = Literal["online", "classroom", "blended", "workplace", "self_study"]
StaffGroupName = Literal["executive", "management", "academic", "service", "technologist", "others"]


class CourseProviderIn(ApiModel):
    name_th: str = Field(min_length=1, max_length=300)
    name_en: str | None = Field(None, max_length=300)
    kind: Literal["national", "ministry", "agency"]
    agency: str | None = Field(
        None, description="the owning agency's code (ministry or agency providers)"
    )
    home_pages: list[str] = Field(
        default_factory=list,
        description="xAPI `account.homePage` values its learning platforms send",
    )
    source: str | None = Field(None, max_length=200, description="where it comes from")


class CourseProviderOut(ApiModel):
    code: str
    name_th: str
    name_en: str | None
    kind: str
    agency: str | None
    home_pages: list[str]
    source: str | None
    version: int

    @classmethod
    def of(cls, v: ProviderView) -> CourseProviderOut:
        p = v.provider
        return cls(
            code=p.code,
            name_th=p.name_th,
            name_en=p.name_en,
            kind=p.kind,
            agency=v.agency_code,
            home_pages=list(p.home_pages),
            source=p.source,
            version=p.version,
        )


class CourseProviderPage(Page[CourseProviderOut]):
    pass


class CourseFramework(ApiModel):
    key: str = Field("ocsc", description="framework key")
    version: str | None = Field(None, description="version label; default: the published one")


class CourseIn(ApiModel):
    code: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$",
        description="stable within the provider",
    )
    title_th: str = Field(min_length=1, max_length=500)
    title_en: str | None = Field(None, max_length=500)
    scope_th: str = Field("", max_length=4000, description="content scope")
    hours: Annotated[Decimal, json_number(exclusiveMinimum=0, maximum=8784)] | None = Field(
        None, gt=0, le=8784
    )
    delivery_mode: DeliveryModeName | None = None
    language: str = Field("th", max_length=35, description="a language tag")
    url: str | None = Field(None, max_length=2000)
    activity_ids: list[str] = Field(
        default_factory=list, max_length=200, description="xAPI activity ids (IRIs) of the course"
    )
    framework: CourseFramework | None = None
    items: list[str] = Field(
        default_factory=list, max_length=200, description="framework item codes (units, knowledge)"
    )
    groups: list[StaffGroupName] = Field(
        default_factory=list, description="staff groups it is for; none: every group"
    )
    methods: list[str] = Field(
        min_length=1, description="development methods it serves (GET /api/v1/planning/methods)"
    )
    source: str | None = Field(None, max_length=200, description="e.g. a seed line 004:1155")
    active: bool = True


class CourseOut(ApiModel):
    id: uuid.UUID
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
    framework: CourseFramework
    items: list[str]
    groups: list[str]
    methods: list[str]
    buckets: list[int] = Field(
        description="the 70:20:10 buckets its methods count in (seed policy)"
    )
    source: str | None
    active: bool
    revision: int
    updated_at: datetime

    @classmethod
    def of(cls, v: CourseView) -> CourseOut:
        from app.domain.planning.methods import method_by_code

        c: Course = v.course
        doc = c.document
        buckets = sorted(
            {int(m.bucket) for code in c.methods if (m := method_by_code(code)) is not None},
            reverse=True,
        )
        return cls(
            id=c.id,
            provider=v.provider_code,
            code=c.code,
            title_th=c.title_th,
            title_en=c.title_en,
            scope_th=c.scope_th,
            hours=None if c.hours is None else float(c.hours),
            delivery_mode=c.delivery_mode,
            language=c.language,
            url=c.url,
            activity_ids=v.activity_ids,
            framework=CourseFramework.model_validate(doc.get("framework") or {}),
            items=list(c.items),
            groups=list(c.groups),
            methods=list(c.methods),
            buckets=buckets,
            source=c.source,
            active=c.active,
            revision=c.revision,
            updated_at=c.updated_at,
        )


class CoursePage(Page[CourseOut]):
    pass


class CourseRevisionOut(ApiModel):
    revision: int
    recorded_at: datetime
    recorded_by: str
    action: str
    document: dict[str, Any]

    @classmethod
    def of(cls, r: CourseRevision) -> CourseRevisionOut:
        return cls(
            revision=r.revision,
            recorded_at=r.recorded_at,
            recorded_by=r.recorded_by,
            action=r.action,
            document=r.document,
        )


class CourseRevisionPage(Page[CourseRevisionOut]):
    pass


class CourseRecordProblem(ApiModel):
    pointer: str | None = None
    rule: str
    detail: str


class CourseOutcome(ApiModel):
    index: int
    code: str | None
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    id: uuid.UUID | None = Field(
        description="None for a rejected record and in a dry run's creations"
    )
    errors: list[CourseRecordProblem] | None = None


class CourseSyncCounts(ApiModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class CourseSyncResult(ApiModel):
    dry_run: bool
    counts: CourseSyncCounts
    results: list[CourseOutcome]


class RecommendationReason(ApiModel):
    gap: str = Field(description="the requirement not met (a unit or an item code)")
    gap_title_th: str
    item: str = Field(description="the framework item the course is mapped to")
    target: Literal["present", "future"]
    priority: int = Field(description="the gap's place in the assessment's priority order, 1 first")


class RecommendedCourse(ApiModel):
    course: CourseOut
    why: list[RecommendationReason]


class RecommendedCoursePage(Page[RecommendedCourse]):
    person_id: uuid.UUID
    assessment_id: uuid.UUID | None = Field(description="the latest finalised assessment")
    fiscal_year: int | None
    groups: list[str]

    @classmethod
    def of(cls, found: Recommendations) -> RecommendedCoursePage:
        titles = {g.code: g.title for g in found.gaps}
        return cls(
            items=[_recommended(r, found, titles) for r in found.items],
            next_cursor=None,
            person_id=found.person.id,
            assessment_id=found.assessment.id if found.assessment else None,
            fiscal_year=found.assessment.fiscal_year if found.assessment else None,
            groups=sorted(found.groups),
        )


def _recommended(
    r: Recommendation, found: Recommendations, titles: dict[str, str]
) -> RecommendedCourse:
    course = found.courses[r.course.id]
    view = CourseView(course, r.course.provider, [])
    return RecommendedCourse(
        course=CourseOut.of(view),
        why=[
            RecommendationReason(
                gap=x.gap,
                gap_title_th=titles.get(x.gap, ""),
                item=x.item,
                target="present" if x.target == "present" else "future",
                priority=x.rank + 1,
            )
            for x in r.reasons
        ],
    )


class DraftPlanIn(ApiModel):
    fiscal_year: int | None = Field(
        None, ge=MIN_BE, le=MAX_BE, description="Buddhist Era; default: the current fiscal year"
    )
    assessment_id: uuid.UUID | None = Field(
        None, description="a finalised self-assessment; default: the latest"
    )


class DraftFindingOut(ApiModel):
    rule: str
    severity: Literal["error", "warning"]
    pointer: str
    message_en: str
    message_th: str


class DraftedPlanOut(ApiModel):
    plan_id: str
    person_id: str
    fiscal_year: int
    revision: int
    state: str
    baseline_assessment_id: str | None
    items: list[dict[str, Any]] = Field(
        description="the plan's items, as GET /people/{id}/plans/{plan_id} answers them"
    )
    findings: list[DraftFindingOut] | None = Field(
        description="what the plan rules say of the draft (no error; warnings may remain)"
    )
