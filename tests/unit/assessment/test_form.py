from __future__ import annotations

import pytest

from app.domain.assessment.form import (
    BATCH_MAX_ITEMS,
    NOTE_MAX_LENGTH,
    RatingEntry,
    build_form,
    check_rating_batch,
    check_review,
    check_submission,
    parse_rating_batch,
    pointer_token,
)
from app.domain.assessment.items import Rating
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import AgencyPolicy, FinalRatingRule
from app.domain.assessment.vocabulary import Component, ItemLevel, LocalText, RatingValue
from app.domain.errors import ValidationFailed
from tests.unit.assessment.builders import HAS, HAS_NOT, all_has, ds100_profile


@pytest.fixture
def plan() -> ScoringPlan:
    return ScoringPlan.compile(ds100_profile())


def test_the_form_groups_component_domain_unit_element_criterion(plan: ScoringPlan) -> None:
    form = build_form(plan)
    assert [s.component for s in form.sections] == list(Component)
    capability = form.sections[0]
    assert capability.items == ()
    assert [(d.code, d.learning_dimension) for d in capability.domains] == [
        ("DLit", 1),
        ("DG", 2),
        ("DS", 3),
        ("DT", 3),
    ]
    ds = capability.domains[2]
    assert ds.title == LocalText("ด้าน DS", "Domain DS")
    (ds100,) = ds.units
    assert (ds100.code, ds100.title, ds100.item) == (
        "DS100",
        LocalText("หน่วย DS100", "Unit DS100"),
        None,
    )
    assert [(e.code, [c.code for c in e.criteria]) for e in ds100.elements] == [
        ("DS101", ["DS101.1", "DS101.2"]),
        ("DS102", ["DS102.1", "DS102.2", "DS102.3"]),
    ]
    assert ds100.elements[1].title == LocalText("ย่อย DS102", "Element DS102")
    criterion = ds100.elements[1].criteria[2]
    assert criterion.level is ItemLevel.CRITERION
    assert criterion.title == LocalText("เกณฑ์ DS102.3", "Criterion DS102.3")
    dt = capability.domains[3]
    assert [(u.code, u.elements, u.item and u.item.level) for u in dt.units] == [
        ("DT200", (), ItemLevel.UNIT),
        ("DT300", (), ItemLevel.UNIT),
    ]
    knowledge = form.sections[1]
    assert knowledge.domains == ()
    assert [(i.code, i.title) for i in knowledge.items] == [
        ("K-F1", LocalText("ข้อ K-F1")),
        ("K-R3", LocalText("ข้อ K-R3")),
    ]
    assert form.item_count == 14


def test_the_form_carries_the_ratings_given_so_far(plan: ScoringPlan) -> None:
    note = Rating(RatingValue.HAS, "ทำมาแล้ว", "https://example.org/cert.pdf")
    form = build_form(plan, {"A1": note, "DT999": HAS}, {"A1": HAS_NOT})
    attribute = form.sections[3].items[0]
    assert (attribute.self_rating, attribute.supervisor_rating) == (note, HAS_NOT)
    assert (form.self_rated, form.supervisor_rated) == (1, 1)


def test_the_form_can_be_built_straight_from_required_items() -> None:
    assert build_form(ds100_profile()) == build_form(ScoringPlan.compile(ds100_profile()))


def test_submitting_with_unrated_items_names_each_of_them(plan: ScoringPlan) -> None:
    ratings = all_has(plan.items)
    del ratings["DS102.3"], ratings["E-F1"]
    errors = check_submission(plan, ratings)
    assert [(e.pointer, e.rule, e.extra["code"]) for e in errors] == [
        ("/items/DS102.3", "D1", "DS102.3"),
        ("/items/E-F1", "D1", "E-F1"),
    ]
    assert check_submission(plan, all_has(plan.items)) == []


def test_pointers_escape_codes_as_json_pointer_tokens() -> None:
    assert pointer_token("A/B~1") == "A~1B~01"


def test_a_batch_rating_an_item_not_in_the_assessment_points_at_it(plan: ScoringPlan) -> None:
    errors = check_rating_batch(
        plan, [RatingEntry("DLit300", "has"), RatingEntry("DT700", "has_not")]
    )
    assert [(e.pointer, e.rule, e.extra) for e in errors] == [
        ("/ratings/1/code", "not-in-assessment", {"code": "DT700"})
    ]


def test_a_unit_or_element_with_criteria_cannot_be_rated_directly(plan: ScoringPlan) -> None:
    errors = check_rating_batch(plan, [RatingEntry("DS100", "has"), RatingEntry("DS102", "has")])
    assert [(e.pointer, e.rule) for e in errors] == [
        ("/ratings/0/code", "A4"),
        ("/ratings/1/code", "A4"),
    ]
    assert errors[1].extra["criteria"] == ["DS102.1", "DS102.2", "DS102.3"]


def test_a_batch_reports_every_bad_entry_at_once(plan: ScoringPlan) -> None:
    errors = check_rating_batch(
        plan,
        [
            RatingEntry("A1", "maybe"),
            RatingEntry("K-F1", "has", note="ก" * (NOTE_MAX_LENGTH + 1)),
            RatingEntry("C2", "has", evidence_url="javascript:alert(1)"),
            RatingEntry("A1", "has"),
            RatingEntry("E-F1", "has", evidence_url="https://exa mple.org"),
        ],
    )
    assert [(e.pointer, e.rule) for e in errors] == [
        ("/ratings/0/value", "enum"),
        ("/ratings/1/note", "max-length"),
        ("/ratings/2/evidence_url", "url"),
        ("/ratings/3/code", "unique"),
        ("/ratings/4/evidence_url", "url"),
    ]


def test_a_batch_is_neither_empty_nor_unbounded(plan: ScoringPlan) -> None:
    assert [e.rule for e in check_rating_batch(plan, [])] == ["min-items"]
    too_many = [RatingEntry("A1", "has")] * (BATCH_MAX_ITEMS + 1)
    assert [e.rule for e in check_rating_batch(plan, too_many)] == ["max-items"]


def test_a_good_batch_becomes_ratings_with_normalised_text(plan: ScoringPlan) -> None:
    decomposed_note = "  อบรม Cafe\u0301 Python  "  # NFC composes e + combining acute
    ratings = parse_rating_batch(
        plan,
        [
            RatingEntry("DS101.1", "has", decomposed_note, " https://example.org/a "),
            RatingEntry("A1", "has_not", "   ", ""),
        ],
    )
    assert ratings == {
        "DS101.1": Rating(RatingValue.HAS, "อบรม Caf\u00e9 Python", "https://example.org/a"),
        "A1": Rating(RatingValue.HAS_NOT),
    }


def test_a_bad_batch_raises_and_saves_nothing(plan: ScoringPlan) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_rating_batch(plan, [RatingEntry("A1", "has"), RatingEntry("ZZ1", "has")])
    assert [e.pointer for e in raised.value.errors] == ["/ratings/1/code"]


def test_review_needs_a_final_rating_for_every_item_under_the_policy(plan: ScoringPlan) -> None:
    self_ratings = all_has(plan.items)
    supervisor = {"DS101.1": HAS}
    assert check_review(plan, self_ratings, supervisor) == []
    strict = AgencyPolicy(final_rating=FinalRatingRule.SUPERVISOR_ONLY)
    errors = check_review(plan, self_ratings, supervisor, strict)
    assert len(errors) == len(plan.items) - 1
    assert errors[0].extra == {"code": "DLit300", "policy": "supervisor_only"}
    assert "/items/DS101.1" not in {e.pointer for e in errors}
