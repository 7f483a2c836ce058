"""The items chosen for a partial staff group (003:657, rules B3, A6, A8, A9): the choice is
validated against the profile, and the foundational items are always kept."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationFailed
from app.domain.people.group_assignment import (
    AssignmentRecord,
    GroupScope,
    GroupShare,
    always_kept,
    check_choice,
    parse_record,
    same_groups,
    validate_groups,
)
from app.domain.roles import StaffGroup

codes = st.text(alphabet="ABCDEFGKRS-0123456789", min_size=1, max_size=8)
groups = st.sampled_from(list(StaffGroup))


def errors_of(shares: list[GroupShare]) -> list[tuple[str, str]]:
    try:
        validate_groups(shares)
    except ValidationFailed as exc:
        return [(e.pointer, e.rule) for e in exc.errors]
    return []


def test_a_partial_group_must_name_its_items_and_a_whole_one_none() -> None:
    assert errors_of(
        [
            GroupShare(StaffGroup.ACADEMIC, GroupScope.PARTIAL),
            GroupShare(StaffGroup.SERVICE, GroupScope.PARTIAL, ()),
            GroupShare(StaffGroup.OTHERS, GroupScope.WHOLE, ("DS100",)),
            GroupShare(StaffGroup.TECHNOLOGIST, GroupScope.PARTIAL, ("DS100", " ", "DS100")),
        ]
    ) == [
        ("/groups/0/items", "required"),
        ("/groups/1/items", "required"),
        ("/groups/2/items", "whole-with-items"),
        ("/groups/3/items/1", "format"),
        ("/groups/3/items/2", "duplicate"),
    ]


@given(
    st.lists(codes, min_size=1, max_size=12),
    st.sets(codes, max_size=12),
    st.sets(codes, max_size=12),
    groups,
)
def test_every_chosen_code_is_checked_against_the_framework_then_the_profile(
    chosen: list[str], profile: set[str], other_known: set[str], group: StaffGroup
) -> None:
    known = profile | other_known
    share = GroupShare(group, GroupScope.PARTIAL, tuple(chosen))
    found = check_choice(
        [
            GroupShare(
                StaffGroup.EXECUTIVE if group is not StaffGroup.EXECUTIVE else StaffGroup.OTHERS
            ),
            share,
        ],
        {group: profile},
        known,
        stage="early",
    )
    expected = [
        (f"/groups/1/items/{j}", "item-unknown" if c not in known else "not-in-profile")
        for j, c in enumerate(chosen)
        if c not in profile
    ]
    assert [(e.pointer, e.rule) for e in found] == expected


@given(st.sets(codes, max_size=10), st.sets(codes, max_size=10), codes)
def test_a_partial_group_keeps_its_choice_and_the_foundational_items(
    chosen: set[str], foundational: set[str], code: str
) -> None:
    share = GroupShare(StaffGroup.SERVICE, GroupScope.PARTIAL, tuple(sorted(chosen)))
    whole = GroupShare(StaffGroup.SERVICE)
    always = code in foundational
    assert share.applies(code, always=always) == (code in chosen or always)
    assert whole.applies(code, always=always)


@pytest.mark.parametrize(
    ("component", "origin", "dimension", "rule"),
    [
        ("knowledge", "foundational", None, "A8"),
        ("experience", "foundational", None, "A8"),
        ("knowledge", "printed", None, None),
        ("experience", "inherited", None, None),
        ("unit", "printed", 1, "A9"),  # DLit
        ("unit", "printed", 2, "A9"),  # DG
        ("unit", "printed", 3, None),
        ("unit", "inherited", None, None),
        ("attribute", "printed", None, "A6"),
        ("competency", "printed", None, None),
    ],
)
def test_what_every_profile_keeps(
    component: str, origin: str, dimension: int | None, rule: str | None
) -> None:
    assert always_kept(component, origin=origin, dimension=dimension) == rule


@given(
    st.lists(
        st.tuples(groups, st.none() | st.sets(codes, min_size=1, max_size=4)),
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    st.randoms(),
)
def test_the_same_groups_in_another_order_are_the_same(
    spec: list[tuple[StaffGroup, set[str] | None]], rnd: Any
) -> None:
    shares = [
        GroupShare(
            g,
            GroupScope.WHOLE if c is None else GroupScope.PARTIAL,
            None if c is None else tuple(c),
        )
        for g, c in spec
    ]
    shuffled = [
        GroupShare(s.group, s.scope, None if s.items is None else tuple(reversed(s.items)))
        for s in shares
    ]
    rnd.shuffle(shuffled)
    assert same_groups(shares, shuffled)
    assert all(GroupShare.of_json(s.as_json()) == s for s in shares)
    if shares:
        assert not same_groups(shares, shares[1:])


def test_a_record_lists_every_problem_with_its_pointer() -> None:
    found = parse_record(
        {
            "external_id": "",
            "fiscal_year": 68,
            "groups": [{"group": "boss"}, {"group": "service", "scope": "some", "items": 3}],
            "colour": "red",
        },
        7,
    )
    assert isinstance(found, list)
    assert [(e.pointer, e.rule) for e in found] == [
        ("/7/colour", "unknown-field"),
        ("/7/external_id", "required"),
        ("/7/fiscal_year", "fiscal-year"),
        ("/7/groups/0/group", "enum"),
        ("/7/groups/1/scope", "enum"),
        ("/7/groups/1/items", "type"),
    ]


def test_a_good_record_is_read_and_normalised() -> None:
    found = parse_record(
        {
            "external_id": " 6400123 ",
            "fiscal_year": 2568,
            "groups": [{"group": "service", "scope": "partial", "items": ["DS100"]}],
            "note": "ตามตำแหน่ง",
        },
        0,
    )
    assert found == AssignmentRecord(
        "6400123",
        2568,
        (GroupShare(StaffGroup.SERVICE, GroupScope.PARTIAL, ("DS100",)),),
        "ตามตำแหน่ง",
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(["external_id", "fiscal_year", "groups", "note", "x"]), json_values
    )
    | json_values
)
def test_any_json_is_a_record_or_a_list_of_problems_inside_it(raw: Any) -> None:
    found = parse_record(raw, 3)
    if isinstance(found, list):
        assert found
        assert all(e.pointer.startswith("/3") for e in found)
    else:
        assert isinstance(found, AssignmentRecord)
