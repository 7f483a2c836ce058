"""Any sequence of attempts by anyone keeps the lifecycle's promises."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from random import Random

from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.domain.errors import Conflict, Forbidden, ValidationFailed
from app.domain.planning import lifecycle as lc
from app.domain.planning.lifecycle import Action, Relation
from app.domain.planning.model import DevelopmentPlan, ItemEvaluation, NextStep, Outcome, PlanState
from app.domain.planning.progress import EffortEntry, record_effort
from tests.unit.planning.builders import AT, CONTEXT, valid_plan

S = PlanState
Op = Callable[[DevelopmentPlan, Relation], DevelopmentPlan]


def _rows(plan: DevelopmentPlan, step: NextStep) -> list[ItemEvaluation]:
    return [ItemEvaluation(i.id, Outcome.AS_PLANNED, step, "ก้าวหน้า") for i in plan.items]


OPS: dict[str, tuple[Action, Op]] = {
    "change": (Action.EDIT, lambda p, r: lc.change(p, r, at=AT, unit="กองใหม่")),
    "submit": (Action.SUBMIT, lambda p, r: lc.submit(p, r, context=CONTEXT, at=AT)),
    "withdraw": (Action.WITHDRAW, lc.withdraw),
    "return": (Action.RETURN, lc.return_for_changes),
    "acknowledge": (Action.ACKNOWLEDGE, lambda p, r: lc.acknowledge(p, r, by=r.value, at=AT)),
    "start": (Action.START, lc.start),
    "progress": (
        Action.RECORD_PROGRESS,
        lambda p, r: record_effort(p, r, EffortEntry("a1", Decimal(1)))[0],
    ),
    "evaluate (continue)": (
        Action.EVALUATE,
        lambda p, r: lc.evaluate(p, r, _rows(p, NextStep.CONTINUE)),
    ),
    "evaluate (revise)": (
        Action.EVALUATE,
        lambda p, r: lc.evaluate(p, r, _rows(p, NextStep.REVISE)),
    ),
    "acknowledge evaluation": (
        Action.ACKNOWLEDGE_EVALUATION,
        lambda p, r: lc.acknowledge_evaluation(p, r, by=r.value, at=AT),
    ),
    "revise": (Action.REVISE, lambda p, r: lc.revise(p, r, at=AT)),
}

# Where each state may lead within one revision.
NEXT: dict[PlanState, set[PlanState]] = {
    S.DRAFT: {S.DRAFT, S.SUBMITTED},
    S.SUBMITTED: {S.SUBMITTED, S.DRAFT, S.ACKNOWLEDGED},
    S.ACKNOWLEDGED: {S.ACKNOWLEDGED, S.IN_PROGRESS, S.EVALUATED},
    S.IN_PROGRESS: {S.IN_PROGRESS, S.EVALUATED},
    S.EVALUATED: set(),
}

FORWARD: dict[PlanState, list[str]] = {
    S.DRAFT: ["submit"],
    S.SUBMITTED: ["acknowledge"],
    S.ACKNOWLEDGED: ["start", "evaluate (revise)"],
    S.IN_PROGRESS: [
        "progress",
        "evaluate (continue)",
        "evaluate (revise)",
        "acknowledge evaluation",
    ],
    S.EVALUATED: ["revise"],
}
RELATIONS = [Relation.OWNER, Relation.SUPERVISOR] * 3 + list(Relation)  # mostly the parties


@settings(max_examples=300)
@given(st.randoms(use_true_random=False), st.integers(1, 120))
def test_every_attempt_is_refused_cleanly_or_keeps_the_lifecycle_promises(
    rnd: Random, length: int
) -> None:
    plan = valid_plan()
    reached: set[PlanState] = set()
    for _ in range(length):
        # Half the time an attempt that moves the plan on, so that walks get far.
        forward = rnd.random() < 0.5
        name = rnd.choice(FORWARD[plan.state] if forward else sorted(OPS))
        relation = rnd.choice(RELATIONS)
        action, op = OPS[name]
        before, snapshot = plan, copy.deepcopy(plan)
        try:
            plan = op(plan, relation)
        except (Forbidden, Conflict, ValidationFailed):
            assert before == snapshot
            continue
        assert before == snapshot  # the old value is never modified
        reached.add(plan.state)
        assert relation in (Relation.OWNER, Relation.SUPERVISOR)
        assert lc.permission(action, relation, before.state) is None
        if plan.revision == before.revision:
            assert plan.state in NEXT[before.state]
        else:
            assert (plan.revision, plan.revised_from, plan.state) == (
                before.revision + 1,
                before.revision,
                S.DRAFT,
            )
            assert before.state in (S.ACKNOWLEDGED, S.IN_PROGRESS, S.EVALUATED)
        if plan.state is not before.state and plan.state in (S.ACKNOWLEDGED, S.EVALUATED):
            assert name in ("acknowledge", "acknowledge evaluation")
    event(f"reached {sorted(s.value for s in reached)}")
