"""The plan's lifecycle and who may do what, as pure functions.

draft -> submitted -> acknowledged -> in_progress -> evaluated. The person (owner) and the
first-line supervisor each acknowledge, with the time, as the form's signatures (E9,
004:1652-1655); the plan is in force only when both have. A change to an acknowledged plan is a
new revision; the old one is never modified (each function returns a new value). The IDP2
evaluation is written, acknowledged by both (F5), and "revise the plan" opens a new revision
prefilled from the evaluated one (F6, 004:956).

Authorisation is a function of the actor's relation to the plan and the plan's state: a wrong
relation is ``Forbidden``, a wrong state ``Conflict``. Services work out the relation (the
strongest that applies: owner, then first-line supervisor, then agency administrator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from app.domain.errors import Conflict, Forbidden, ThaksaError
from app.domain.fiscal import FiscalYear
from app.domain.planning.evaluation import validate_evaluation
from app.domain.planning.findings import raise_if_blocking
from app.domain.planning.model import (
    Acknowledgement,
    DevelopmentPlan,
    ItemEvaluation,
    PlanEvaluation,
    PlanItem,
    PlanState,
)
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy
from app.domain.planning.validation import PlanContext, validate


class Relation(StrEnum):
    OWNER = "owner"  # the person the plan develops
    SUPERVISOR = "supervisor"  # their first-line supervisor (003:657; 004:964)
    AGENCY_ADMIN = "agency_admin"  # HR of the person's agency: reads, never signs
    OTHER = "other"


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # a draft in place; an acknowledged plan as a new revision
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # the owner takes a submitted plan back to draft
    RETURN = "return"  # the supervisor sends a submitted plan back for changes
    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RECORD_PROGRESS = "record_progress"
    EVALUATE = "evaluate"  # write the IDP2 evaluation
    ACKNOWLEDGE_EVALUATION = "acknowledge_evaluation"
    REVISE = "revise"


S = PlanState
_PARTIES = frozenset({Relation.OWNER, Relation.SUPERVISOR})
_RUNNING = frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS})

# action -> (relations allowed, states allowed)
RULES: dict[Action, tuple[frozenset[Relation], frozenset[PlanState]]] = {
    Action.VIEW: (_PARTIES | {Relation.AGENCY_ADMIN}, frozenset(S)),
    Action.EDIT: (_PARTIES, _RUNNING | {S.DRAFT}),
    Action.SUBMIT: (frozenset({Relation.OWNER}), frozenset({S.DRAFT})),
    Action.WITHDRAW: (frozenset({Relation.OWNER}), frozenset({S.SUBMITTED})),
    Action.RETURN: (frozenset({Relation.SUPERVISOR}), frozenset({S.SUBMITTED})),
    Action.ACKNOWLEDGE: (_PARTIES, frozenset({S.SUBMITTED})),
    Action.START: (_PARTIES, frozenset({S.ACKNOWLEDGED})),
    Action.RECORD_PROGRESS: (_PARTIES, _RUNNING),
    Action.EVALUATE: (_PARTIES, _RUNNING),
    Action.ACKNOWLEDGE_EVALUATION: (_PARTIES, _RUNNING),
    Action.REVISE: (_PARTIES, _RUNNING | {S.EVALUATED}),
}


def permission(action: Action, relation: Relation, state: PlanState) -> ThaksaError | None:
    """``None`` when ``relation`` may do ``action`` on a plan in ``state``, else the error."""
    relations, states = RULES[action]
    if relation not in relations:
        who = " or ".join(sorted(r.value for r in relations))
        return Forbidden(
            f"only the plan's {who} may {action.value.replace('_', ' ')} it",
            action=action.value,
            relation=relation.value,
        )
    if state not in states:
        allowed = ", ".join(s.value for s in S if s in states)
        return Conflict(
            f"{action.value.replace('_', ' ')} is not possible while the plan is"
            f" {state.value.replace('_', ' ')} (only when {allowed})",
            action=action.value,
            state=state.value,
        )
    return None


def require(action: Action, relation: Relation, state: PlanState) -> None:
    error = permission(action, relation, state)
    if error is not None:
        raise error


def allowed_actions(relation: Relation, state: PlanState) -> frozenset[Action]:
    return frozenset(a for a in Action if permission(a, relation, state) is None)


def new_plan(
    *,
    plan_id: str,
    person_id: str,
    fiscal_year: FiscalYear,
    person_name: str,
    position: str,
    unit: str,
    baseline_assessment_id: str | None,
    items: Sequence[PlanItem] = (),
    at: datetime,
) -> DevelopmentPlan:
    return DevelopmentPlan(
        id=plan_id,
        person_id=person_id,
        fiscal_year=fiscal_year,
        person_name=person_name,
        position=position,
        unit=unit,
        baseline_assessment_id=baseline_assessment_id,
        items=tuple(items),
        created_at=at,
    )


def change(
    plan: DevelopmentPlan,
    relation: Relation,
    *,
    at: datetime,
    items: Sequence[PlanItem] | None = None,
    person_name: str | None = None,
    position: str | None = None,
    unit: str | None = None,
    baseline_assessment_id: str | None = None,
) -> DevelopmentPlan:
    """The plan with the changes: in place for a draft, else a new revision (old unchanged)."""
    require(Action.EDIT, relation, plan.state)
    base = plan if plan.state is S.DRAFT else revise(plan, relation, at=at)
    return replace(
        base,
        items=base.items if items is None else tuple(items),
        person_name=base.person_name if person_name is None else person_name,
        position=base.position if position is None else position,
        unit=base.unit if unit is None else unit,
        baseline_assessment_id=baseline_assessment_id or base.baseline_assessment_id,
    )


def submit(
    plan: DevelopmentPlan,
    relation: Relation,
    *,
    context: PlanContext,
    policy: PlanningPolicy = SEED_POLICY,
    at: datetime,
) -> DevelopmentPlan:
    """Submit for acknowledgement; refused with every error finding while any remains."""
    require(Action.SUBMIT, relation, plan.state)
    raise_if_blocking(validate(plan, context, policy), "the plan has errors to fix first")
    return replace(plan, state=S.SUBMITTED, submitted_at=at)


def withdraw(plan: DevelopmentPlan, relation: Relation) -> DevelopmentPlan:
    require(Action.WITHDRAW, relation, plan.state)
    return _back_to_draft(plan)


def return_for_changes(plan: DevelopmentPlan, relation: Relation) -> DevelopmentPlan:
    require(Action.RETURN, relation, plan.state)
    return _back_to_draft(plan)


def _back_to_draft(plan: DevelopmentPlan) -> DevelopmentPlan:
    return replace(plan, state=S.DRAFT, submitted_at=None, owner_ack=None, supervisor_ack=None)


def acknowledge(
    plan: DevelopmentPlan, relation: Relation, *, by: str, at: datetime
) -> DevelopmentPlan:
    """Sign as the person or as the supervisor; with both signatures the plan is in force."""
    require(Action.ACKNOWLEDGE, relation, plan.state)
    signature = Acknowledgement(by, at)
    if relation is Relation.OWNER:
        if plan.owner_ack is not None:
            raise Conflict("the person has already acknowledged this plan")
        plan = replace(plan, owner_ack=signature)
    else:
        if plan.supervisor_ack is not None:
            raise Conflict("the supervisor has already acknowledged this plan")
        plan = replace(plan, supervisor_ack=signature)
    if plan.owner_ack is not None and plan.supervisor_ack is not None:
        plan = replace(plan, state=S.ACKNOWLEDGED)
    return plan


def start(plan: DevelopmentPlan, relation: Relation) -> DevelopmentPlan:
    require(Action.START, relation, plan.state)
    return replace(plan, state=S.IN_PROGRESS)


def evaluate(
    plan: DevelopmentPlan, relation: Relation, rows: Sequence[ItemEvaluation]
) -> DevelopmentPlan:
    """Write (or rewrite) the IDP2 evaluation; a rewrite needs both signatures again."""
    require(Action.EVALUATE, relation, plan.state)
    return replace(plan, evaluation=PlanEvaluation(tuple(rows)))


def acknowledge_evaluation(
    plan: DevelopmentPlan, relation: Relation, *, by: str, at: datetime
) -> DevelopmentPlan:
    """Sign the IDP2 (F5); refused while the evaluation has errors. Both signatures: evaluated."""
    require(Action.ACKNOWLEDGE_EVALUATION, relation, plan.state)
    evaluation = plan.evaluation
    if evaluation is None:
        raise Conflict("there is no evaluation to acknowledge yet")
    raise_if_blocking(
        validate_evaluation(plan, evaluation.items), "the evaluation has errors to fix first"
    )
    signature = Acknowledgement(by, at)
    if relation is Relation.OWNER:
        if evaluation.owner_ack is not None:
            raise Conflict("the person has already acknowledged this evaluation")
        evaluation = replace(evaluation, owner_ack=signature)
    else:
        if evaluation.supervisor_ack is not None:
            raise Conflict("the supervisor has already acknowledged this evaluation")
        evaluation = replace(evaluation, supervisor_ack=signature)
    state = S.EVALUATED if evaluation.acknowledged else plan.state
    return replace(plan, evaluation=evaluation, state=state)


def revise(plan: DevelopmentPlan, relation: Relation, *, at: datetime) -> DevelopmentPlan:
    """A new draft revision prefilled from ``plan``, which stays as it was.

    From an acknowledged or running plan (a change to what was agreed), or from an evaluated
    one whose IDP2 says "revise the plan" for some item (F6). Items and activities keep their
    ids, so progress already recorded carries over. Revise only the latest revision.
    """
    require(Action.REVISE, relation, plan.state)
    if plan.state is S.EVALUATED and not (plan.evaluation and plan.evaluation.wants_revision()):
        raise Conflict("the evaluation decided to continue every item; nothing to revise")
    return replace(
        plan,
        revision=plan.revision + 1,
        revised_from=plan.revision,
        state=S.DRAFT,
        created_at=at,
        submitted_at=None,
        owner_ack=None,
        supervisor_ack=None,
        evaluation=None,
    )
