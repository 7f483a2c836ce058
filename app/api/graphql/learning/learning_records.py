"""A person's learning records in GraphQL: ``myLearningRecords`` and the dashboard's summary."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.db.repositories.learning.learning_records import RecordRow, Totals
from app.domain.errors import FieldError, ValidationFailed
from app.services.learning import learning_records


@strawberry.type(
    description="What a person completed, passed or failed, as an e-learning provider reported"
    " it (one xAPI statement)."
)
class LearningRecord:
    statement_id: strawberry.ID
    course_id: strawberry.ID | None
    course: str | None = strawberry.field(description="`provider/code` of the course")
    course_title: str | None
    activity_id: str
    verb: str
    outcome: str = strawberry.field(description="completed, passed, failed or other")
    hours: float | None
    bucket: int | None = strawberry.field(description="70, 20 or 10")
    on: date
    evidence_on: list[str] = strawberry.field(description="framework items it is evidence on")
    plan_id: strawberry.ID | None
    plan_activity_id: str | None
    voided: bool
    recorded_at: datetime

    @classmethod
    def of(cls, r: RecordRow) -> LearningRecord:
        return cls(
            statement_id=strawberry.ID(str(r.statement_id)),
            course_id=None if r.course_id is None else strawberry.ID(str(r.course_id)),
            course=f"{r.provider_code}/{r.course_code}" if r.course_code else None,
            course_title=r.course_title,
            activity_id=r.activity_id,
            verb=r.verb,
            outcome=r.outcome,
            hours=None if r.hours is None else float(r.hours),
            bucket=r.bucket,
            on=r.on,
            evidence_on=list(r.items),
            plan_id=None if r.plan_id is None else strawberry.ID(str(r.plan_id)),
            plan_activity_id=r.plan_activity,
            voided=r.voided,
            recorded_at=r.recorded_at,
        )


@strawberry.type(description="A page of learning records; pass `nextCursor` back as `cursor`.")
class LearningRecordConnection:
    items: list[LearningRecord]
    next_cursor: str | None


@strawberry.type(description="Completions and learning hours in a fiscal year (not voided).")
class LearningSummary:
    completions: int = strawberry.field(description="completed or passed")
    failed: int
    learning_hours: float = strawberry.field(description="hours of the completions")
    towards_plan: int = strawberry.field(description="completions counted on a plan activity")

    @classmethod
    def of(cls, t: Totals) -> LearningSummary:
        return cls(
            completions=t.completions,
            failed=t.failed,
            learning_hours=float(t.hours),
            towards_plan=t.towards_plan,
        )


@strawberry.type
class LearningRecordQuery:
    @strawberry.field(description="My learning records, newest first (voided ones marked).")
    async def my_learning_records(
        self, info: Info[Context, None], first: int = 50, cursor: str | None = None
    ) -> LearningRecordConnection:
        if not 1 <= first <= 1000:
            raise ValidationFailed(
                [FieldError.for_parameter("first", "argument", "range", "from 1 to 1000")]
            )
        found = await info.context.use_db(
            lambda s, p: learning_records.my_records(s, p, limit=first, cursor=cursor)
        )
        return LearningRecordConnection(
            items=[LearningRecord.of(r) for r in found.items], next_cursor=found.next_cursor
        )
