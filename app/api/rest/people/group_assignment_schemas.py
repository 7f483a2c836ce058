"""REST shapes of staff-group assignments (003:657-659) and their bulk proposal."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.api.rest.people.people_schemas import Counts, RecordOutcome
from app.api.rest.schemas import ApiModel, FiscalYearIn, Page
from app.domain.people.group_assignment import (
    ITEM_CODE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ApprovalStep,
    AssignmentState,
    GroupScope,
    GroupShare,
)
from app.domain.roles import StaffGroup
from app.services.people.group_assignments import AssignmentView

ItemCode = Field(max_length=ITEM_CODE_MAX_LENGTH)


class GroupShareIn(ApiModel):
    group: StaffGroup
    scope: GroupScope = Field(
        default=GroupScope.WHOLE,
        description="`whole`: the group's whole expected role; `partial`: only `items` (003:657)",
    )
    items: list[Annotated[str, ItemCode]] | None = Field(
        default=None,
        max_length=200,
        examples=[["DS100", "K-R3", "E-R2"]],
        description="For `partial` only: the codes (units, knowledge, experience, attributes, "
        "competencies) chosen from the group's profile at the agency's stage or the next one. "
        "Foundational knowledge and experience (A8), DLit and DG units (A9) and the attributes "
        "(A6) always apply and need not be named.",
    )

    def share(self) -> GroupShare:
        return GroupShare(self.group, self.scope, None if self.items is None else tuple(self.items))


class GroupAssignmentIn(ApiModel):
    """A proposal of a person's staff group(s) for a fiscal year."""

    fiscal_year: FiscalYearIn
    groups: list[GroupShareIn] = Field(min_length=1, max_length=6)
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)


class GroupAssignmentRecordIn(GroupAssignmentIn):
    """One record of a bulk proposal: the person by their external id in the source HRIS."""

    external_id: str = Field(max_length=80, examples=["6400123"])


class DecisionIn(ApiModel):
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)


class GroupShareOut(ApiModel):
    group: StaffGroup
    scope: GroupScope
    items: list[str] | None = Field(
        description="A partial group's chosen items; null for a whole group"
    )


class GroupAssignmentOut(ApiModel):
    id: uuid.UUID
    person_id: uuid.UUID
    external_id: str = Field(description="The person's external id in the source HRIS")
    source: str = Field(description="The agency whose HRIS owns the external id")
    fiscal_year: int
    groups: list[GroupShareOut]
    state: AssignmentState
    awaiting: ApprovalStep | None = Field(description="The step the assignment waits for")
    effective: bool = Field(description="Only an approved assignment is in force")
    note: str | None
    proposed_by: str
    proposed_at: datetime
    agreed_by: str | None = Field(description="The first-line supervisor (B3)")
    agreed_at: datetime | None
    approved_by: str | None = Field(description="The supervisor one level higher (B4)")
    approved_at: datetime | None
    rejected_by: str | None
    rejected_at: datetime | None
    rejection_note: str | None
    updated_at: datetime

    @classmethod
    def of(cls, v: AssignmentView) -> GroupAssignmentOut:
        a = v.assignment
        return cls(
            id=a.id,
            person_id=a.person_id,
            external_id=v.external_id,
            source=v.source,
            fiscal_year=a.fiscal_year,
            groups=[
                GroupShareOut(
                    group=s.group,
                    scope=s.scope,
                    items=None if s.items is None else list(s.items),
                )
                for s in (GroupShare.of_json(g) for g in a.groups)
            ],
            state=AssignmentState(a.state),
            awaiting=ApprovalStep(a.awaiting) if a.awaiting else None,
            effective=a.state == AssignmentState.APPROVED.value,
            note=a.note,
            proposed_by=a.proposed_by,
            proposed_at=a.proposed_at,
            agreed_by=a.agreed_by,
            agreed_at=a.agreed_at,
            approved_by=a.approved_by,
            approved_at=a.approved_at,
            rejected_by=a.rejected_by,
            rejected_at=a.rejected_at,
            rejection_note=a.rejection_note,
            updated_at=a.updated_at,
        )


class GroupAssignmentChanges(Page[GroupAssignmentOut]):
    """A page of the staff-group assignments feed (delta sync)."""

    poll_cursor: str = Field(
        description="Where this page ends: pass it back as `cursor` later to get only what "
        "changed since (on the last page, keep it for the next poll)"
    )


class GroupAssignmentPage(Page[GroupAssignmentOut]):
    """A person's staff-group assignments, newest first."""


class GroupAssignmentOutcome(RecordOutcome):
    external_id: str | None


class GroupAssignmentSyncResult(ApiModel):
    dry_run: bool
    counts: Counts
    results: list[GroupAssignmentOutcome]
