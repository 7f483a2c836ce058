"""Staff-group assignment per person per fiscal year, and who must agree (003:657-659).

Rule B3: a person's group, and whether the group's expected role applies in whole or in part, is
agreed with the *first-line supervisor*. Rule B4: work spanning more than one group also needs the
approval of the supervisor *one level higher*. An assignment is pending until every required step
is taken, approved after the last one, rejected as soon as a step is refused; only an approved
assignment is effective.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.errors import Conflict, FieldError, ValidationFailed
from app.domain.roles import StaffGroup


class GroupScope(StrEnum):
    WHOLE = "whole"  # ทั้งหมด
    PARTIAL = "partial"  # บางส่วน


class AssignmentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalStep(StrEnum):
    SUPERVISOR = "supervisor"  # ผู้บังคับบัญชาชั้นต้น (B3)
    SECOND_LEVEL = "second_level_supervisor"  # ผู้บังคับบัญชาเหนือขึ้นไปอีกระดับหนึ่ง (B4)


@dataclass(frozen=True, slots=True)
class GroupShare:
    group: StaffGroup
    scope: GroupScope = GroupScope.WHOLE


def validate_groups(groups: Sequence[GroupShare], pointer: str = "/groups") -> None:
    """One to six distinct groups."""
    errors: list[FieldError] = []
    if not groups:
        errors.append(FieldError(pointer, "required", "name at least one staff group"))
    seen: set[StaffGroup] = set()
    for i, share in enumerate(groups):
        if share.group in seen:
            errors.append(
                FieldError(f"{pointer}/{i}/group", "duplicate", f"{share.group} is named twice")
            )
        seen.add(share.group)
    if errors:
        raise ValidationFailed(errors)


def required_steps(groups: Sequence[GroupShare]) -> tuple[ApprovalStep, ...]:
    if len(groups) > 1:
        return (ApprovalStep.SUPERVISOR, ApprovalStep.SECOND_LEVEL)
    return (ApprovalStep.SUPERVISOR,)


@dataclass(frozen=True, slots=True)
class Workflow:
    """Where an assignment stands: the steps it needs and the ones already taken."""

    groups: tuple[GroupShare, ...]
    done: tuple[ApprovalStep, ...] = ()
    state: AssignmentState = AssignmentState.PENDING

    @property
    def steps(self) -> tuple[ApprovalStep, ...]:
        return required_steps(self.groups)

    @property
    def awaiting(self) -> ApprovalStep | None:
        if self.state is not AssignmentState.PENDING:
            return None
        for step in self.steps:
            if step not in self.done:
                return step
        return None

    @property
    def is_effective(self) -> bool:
        return self.state is AssignmentState.APPROVED

    def approve(self, step: ApprovalStep) -> Workflow:
        self._expect(step)
        done = (*self.done, step)
        finished = all(s in done for s in self.steps)
        return replace(
            self, done=done, state=AssignmentState.APPROVED if finished else AssignmentState.PENDING
        )

    def reject(self, step: ApprovalStep) -> Workflow:
        self._expect(step)
        return replace(self, state=AssignmentState.REJECTED)

    def _expect(self, step: ApprovalStep) -> None:
        if self.state is not AssignmentState.PENDING:
            raise Conflict(f"the assignment is already {self.state.value}", state=self.state.value)
        if self.awaiting is not step:
            raise Conflict(
                f"the assignment awaits the {self.awaiting} step, not {step}",
                awaiting=self.awaiting.value if self.awaiting else None,
            )


def start(groups: Sequence[GroupShare], *, agreed_at_proposal: bool) -> Workflow:
    """A new proposal. When the first-line supervisor (or whoever stands in for a missing one)
    proposes it, their agreement is given by proposing."""
    validate_groups(groups)
    workflow = Workflow(groups=tuple(groups))
    return workflow.approve(ApprovalStep.SUPERVISOR) if agreed_at_proposal else workflow
