"""Properties of scoring that hold for every consistent required set, rating and policy."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.assessment.comparison import compare
from app.domain.assessment.form import build_form
from app.domain.assessment.items import Rating
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import final_rating
from app.domain.assessment.results import AssessmentScore, Readiness
from app.domain.assessment.scoring import score
from app.domain.assessment.vocabulary import RatingValue
from tests.unit.assessment.builders import HAS, HAS_NOT
from tests.unit.assessment.strategies import Case, cases


def _score(case: Case) -> AssessmentScore:
    plan = ScoringPlan.compile(case.items)
    return score(plan, case.self_ratings, case.supervisor_ratings, case.policy)


def _figures(result: AssessmentScore) -> dict[tuple[str, str, object], Readiness]:
    figures: dict[tuple[str, str, object], Readiness] = {}
    for t in (result.present, result.future):
        if t is None:
            continue
        figures[t.target, "overall", None] = t.overall
        for name, breakdown in (
            ("component", t.by_component),
            ("domain", t.by_domain),
            ("dimension", t.by_learning_dimension),
        ):
            for key, value in breakdown.items():
                figures[t.target, name, key] = value
    return figures


@given(cases())
def test_readiness_is_one_exactly_when_the_target_has_no_gaps(case: Case) -> None:
    result = _score(case)
    for target in result.plan.targets:
        readiness = result.readiness(target)
        assert readiness is not None
        assert (readiness.overall.ratio == 1.0) == (result.gaps_for(target) == ())


@given(cases())
def test_gaps_and_strengths_partition_the_required_set(case: Case) -> None:
    result = _score(case)
    gaps = [g.code for g in result.gaps]
    strengths = [r.code for r in result.strengths]
    required = [r.code for r in result.plan.requirements]
    assert sorted(gaps + strengths) == sorted(required)
    assert set(strengths) == result.met


@given(cases(), st.data())
def test_turning_any_criterion_of_a_met_unit_to_has_not_makes_the_unit_a_gap(
    case: Case, data: st.DataObject
) -> None:
    before = _score(case)
    assume(before.strengths)
    unit = data.draw(st.sampled_from(before.strengths))
    item = data.draw(st.sampled_from(unit.item_codes))
    # has-not from both raters is has-not under every policy
    after = _score(
        replace(
            case,
            self_ratings={**case.self_ratings, item: HAS_NOT},
            supervisor_ratings={**case.supervisor_ratings, item: HAS_NOT},
        )
    )
    gap = next(g for g in after.gaps if g.code == unit.code)
    assert gap.items_not_met == (item,)
    assert after.met == before.met - {unit.code}


@given(cases(), st.data())
def test_readiness_never_falls_when_a_has_not_becomes_has(case: Case, data: st.DataObject) -> None:
    before = _score(case)
    not_has = [c for c, v in before.final.items() if v is not RatingValue.HAS]
    assume(not_has)
    item = data.draw(st.sampled_from(not_has))
    after = _score(
        replace(
            case,
            self_ratings={**case.self_ratings, item: HAS},
            supervisor_ratings={**case.supervisor_ratings, item: HAS},
        )
    )
    figures_before, figures_after = _figures(before), _figures(after)
    assert figures_before.keys() == figures_after.keys()
    for key, was in figures_before.items():
        assert figures_after[key].met >= was.met
        assert figures_after[key].required == was.required


@given(cases())
def test_comparing_an_assessment_with_itself_shows_no_change(case: Case) -> None:
    result = _score(case)
    change = compare(result, result)
    assert change.unchanged
    assert change.newly_required == change.no_longer_required == ()
    for side in (change.present, change.future):
        if side is None:
            continue
        deltas = [side.overall, *side.by_component.values(), *side.by_domain.values()]
        deltas.extend(side.by_learning_dimension.values())
        assert all(d.delta == 0 for d in deltas)


@given(cases())
def test_the_fast_roll_up_agrees_with_the_definition_element_by_element(case: Case) -> None:
    # 001:114 read literally over the form: criterion -> element -> unit
    result = _score(case)

    def value(ratings: dict[str, Rating], code: str) -> RatingValue | None:
        rating = ratings.get(code)
        return None if rating is None else rating.value

    final = {
        code: final_rating(
            case.policy.final_rating,
            value(case.self_ratings, code),
            value(case.supervisor_ratings, code),
        )
        for code in result.plan.rated_codes
    }
    assert result.final == final
    expected_met = set()
    for section in build_form(result.plan).sections:
        for domain in section.domains:
            for unit in domain.units:
                if unit.item is not None:
                    met = final[unit.item.code] is RatingValue.HAS
                else:
                    elements_met = [
                        all(final[c.code] is RatingValue.HAS for c in e.criteria)
                        for e in unit.elements
                    ]
                    met = all(elements_met)
                if met:
                    expected_met.add(unit.code)
        expected_met.update(i.code for i in section.items if final[i.code] is RatingValue.HAS)
    assert result.met == expected_met
    assert set(result.unrated) == {c for c, v in final.items() if v is None}


@given(cases())
def test_readiness_counts_each_requirement_of_a_target_once(case: Case) -> None:
    result = _score(case)
    for target in result.plan.targets:
        readiness = result.readiness(target)
        assert readiness is not None
        mine = [r for r in result.plan.requirements if target in r.targets]
        assert readiness.overall.required == len(mine)
        assert readiness.overall.met == sum(1 for r in mine if r.code in result.met)
        assert sum(r.required for r in readiness.by_component.values()) == len(mine)
