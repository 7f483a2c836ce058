"""Properties of validation over any plan, context and policy."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.planning.findings import Finding, Severity
from app.domain.planning.model import DevelopmentPlan
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy
from app.domain.planning.rules import RULES
from app.domain.planning.validation import PlanContext, validate
from tests.unit.planning.builders import CONTEXT, valid_plan
from tests.unit.planning.strategies import contexts, lenient_versions, plans, policies


def _resolve(document: Any, pointer: str) -> None:
    """Follow a JSON pointer through the plan's fields; fail if any step does not exist."""
    node = document
    for step in pointer.split("/")[1:]:
        if isinstance(node, tuple):
            node = node[int(step)]
        else:
            assert step in type(node).__dataclass_fields__, pointer
            node = getattr(node, step)


def _errors(findings: list[Finding]) -> set[tuple[str, str, object]]:
    return {
        (f.rule, f.pointer, f.params.get("bucket", "count" in f.params))
        for f in findings
        if f.severity is Severity.ERROR
    }


@settings(max_examples=300)
@given(plans(), contexts, policies())
def test_validation_never_raises_is_deterministic_and_points_at_real_fields(
    plan: DevelopmentPlan, context: PlanContext, policy: PlanningPolicy
) -> None:
    findings = validate(plan, context, policy)
    assert validate(copy.deepcopy(plan), context, policy) == findings
    for f in findings:
        rule = RULES[f.rule]
        assert (f.severity, f.seed) == (rule.severity, rule.seed)
        _resolve(plan, f.pointer)


@settings(max_examples=300)
@given(st.data(), plans(), contexts, policies())
def test_a_more_lenient_policy_never_adds_an_error(
    data: st.DataObject, plan: DevelopmentPlan, context: PlanContext, policy: PlanningPolicy
) -> None:
    lenient = data.draw(lenient_versions(policy))
    strict_errors = _errors(validate(plan, context, policy))
    lenient_errors = _errors(validate(plan, context, lenient))
    assert lenient_errors <= strict_errors
    if not strict_errors:
        assert not lenient_errors  # a plan valid under a policy stays valid under a laxer one


@given(lenient_versions(SEED_POLICY))
def test_the_valid_plan_stays_valid_under_any_laxer_agency_policy(lenient: PlanningPolicy) -> None:
    assert validate(valid_plan(), CONTEXT, SEED_POLICY) == []
    assert _errors(validate(valid_plan(), CONTEXT, lenient)) == set()
