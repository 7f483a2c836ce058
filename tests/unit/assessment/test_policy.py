from __future__ import annotations

import pytest

from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import (
    DEFAULT_POLICY,
    AgencyPolicy,
    FinalRatingRule,
    PolicyOverride,
    PriorityKey,
    final_rating,
    merge_policy,
    parse_policy_override,
    resolve_policy,
)
from app.domain.assessment.scoring import score
from app.domain.assessment.vocabulary import RatingValue
from app.domain.errors import ValidationFailed
from tests.unit.assessment.builders import HAS, HAS_NOT, ItemsBuilder

Y, N = RatingValue.HAS, RatingValue.HAS_NOT

# (self, supervisor) -> final, written out by hand from the rule's description in docs/assessment.md
CASES = [(None, None), (Y, None), (N, None), (None, Y), (None, N), (Y, Y), (Y, N), (N, Y), (N, N)]
EXPECTED = {
    FinalRatingRule.SUPERVISOR_PREVAILS: [None, Y, N, Y, N, Y, N, Y, N],
    FinalRatingRule.SELF_PREVAILS: [None, Y, N, Y, N, Y, Y, N, N],
    FinalRatingRule.SELF_ONLY: [None, Y, N, None, None, Y, Y, N, N],
    FinalRatingRule.SUPERVISOR_ONLY: [None, None, None, Y, N, Y, N, Y, N],
    FinalRatingRule.BOTH_MUST_AGREE: [None, None, N, None, N, Y, N, N, N],
    FinalRatingRule.EITHER_SUFFICES: [None, Y, N, Y, N, Y, Y, Y, N],
}


def test_every_rule_has_a_hand_written_truth_table() -> None:
    assert set(EXPECTED) == set(FinalRatingRule)


def _scored(rule: FinalRatingRule) -> list[RatingValue | None]:
    """Score one assessment holding every (self, supervisor) case as its own unit."""
    b = ItemsBuilder()
    for n in range(len(CASES)):
        b.unit(f"DT{n + 1}00")
    ratings = {RatingValue.HAS: HAS, RatingValue.HAS_NOT: HAS_NOT}
    self_ratings = {f"DT{n + 1}00": ratings[s] for n, (s, _) in enumerate(CASES) if s}
    supervisor = {f"DT{n + 1}00": ratings[v] for n, (_, v) in enumerate(CASES) if v}
    result = score(ScoringPlan.compile(b.items), self_ratings, supervisor, AgencyPolicy(rule))
    return [result.final[f"DT{n + 1}00"] for n in range(len(CASES))]


def test_by_default_the_supervisors_rating_prevails_where_given_else_the_self_rating() -> None:
    assert DEFAULT_POLICY.final_rating is FinalRatingRule.SUPERVISOR_PREVAILS
    rule = FinalRatingRule.SUPERVISOR_PREVAILS
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_self_prevails_takes_the_self_rating_where_given_else_the_supervisors() -> None:
    rule = FinalRatingRule.SELF_PREVAILS
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_self_only_ignores_the_supervisor_for_the_final_rating() -> None:
    rule = FinalRatingRule.SELF_ONLY
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_supervisor_only_leaves_items_the_supervisor_has_not_rated_unrated() -> None:
    rule = FinalRatingRule.SUPERVISOR_ONLY
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_both_must_agree_gives_has_only_when_both_say_has() -> None:
    rule = FinalRatingRule.BOTH_MUST_AGREE
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_either_suffices_gives_has_when_either_says_has() -> None:
    rule = FinalRatingRule.EITHER_SUFFICES
    assert [final_rating(rule, s, v) for s, v in CASES] == EXPECTED[rule]
    assert _scored(rule) == EXPECTED[rule]


def test_a_child_agency_overrides_its_parent_field_by_field() -> None:
    parent = AgencyPolicy(
        final_rating=FinalRatingRule.BOTH_MUST_AGREE, priority=(PriorityKey.COMPONENT,)
    )
    child = merge_policy(parent, PolicyOverride(priority=(PriorityKey.TARGET,)))
    assert child == AgencyPolicy(
        final_rating=FinalRatingRule.BOTH_MUST_AGREE, priority=(PriorityKey.TARGET,)
    )
    assert merge_policy(parent, PolicyOverride()) == parent


def test_a_policy_is_resolved_down_the_agency_tree_and_names_where_each_field_came_from() -> None:
    resolved = resolve_policy(
        [
            ("OCSC", PolicyOverride(priority=(PriorityKey.TARGET, PriorityKey.FOUNDATIONAL))),
            ("MOF", PolicyOverride(final_rating=FinalRatingRule.SELF_PREVAILS)),
            ("MOF-CGD", PolicyOverride()),
            ("MOF-CGD-IT", PolicyOverride(final_rating=FinalRatingRule.BOTH_MUST_AGREE)),
        ]
    )
    assert resolved.policy == AgencyPolicy(
        final_rating=FinalRatingRule.BOTH_MUST_AGREE,
        priority=(PriorityKey.TARGET, PriorityKey.FOUNDATIONAL),
    )
    assert resolved.sources == {
        "final_rating": "MOF-CGD-IT",
        "priority": "OCSC",
        "foundational_domains": None,
    }


def test_an_agency_with_no_overrides_anywhere_gets_the_defaults() -> None:
    resolved = resolve_policy([("BMA", PolicyOverride())])
    assert resolved.policy == DEFAULT_POLICY
    assert DEFAULT_POLICY.priority == (PriorityKey.FOUNDATIONAL, PriorityKey.TARGET)
    assert DEFAULT_POLICY.foundational_domains == {"DLit", "DG"}
    assert set(resolved.sources.values()) == {None}


def test_an_override_round_trips_through_its_stored_form() -> None:
    override = PolicyOverride(
        final_rating=FinalRatingRule.SUPERVISOR_ONLY,
        priority=(PriorityKey.LEARNING_DIMENSION,),
        foundational_domains=frozenset({"DLit"}),
    )
    assert parse_policy_override(override.as_dict()) == override
    assert parse_policy_override({}) == PolicyOverride()
    assert PolicyOverride().as_dict() == {}


def test_a_bad_override_reports_every_problem_with_its_pointer() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_policy_override(
            {
                "final_rating": "loudest_wins",
                "priority": ["target", "age", "target"],
                "foundational_domains": "DLit",
                "colour": "red",
            }
        )
    found = {(e.pointer, e.rule) for e in raised.value.errors}
    assert found == {
        ("/colour", "unknown-field"),
        ("/final_rating", "enum"),
        ("/priority/1", "enum"),
        ("/priority/2", "unique"),
        ("/foundational_domains", "type"),
    }


def test_priority_must_be_a_list() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_policy_override({"priority": "target"})
    assert [(e.pointer, e.rule) for e in raised.value.errors] == [("/priority", "type")]
