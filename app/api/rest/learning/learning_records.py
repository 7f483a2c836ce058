"""A person's learning records: what they completed, passed or failed, as e-learning providers
reported it through xAPI (docs/learning.md "Learning records")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import Field

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, Limit
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import ApiModel, Page
from app.db.repositories.learning.learning_records import RecordRow
from app.domain.dates import ThaiDate
from app.services.learning import learning_records

router = APIRouter(tags=["learning records"], route_class=InputRoute)


class LearningRecordOut(ApiModel):
    statement_id: uuid.UUID = Field(description="The xAPI statement that reported it (its key)")
    person_id: uuid.UUID
    course_id: uuid.UUID | None = Field(description="The catalogue course, if the activity is one")
    course: str | None = Field(description="`provider/code` of the course")
    course_title: str | None
    activity_id: str = Field(description="The xAPI activity id (IRI)")
    verb: str = Field(description="The xAPI verb id")
    outcome: Literal["completed", "passed", "failed", "other"]
    hours: float | None = Field(
        description="From the statement's `result.duration`, else the course's hours"
    )
    bucket: int | None = Field(description="70, 20 or 10: the bucket the hours count in")
    on: ThaiDate = Field(description="The day it happened (Bangkok)")
    evidence_on: list[str] = Field(
        description="Framework item codes it is evidence on (completions and passes only)"
    )
    plan_id: uuid.UUID | None = Field(description="The plan it counted towards, if any")
    plan_activity_id: str | None = Field(description="The plan activity it counted towards")
    voided: bool = Field(description="Voided by the provider: it counts no more")
    recorded_at: datetime

    @classmethod
    def of(cls, r: RecordRow) -> LearningRecordOut:
        return cls(
            statement_id=r.statement_id,
            person_id=r.person_id,
            course_id=r.course_id,
            course=f"{r.provider_code}/{r.course_code}" if r.course_code else None,
            course_title=r.course_title,
            activity_id=r.activity_id,
            verb=r.verb,
            outcome=r.outcome,
            hours=None if r.hours is None else float(r.hours),
            bucket=r.bucket,
            on=r.on,
            evidence_on=list(r.items),
            plan_id=r.plan_id,
            plan_activity_id=r.plan_activity,
            voided=r.voided,
            recorded_at=r.recorded_at,
        )


class LearningRecordPage(Page[LearningRecordOut]):
    pass


@router.get(
    "/people/{person_id}/learning-records",
    response_model=LearningRecordPage,
    responses=problem_responses(401, 403, 404, 422),
)
async def person_learning_records(
    person_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> LearningRecordPage:
    """The person's learning records, newest first (voided ones included and marked), for
    whoever may read the person."""
    found = await learning_records.person_records(
        session, principal, person_id, limit=limit, cursor=cursor
    )
    return LearningRecordPage(
        items=[LearningRecordOut.of(r) for r in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/me/learning-records",
    response_model=LearningRecordPage,
    responses=problem_responses(401, 404, 422),
)
async def my_learning_records(
    principal: CurrentPrincipal, session: DbSession, limit: Limit = 50, cursor: Cursor = None
) -> LearningRecordPage:
    """The caller's own learning records (their token is linked to a person)."""
    found = await learning_records.my_records(session, principal, limit=limit, cursor=cursor)
    return LearningRecordPage(
        items=[LearningRecordOut.of(r) for r in found.items], next_cursor=found.next_cursor
    )
