from __future__ import annotations

from app.domain.assessment.items import Rating
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import AgencyPolicy, FinalRatingRule, PriorityKey
from app.domain.assessment.results import Readiness
from app.domain.assessment.scoring import score, score_many
from app.domain.assessment.vocabulary import Component, RatingValue, Target
from tests.unit.assessment.builders import (
    BOTH,
    DS100_ELEMENTS,
    FUTURE,
    HAS,
    HAS_NOT,
    PRESENT,
    ItemsBuilder,
    all_has,
    ds100_profile,
)

R = Readiness


def test_one_unmet_ds100_criterion_leaves_ds100_a_gap_and_readiness_matches_a_hand_count() -> None:
    items = ds100_profile()
    result = score(ScoringPlan.compile(items), all_has(items, {"DS102.2": HAS_NOT}))

    assert [g.code for g in result.gaps] == ["DS100"]
    gap = result.gaps[0]
    assert gap.items_not_met == ("DS102.2",)
    assert gap.elements_not_met == ("DS102",)
    assert gap.unrated_items == ()
    assert {r.code for r in result.strengths} == {
        "DLit300", "DG100", "DT200", "DT300", "K-F1", "K-R3", "E-F1", "A1", "C2",
    }  # fmt: skip

    # counted by hand from builders.ds100_profile: units count once, whatever their criteria
    present = result.present
    assert present is not None
    assert present.overall == R(8, 9)
    assert present.by_component == {
        Component.CAPABILITY: R(3, 4),
        Component.KNOWLEDGE: R(2, 2),
        Component.EXPERIENCE: R(1, 1),
        Component.ATTRIBUTE: R(1, 1),
        Component.COMPETENCY: R(1, 1),
    }
    assert present.by_domain == {"DLit": R(1, 1), "DG": R(1, 1), "DS": R(0, 1), "DT": R(1, 1)}
    assert present.by_learning_dimension == {1: R(1, 1), 2: R(1, 1), 3: R(1, 2)}
    future = result.future
    assert future is not None
    assert future.overall == R(5, 6)
    assert future.overall.ratio == 5 / 6
    assert future.by_component == {
        Component.CAPABILITY: R(3, 4),
        Component.KNOWLEDGE: R(1, 1),
        Component.ATTRIBUTE: R(1, 1),
    }
    assert future.by_domain == {"DG": R(1, 1), "DS": R(0, 1), "DT": R(2, 2)}
    assert future.by_learning_dimension == {2: R(1, 1), 3: R(2, 3)}


def test_a_set_without_future_items_has_no_future_readiness() -> None:
    # a mature agency has no next stage (003:655)
    items = ItemsBuilder().unit("DLit100").item("A1", Component.ATTRIBUTE).items
    result = score(ScoringPlan.compile(items), all_has(items))
    assert result.future is None
    assert result.present is not None
    assert result.present.overall == R(2, 2)
    assert ScoringPlan.compile(items).targets == (Target.PRESENT,)


def test_an_element_is_met_only_when_all_its_criteria_are_met() -> None:
    items = ItemsBuilder().criteria("DS100", DS100_ELEMENTS).items
    plan = ScoringPlan.compile(items)
    one_per_element = score(plan, all_has(items, {"DS101.1": HAS_NOT, "DS102.3": HAS_NOT}))
    assert one_per_element.gaps[0].elements_not_met == ("DS101", "DS102")
    only_ds102 = score(plan, all_has(items, {"DS102.1": HAS_NOT}))
    assert only_ds102.gaps[0].elements_not_met == ("DS102",)
    assert score(plan, all_has(items)).met == {"DS100"}


def test_unrated_items_are_reported_and_count_as_not_met() -> None:
    items = ds100_profile()
    ratings = all_has(items)
    del ratings["DS101.2"], ratings["C2"]
    result = score(ScoringPlan.compile(items), ratings)
    assert result.unrated == ("DS101.2", "C2")
    assert result.final["DS101.2"] is None
    gaps = {g.code: g for g in result.gaps}
    assert set(gaps) == {"DS100", "C2"}
    assert gaps["DS100"].unrated_items == ("DS101.2",)
    assert gaps["C2"].items_not_met == ("C2",)


def test_nothing_rated_leaves_every_requirement_a_gap_at_zero_readiness() -> None:
    items = ds100_profile()
    result = score(ScoringPlan.compile(items), {})
    assert len(result.gaps) == 10
    assert result.strengths == ()
    assert result.present is not None
    assert result.present.overall == R(0, 9)


def test_every_disagreement_is_listed_with_the_final_rating_the_policy_gave() -> None:
    items = ds100_profile()
    self_ratings = all_has(items, {"K-R3": HAS_NOT})
    supervisor = {"DS101.1": HAS_NOT, "K-R3": HAS, "A1": HAS, "C2": HAS_NOT}
    result = score(ScoringPlan.compile(items), self_ratings, supervisor)
    found = {(d.code, d.self_value, d.supervisor_value, d.final) for d in result.disagreements}
    has, has_not = RatingValue.HAS, RatingValue.HAS_NOT
    assert found == {
        ("DS101.1", has, has_not, has_not),
        ("K-R3", has_not, has, has),
        ("C2", has, has_not, has_not),
    }
    assert [d.code for d in result.disagreements] == ["DS101.1", "K-R3", "C2"]  # framework order


