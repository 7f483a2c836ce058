from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import Conflict, ValidationFailed
from app.domain.people.group_assignment import (
    ApprovalStep,
    AssignmentState,
    GroupShare,
    start,
)
from app.domain.roles import MaturityStage, StaffGroup

group_sets = st.lists(st.sampled_from(list(StaffGroup)), min_size=1, max_size=6, unique=True)
actions = st.lists(
    st.tuples(st.sampled_from(["approve", "reject"]), st.sampled_from(list(ApprovalStep))),
    max_size=5,
)


@given(group_sets, st.booleans(), actions)
def test_an_assignment_is_in_force_only_after_every_required_step(
    groups: list[StaffGroup], agreed: bool, steps: list[tuple[str, ApprovalStep]]
) -> None:
    workflow = start([GroupShare(g) for g in groups], agreed_at_proposal=agreed)
    taken = {ApprovalStep.SUPERVISOR} if agreed else set()
    rejected = False
    for action, step in steps:
        try:
            workflow = workflow.approve(step) if action == "approve" else workflow.reject(step)
        except Conflict:
            continue
        if action == "reject":
            rejected = True
        else:
            taken.add(step)
    needed = {ApprovalStep.SUPERVISOR} | ({ApprovalStep.SECOND_LEVEL} if len(groups) > 1 else set())
    assert workflow.is_effective == (not rejected and needed <= taken)
    if rejected:
        assert workflow.state is AssignmentState.REJECTED


def test_two_groups_wait_for_the_second_level_after_the_first_line_agrees() -> None:
    workflow = start(
        [GroupShare(StaffGroup.ACADEMIC), GroupShare(StaffGroup.SERVICE)], agreed_at_proposal=False
    )
    assert workflow.awaiting is ApprovalStep.SUPERVISOR
    with pytest.raises(Conflict):
        workflow.approve(ApprovalStep.SECOND_LEVEL)  # not before the first-line supervisor
    workflow = workflow.approve(ApprovalStep.SUPERVISOR)
    assert (workflow.state, workflow.awaiting) == (
        AssignmentState.PENDING,
        ApprovalStep.SECOND_LEVEL,
    )
    assert workflow.approve(ApprovalStep.SECOND_LEVEL).is_effective


def test_no_groups_or_a_repeated_group_is_invalid() -> None:
    with pytest.raises(ValidationFailed):
        start([], agreed_at_proposal=False)
    with pytest.raises(ValidationFailed) as failed:
        start(
            [GroupShare(StaffGroup.OTHERS), GroupShare(StaffGroup.OTHERS)], agreed_at_proposal=False
        )
    assert failed.value.errors[0].pointer == "/groups/1/group"


def test_the_future_stage_is_the_next_and_there_is_none_after_mature() -> None:
    assert MaturityStage.EARLY.next() is MaturityStage.DEVELOPING
    assert MaturityStage.DEVELOPING.next() is MaturityStage.MATURE
    assert MaturityStage.MATURE.next() is None
    assert len(StaffGroup) == 6
