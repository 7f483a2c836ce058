"""The one-pass measure of a GraphQL document (app/api/graphql/limits.py): each fragment is
walked once however often it is spread, and the numbers are those of the expanded document."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from hypothesis import given
from hypothesis import strategies as st

from app.api.graphql.limits import (
    BadFragment,
    Budget,
    OverBudget,
    bad_character,
    bad_text_in_variables,
    measure,
)

OPEN = Budget(
    max_tokens=10**100,
    max_depth=10**100,
    max_aliases=10**100,
    max_fields=10**100,
    max_fragment_nesting=10**100,
    max_repeats=10**100,
)


def fan(levels: int, ways: int) -> str:
    """``fragment F0 { ...F1 ×ways }`` … ``F<levels> { __typename }``: ways**levels fields."""
    body = [
        f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * ways)} }}" for i in range(levels)
    ]
    return " ".join(["query { ...F0 }", *body, f"fragment F{levels} on Query {{ __typename }}"])


def test_the_reported_document_is_refused_after_walking_each_fragment_once() -> None:
    document = parse(fan(13, 3))
    assert len(fan(13, 3)) < 700
    with pytest.raises(OverBudget) as refused:
        measure(document, Budget())
    assert refused.value.limit in {"fields", "repeats"}
    meter = measure(document, OPEN)
    assert meter.walked == [f"F{i}" for i in range(14)]


@given(levels=st.integers(0, 40), ways=st.integers(1, 6))
def test_a_fragment_fan_costs_one_walk_per_fragment_and_counts_every_expanded_field(
    levels: int, ways: int
) -> None:
    document = parse(fan(levels, ways))
    meter = measure(document, OPEN)
    assert sorted(meter.walked) == sorted(f"F{i}" for i in range(levels + 1))
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert meter.selections(operation.selection_set, "query", 0).fields == ways**levels
    assert len(meter.walked) == levels + 1  # measuring the operation again walked nothing new


# Small documents built from a tree, measured by the pass and by naive expansion.
Tree = Any
trees = st.recursive(
    st.just([]),
    lambda children: st.lists(children, min_size=1, max_size=4),
    max_leaves=30,
)


def render(tree: list[Any], alias_every: int, counter: list[int]) -> str:
    parts = []
    for child in tree:
        counter[0] += 1
        alias = f"a{counter[0]}: " if counter[0] % alias_every == 0 else ""
        sub = f" {{ {render(child, alias_every, counter)} }}" if child else ""
        parts.append(f"{alias}f{counter[0]}{sub}")
    return " ".join(parts)


def naive(tree: list[Any]) -> tuple[int, int]:
    """(depth, fields) of a tree by plain recursion."""
    if not tree:
        return 0, 0
    subs = [naive(c) for c in tree]
    return 1 + max(d for d, _ in subs), len(tree) + sum(f for _, f in subs)


@given(tree=trees.filter(bool), alias_every=st.integers(1, 5), spread=st.booleans())
def test_depth_fields_and_aliases_are_those_of_the_expanded_document(
    tree: list[Any], alias_every: int, spread: bool
) -> None:
    body = render(tree, alias_every, [0])
    source = f"query {{ ...B }} fragment B on Query {{ {body} }}" if spread else f"{{ {body} }}"
    depth, fields = naive(tree)
    aliases = body.count(": ")
    budget = Budget(max_depth=depth, max_fields=fields, max_aliases=aliases)
    measure(parse(source), budget)  # exactly at every limit: accepted
    for tighter, limit in (
        (Budget(max_depth=depth - 1, max_fields=fields, max_aliases=aliases), "depth"),
        (Budget(max_depth=depth, max_fields=fields - 1, max_aliases=aliases), "fields"),
    ):
        with pytest.raises(OverBudget) as refused:
            measure(parse(source), tighter)
        assert refused.value.limit == limit
    if aliases:
        with pytest.raises(OverBudget) as refused:
            measure(
                parse(source), Budget(max_depth=depth, max_fields=fields, max_aliases=aliases - 1)
            )
        assert refused.value.limit == "aliases"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("query { ...A } fragment A on Query { ...A }", "cycle: A → A"),
        (
            "query { ...A } fragment A on Query { ...B } fragment B on Query { me { ...A } }",
            "cycle: A → B → A",
        ),
        ("query { ...Nowhere }", "unknown fragment 'Nowhere'"),
        (
            "query { ...A } fragment A on Query { me } fragment A on Query { me }",
            "defined more than once",
        ),
    ],
)
def test_cycles_unknown_and_duplicate_fragments_are_refused_cheaply(
    source: str, message: str
) -> None:
    with pytest.raises(BadFragment, match=message):
        measure(parse(source), Budget())


def test_an_unused_costly_fragment_is_refused_too() -> None:
    """The validators walk every fragment, used or not."""
    source = "{ me { subject } } " + fan(13, 3).removeprefix("query { ...F0 } ")
    with pytest.raises(OverBudget):
        measure(parse(source), Budget())


def test_a_long_chain_of_fragments_is_refused_before_it_nests_too_deep() -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(500))
    source = f"query {{ ...F0 }} {chain} fragment F500 on Query {{ __typename }}"
    with pytest.raises(OverBudget) as refused:
        measure(parse(source), Budget())
    assert refused.value.limit == "fragmentNesting"


@given(st.text())
def test_text_is_refused_exactly_when_it_has_a_nul_or_a_lone_surrogate(text: str) -> None:
    bad = "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert (bad_character(text) is not None) == bad


def test_variables_with_bad_text_are_named_by_pointer() -> None:
    found = bad_text_in_variables(
        {"ok": "สมศรี", "c": "a\x00", "input": {"groups": [{"note": "x\ud800"}]}}
    )
    assert [b.pointer for b in found] == ["/variables/c", "/variables/input/groups/0/note"]
    assert "NUL" in found[0].message
    assert "U+D800" in found[1].message