def test_disagreements_are_listed_even_when_the_policy_ignores_the_supervisor() -> None:
    items = ItemsBuilder().unit("DLit100").items
    result = score(
        ScoringPlan.compile(items),
        {"DLit100": HAS},
        {"DLit100": HAS_NOT},
        AgencyPolicy(final_rating=FinalRatingRule.SELF_ONLY),
    )
    assert result.met == {"DLit100"}
    assert [(d.code, d.final) for d in result.disagreements] == [("DLit100", RatingValue.HAS)]


def test_ratings_of_codes_outside_the_required_set_are_ignored_and_reported() -> None:
    items = ItemsBuilder().unit("DLit100").items
    result = score(ScoringPlan.compile(items), {"DLit100": HAS, "DT999": HAS}, {"DS100": HAS})
    assert result.met == {"DLit100"}
    assert result.ignored_codes == ("DS100", "DT999")


def test_gaps_follow_the_default_priority_foundational_then_present_then_framework_order() -> None:
    b = ItemsBuilder()
    b.unit("DT100", PRESENT).unit("DS300", FUTURE).unit("DLit700", FUTURE).unit("DG200", PRESENT)
    b.item("K-R1", Component.KNOWLEDGE, BOTH).unit("DTr100", PRESENT)
    result = score(ScoringPlan.compile(b.items), {})
    assert [g.code for g in result.gaps] == [
        "DG200",  # foundational (003:685) and present
        "DLit700",  # foundational, though only for the future
        "DT100",  # present, framework order
        "K-R1",
        "DTr100",
        "DS300",  # future only
    ]


def test_an_agency_can_put_the_present_target_before_the_foundational_skill_sets() -> None:
    b = ItemsBuilder().unit("DT100", PRESENT).unit("DLit700", FUTURE).unit("DG200", PRESENT)
    policy = AgencyPolicy(priority=(PriorityKey.TARGET, PriorityKey.FOUNDATIONAL))
    result = score(ScoringPlan.compile(b.items), {}, policy=policy)
    assert [g.code for g in result.gaps] == ["DG200", "DT100", "DLit700"]


def test_priority_by_component_and_by_learning_dimension() -> None:
    b = ItemsBuilder().item("A1", Component.ATTRIBUTE).unit("DTr100").unit("DS100")
    b.item("K-F1", Component.KNOWLEDGE).unit("DLit100")
    plan = ScoringPlan.compile(b.items)
    by_dimension = score(plan, {}, policy=AgencyPolicy(priority=(PriorityKey.LEARNING_DIMENSION,)))
    assert [g.code for g in by_dimension.gaps] == ["DLit100", "DS100", "DTr100", "A1", "K-F1"]
    by_component = score(plan, {}, policy=AgencyPolicy(priority=(PriorityKey.COMPONENT,)))
    assert [g.code for g in by_component.gaps] == ["DTr100", "DS100", "DLit100", "K-F1", "A1"]
    framework_only = score(plan, {}, policy=AgencyPolicy(priority=()))
    assert [g.code for g in framework_only.gaps] == ["A1", "DTr100", "DS100", "K-F1", "DLit100"]


def test_an_agency_can_name_other_foundational_skill_sets() -> None:
    b = ItemsBuilder().unit("DLit100").unit("DS100")
    policy = AgencyPolicy(foundational_domains=frozenset({"DS"}))
    result = score(ScoringPlan.compile(b.items), {"DLit100": HAS, "DS100": HAS}, policy=policy)
    assert [r.code for r in result.strengths] == ["DS100", "DLit100"]


def test_gaps_and_strengths_can_be_read_per_target() -> None:
    items = ds100_profile()
    result = score(ScoringPlan.compile(items), all_has(items, {"DT300": HAS_NOT, "C2": HAS_NOT}))
    assert [g.code for g in result.gaps_for(Target.PRESENT)] == ["C2"]
    assert [g.code for g in result.gaps_for(Target.FUTURE)] == ["DT300"]
    assert "DLit300" not in {r.code for r in result.strengths_for(Target.FUTURE)}
    assert result.readiness(Target.FUTURE) is result.future


def test_score_many_scores_each_assessment_in_order() -> None:
    items = ItemsBuilder().unit("DLit100").items
    plan = ScoringPlan.compile(items)
    batch: list[tuple[dict[str, Rating], dict[str, Rating]]] = [
        ({"DLit100": HAS}, {}),
        ({"DLit100": HAS}, {"DLit100": HAS_NOT}),
    ]
    assert [r.met for r in score_many(plan, batch)] == [{"DLit100"}, frozenset()]
