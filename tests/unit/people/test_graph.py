from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.people.graph import nodes_in_cycles, parents_first

# Random "reports to" relations over up to 12 people; a parent may be outside the relation.
relations = st.dictionaries(
    st.integers(0, 11), st.one_of(st.none(), st.integers(0, 14)), max_size=12
)


def on_a_cycle_by_walking(edges: dict[int, int | None], node: int) -> bool:
    current = edges.get(node)
    for _ in range(len(edges) + 1):
        if current is None or current not in edges:
            return False
        if current == node:
            return True
        current = edges[current]
    return False


@given(relations)
def test_cycle_members_are_exactly_the_nodes_that_come_back_to_themselves(
    edges: dict[int, int | None],
) -> None:
    expected = {n for n in edges if on_a_cycle_by_walking(edges, n)}
    assert nodes_in_cycles(edges) == expected


def test_a_self_loop_and_a_long_loop_are_cycles() -> None:
    assert nodes_in_cycles({"a": "a", "b": None}) == {"a"}
    assert nodes_in_cycles({"a": "b", "b": "c", "c": "a", "d": "a"}) == {"a", "b", "c"}


@given(relations)
def test_parents_come_first_when_there_is_no_cycle(edges: dict[int, int | None]) -> None:
    acyclic = {n: p for n, p in edges.items() if n not in nodes_in_cycles(edges)}
    acyclic = {n: (p if p not in nodes_in_cycles(edges) else None) for n, p in acyclic.items()}
    order = parents_first(acyclic)
    assert sorted(order) == sorted(acyclic)
    position = {n: i for i, n in enumerate(order)}
    for node, parent in acyclic.items():
        if parent is not None and parent in acyclic:
            assert position[parent] < position[node]
