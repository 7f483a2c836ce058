"""Lifecycle and permissions: who may do what, in which state; revisions keep history."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

import pytest

from app.domain.errors import Conflict, Forbidden, ValidationFailed
from app.domain.planning import lifecycle as lc
from app.domain.planning.lifecycle import Action, Relation
from app.domain.planning.model import (
    DevelopmentPlan,
    ItemEvaluation,
    NextStep,
    Outcome,
    PlanState,
)
from app.domain.planning.validation import validate
from tests.unit.planning.builders import AT, CONTEXT, valid_plan, with_activity, with_item

LATER = AT + timedelta(days=1)
OWNER, SUPERVISOR = Relation.OWNER, Relation.SUPERVISOR


def submitted() -> DevelopmentPlan:
    return lc.submit(valid_plan(), OWNER, context=CONTEXT, at=AT)


def acknowledged() -> DevelopmentPlan:
    plan = lc.acknowledge(submitted(), OWNER, by="person-1", at=AT)
    return lc.acknowledge(plan, SUPERVISOR, by="boss-1", at=LATER)


def rows(plan: DevelopmentPlan, next_step: NextStep = NextStep.CONTINUE) -> list[ItemEvaluation]:
    return [
        ItemEvaluation(i.id, Outcome.AS_PLANNED, next_step, "ใช้ระบบได้คล่องขึ้น", "")
        for i in plan.items
    ]


def evaluated(next_step: NextStep = NextStep.CONTINUE) -> DevelopmentPlan:
    plan = lc.evaluate(acknowledged(), OWNER, rows(acknowledged(), next_step))
    plan = lc.acknowledge_evaluation(plan, SUPERVISOR, by="boss-1", at=LATER)
    return lc.acknowledge_evaluation(plan, OWNER, by="person-1", at=LATER)


@pytest.mark.parametrize("first", [OWNER, SUPERVISOR])
def test_both_acknowledgements_are_needed_before_the_plan_is_in_force(first: Relation) -> None:
    second = SUPERVISOR if first is OWNER else OWNER
    plan = lc.acknowledge(submitted(), first, by="x", at=AT)
    assert plan.state is PlanState.SUBMITTED
    assert not plan.in_force
    plan = lc.acknowledge(plan, second, by="y", at=LATER)
    assert plan.state is PlanState.ACKNOWLEDGED
    assert plan.in_force
    assert plan.owner_ack is not None
    assert plan.supervisor_ack is not None
    signed = {first: AT, second: LATER}
    assert (plan.owner_ack.at, plan.supervisor_ack.at) == (signed[OWNER], signed[SUPERVISOR])


@pytest.mark.parametrize("stranger", [Relation.OTHER, Relation.AGENCY_ADMIN])
def test_a_third_person_cannot_acknowledge(stranger: Relation) -> None:
    plan = lc.acknowledge(submitted(), OWNER, by="person-1", at=AT)
    with pytest.raises(Forbidden):
        lc.acknowledge(plan, stranger, by="someone-else", at=LATER)
    assert not plan.in_force


def test_nobody_signs_twice() -> None:
    plan = lc.acknowledge(submitted(), SUPERVISOR, by="boss-1", at=AT)
    with pytest.raises(Conflict):
        lc.acknowledge(plan, SUPERVISOR, by="boss-1", at=LATER)


def test_a_draft_cannot_be_acknowledged() -> None:
    with pytest.raises(Conflict):
        lc.acknowledge(valid_plan(), OWNER, by="person-1", at=AT)


def test_submission_is_refused_with_every_error_and_only_the_owner_submits() -> None:
    broken = with_item(
        valid_plan(person_name=""), 0, application="", evaluation_methods=frozenset()
    )
    with pytest.raises(ValidationFailed) as refused:
        lc.submit(broken, OWNER, context=CONTEXT, at=AT)
    assert [(e.rule, e.pointer) for e in refused.value.errors] == [
        ("E2", "/person_name"),
        ("E6", "/items/0/application"),
        ("E8", "/items/0/evaluation_methods"),
    ]
    assert refused.value.errors[0].extra["severity"] == "error"
    with pytest.raises(Forbidden):
        lc.submit(valid_plan(), SUPERVISOR, context=CONTEXT, at=AT)


def test_warnings_do_not_block_submission() -> None:
    plan = with_activity(valid_plan(), 0, 0, lecture_share=Decimal(10))
    assert [f.severity.value for f in validate(plan, CONTEXT)] == ["warning"]
    assert lc.submit(plan, OWNER, context=CONTEXT, at=AT).state is PlanState.SUBMITTED


def test_withdrawing_or_returning_a_submitted_plan_clears_its_signatures() -> None:
    half_signed = lc.acknowledge(submitted(), OWNER, by="person-1", at=AT)
    for back in (lc.withdraw(half_signed, OWNER), lc.return_for_changes(half_signed, SUPERVISOR)):
        assert back.state is PlanState.DRAFT
        assert (back.owner_ack, back.supervisor_ack, back.submitted_at) == (None, None, None)
    with pytest.raises(Forbidden):
        lc.withdraw(half_signed, SUPERVISOR)
    with pytest.raises(Forbidden):
        lc.return_for_changes(half_signed, OWNER)


def test_a_submitted_plan_cannot_be_edited_until_taken_back() -> None:
    with pytest.raises(Conflict):
        lc.change(submitted(), OWNER, at=LATER, unit="กองใหม่")


def test_editing_a_draft_changes_it_in_place() -> None:
    draft = valid_plan()
    changed = lc.change(draft, SUPERVISOR, at=LATER, unit="กองคลัง")
    assert (changed.revision, changed.unit, changed.items) == (1, "กองคลัง", draft.items)


def test_changing_an_acknowledged_plan_makes_a_new_revision_and_leaves_the_old_unchanged() -> None:
    agreed = acknowledged()
    snapshot = copy.deepcopy(agreed)
    changed = lc.change(agreed, OWNER, at=LATER, items=agreed.items[:3])
    assert agreed == snapshot
    assert agreed.in_force
    assert (changed.revision, changed.revised_from, changed.state) == (2, 1, PlanState.DRAFT)
    assert (changed.owner_ack, changed.supervisor_ack, changed.created_at) == (None, None, LATER)
    assert len(changed.items) == 3
    assert changed.id == agreed.id


def test_revise_in_idp2_yields_a_new_revision_and_the_old_one_stays_readable() -> None:
    old = evaluated(NextStep.REVISE)
    snapshot = copy.deepcopy(old)
    new = lc.revise(old, SUPERVISOR, at=LATER)
    assert old == snapshot
    assert old.state is PlanState.EVALUATED
    assert old.evaluation is not None
    assert [r.next_step for r in old.evaluation.items] == [NextStep.REVISE] * 4
    assert (new.revision, new.revised_from, new.state, new.evaluation) == (
        2,
        1,
        PlanState.DRAFT,
        None,
    )
    assert new.items == old.items  # prefilled from the evaluated revision


def test_an_evaluation_that_continues_every_item_opens_no_revision() -> None:
    with pytest.raises(Conflict):
        lc.revise(evaluated(NextStep.CONTINUE), OWNER, at=LATER)


def test_a_plan_is_evaluated_only_when_both_sign_an_evaluation_without_errors() -> None:
    plan = lc.start(acknowledged(), OWNER)
    incomplete = [ItemEvaluation(plan.items[0].id, Outcome.AS_PLANNED, NextStep.CONTINUE, "ok")]
    plan = lc.evaluate(plan, SUPERVISOR, incomplete)
    with pytest.raises(ValidationFailed) as refused:
        lc.acknowledge_evaluation(plan, OWNER, by="person-1", at=LATER)
    assert {e.rule for e in refused.value.errors} == {"F2"}
    plan = lc.evaluate(plan, SUPERVISOR, rows(plan))
    plan = lc.acknowledge_evaluation(plan, OWNER, by="person-1", at=LATER)
    assert plan.state is PlanState.IN_PROGRESS
    with pytest.raises(Forbidden):
        lc.acknowledge_evaluation(plan, Relation.OTHER, by="x", at=LATER)
    rewritten = lc.evaluate(plan, SUPERVISOR, rows(plan, NextStep.REVISE))
    assert rewritten.evaluation is not None
    assert rewritten.evaluation.owner_ack is None  # a rewrite needs fresh signatures
    plan = lc.acknowledge_evaluation(plan, SUPERVISOR, by="boss-1", at=LATER)
    assert plan.state is PlanState.EVALUATED
    assert not plan.in_force


def test_strangers_may_do_nothing_and_agency_administrators_only_read() -> None:
    for state in PlanState:
        assert lc.allowed_actions(Relation.OTHER, state) == frozenset()
        assert lc.allowed_actions(Relation.AGENCY_ADMIN, state) == {Action.VIEW}


def test_only_viewing_and_revising_remain_once_evaluated() -> None:
    for relation in (OWNER, SUPERVISOR):
        assert lc.allowed_actions(relation, PlanState.EVALUATED) == {Action.VIEW, Action.REVISE}


def test_a_relation_error_is_forbidden_and_a_state_error_is_a_conflict() -> None:
    assert isinstance(lc.permission(Action.SUBMIT, SUPERVISOR, PlanState.DRAFT), Forbidden)
    assert isinstance(lc.permission(Action.SUBMIT, OWNER, PlanState.SUBMITTED), Conflict)
    assert lc.permission(Action.SUBMIT, OWNER, PlanState.DRAFT) is None
