from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.assessment.items import RequiredItem, check_required_items, combine_targets
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.vocabulary import Component, ItemLevel, LocalText, Target
from app.domain.errors import ValidationFailed
from tests.unit.assessment.builders import (
    BOTH,
    DS100_ELEMENTS,
    FUTURE,
    PRESENT,
    ItemsBuilder,
    ds100_profile,
)


def test_capability_is_rated_per_criterion_where_there_are_criteria_else_per_unit() -> None:
    plan = ScoringPlan.compile(ds100_profile())
    levels = {it.code: it.level for it in plan.items}
    assert levels["DS101.1"] is ItemLevel.CRITERION
    assert levels["DLit300"] is ItemLevel.UNIT
    assert levels["K-F1"] is ItemLevel.ITEM
    ds100 = plan.requirement_of("DS102.3")
    assert ds100.code == "DS100"
    assert ds100.item_codes == ("DS101.1", "DS101.2", "DS102.1", "DS102.2", "DS102.3")
    assert ds100.elements == (
        ("DS101", ("DS101.1", "DS101.2")),
        ("DS102", ("DS102.1", "DS102.2", "DS102.3")),
    )
    assert ds100.title == LocalText("หน่วย DS100", "Unit DS100")
    assert plan.targets == (Target.PRESENT, Target.FUTURE)


def test_items_are_put_in_framework_order_whatever_order_they_arrive_in() -> None:
    items = ds100_profile()
    plan = ScoringPlan.compile(reversed(items))
    assert plan.rated_codes == tuple(it.code for it in items)


def test_a_consistent_required_set_has_no_errors() -> None:
    assert check_required_items(ds100_profile()) == []


def test_a_code_listed_twice_is_an_error() -> None:
    items = ItemsBuilder().unit("DLit100").unit("DLit100").items
    errors = check_required_items(items)
    assert [(e.pointer, e.rule) for e in errors] == [("/items/1/code", "unique")]


def test_capability_needs_its_domain_dimension_and_unit() -> None:
    bare = RequiredItem("DT100", Component.CAPABILITY, LocalText("x"), 0, PRESENT)
    found = {(e.pointer, e.rule) for e in check_required_items([bare])}
    assert found == {
        ("/items/0/domain_code", "required"),
        ("/items/0/learning_dimension", "required"),
        ("/items/0/unit_code", "required"),
    }


def test_a_learning_dimension_is_one_to_five() -> None:
    item = replace(ItemsBuilder().unit("DT100").items[0], learning_dimension=6)
    assert [e.rule for e in check_required_items([item])] == ["A10"]


def test_other_components_carry_no_capability_hierarchy() -> None:
    item = replace(ItemsBuilder().item("K-F1", Component.KNOWLEDGE).items[0], unit_code="DS100")
    assert [(e.pointer, e.rule) for e in check_required_items([item])] == [
        ("/items/0/unit_code", "forbidden")
    ]


def test_an_item_needs_a_target_and_a_code() -> None:
    item = RequiredItem(" ", Component.ATTRIBUTE, LocalText("x"), 0, frozenset())
    assert {e.rule for e in check_required_items([item])} == {"required"}
    assert len(check_required_items([item])) == 2


def test_a_unit_is_not_rated_both_itself_and_through_its_criteria() -> None:
    items = ItemsBuilder().unit("DS100").criteria("DS100", DS100_ELEMENTS).items
    assert [(e.pointer, e.rule) for e in check_required_items(items)] == [("/items/0/code", "A4")]


def test_the_criteria_of_one_unit_share_its_targets() -> None:
    # a unit is required whole (001:114): a criterion cannot belong to another target
    items = ItemsBuilder().criteria("DS100", {"DS101": ["DS101.1"]}, BOTH)
    items.criteria("DS100", {"DS102": ["DS102.1"]}, FUTURE)
    errors = check_required_items(items.items)
    assert [(e.pointer, e.rule) for e in errors] == [("/items/1/targets", "A4")]


def test_a_criterion_below_a_unit_names_its_element() -> None:
    item = replace(ItemsBuilder().unit("DS100").items[0], code="DS101.1")
    assert [(e.pointer, e.rule) for e in check_required_items([item])] == [
        ("/items/0/element_code", "required")
    ]


def test_an_element_belongs_to_one_unit() -> None:
    b = ItemsBuilder().criteria("DS100", {"DS101": ["DS101.1"]})
    b.criteria("DS200", {"DS101": ["DS201.1"]})
    assert [(e.pointer, e.rule) for e in check_required_items(b.items)] == [
        ("/items/1/element_code", "hierarchy")
    ]


def test_compiling_an_inconsistent_set_raises_with_every_error() -> None:
    items = ItemsBuilder().unit("DLit100").unit("DLit100").unit("DG100").unit("DG100").items
    with pytest.raises(ValidationFailed) as raised:
        ScoringPlan.compile(items)
    assert [e.pointer for e in raised.value.errors] == ["/items/1/code", "/items/3/code"]


def _profile(*units: str) -> list[RequiredItem]:
    b = ItemsBuilder()
    for unit in units:
        b.unit(unit)
    return b.items


def test_a_developing_agency_has_a_present_and_a_future_target_and_shared_items_appear_once() -> (
    None
):
    developing = _profile("DLit100", "DT200")
    mature = _profile("DLit100", "DT200", "DT300")
    items = combine_targets({Target.PRESENT: developing, Target.FUTURE: mature})
    assert [(it.code, it.targets) for it in items] == [
        ("DLit100", BOTH),
        ("DT200", BOTH),
        ("DT300", FUTURE),
    ]
    assert ScoringPlan.compile(items).targets == (Target.PRESENT, Target.FUTURE)


def test_a_mature_agency_has_no_future_target() -> None:
    items = combine_targets({Target.PRESENT: _profile("DLit100", "DT300")})
    assert {it.targets for it in items} == {PRESENT}
    assert ScoringPlan.compile(items).targets == (Target.PRESENT,)


def test_two_staff_groups_give_the_union_of_their_profiles() -> None:
    # work spanning two groups, agreed with the supervisors (003:659)
    technologist, service = _profile("DLit100", "DT200"), _profile("DLit100", "DS100")
    items = combine_targets({Target.PRESENT: [*technologist, *service]})
    assert sorted(it.code for it in items) == ["DLit100", "DS100", "DT200"]


def test_the_same_code_described_two_ways_cannot_be_combined() -> None:
    one = _profile("DLit100")
    other = [replace(one[0], title=LocalText("อื่น"))]
    with pytest.raises(ValidationFailed) as raised:
        combine_targets({Target.PRESENT: one, Target.FUTURE: other})
    assert [(e.pointer, e.rule) for e in raised.value.errors] == [("/future/0", "conflict")]
