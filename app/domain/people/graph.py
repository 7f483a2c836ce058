"""Cycles in "reports to" and "is part of" relations (supervisor chains, the agency tree)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def nodes_in_cycles(edges: Mapping[K, K | None]) -> set[K]:
    """Every node that lies on a cycle of the functional graph ``node -> parent``.

    Each node has at most one parent, so following parents from any node either ends (no parent,
    or a parent outside ``edges``) or enters exactly one cycle. Linear in the number of nodes.
    """
    state: dict[K, int] = {}  # 1 = on the current path, 2 = finished
    on_cycle: set[K] = set()
    for start in edges:
        if start in state:
            continue
        path: list[K] = []
        node: K | None = start
        while node is not None and node in edges and node not in state:
            state[node] = 1
            path.append(node)
            node = edges[node]
        if node is not None and state.get(node) == 1:
            on_cycle.update(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return on_cycle


def parents_first(edges: Mapping[K, K | None]) -> list[K]:
    """The nodes of an acyclic ``node -> parent`` relation, each after its parent (if present)."""
    ordered: list[K] = []
    placed: set[K] = set()
    for start in edges:
        chain: list[K] = []
        node: K | None = start
        while node is not None and node in edges and node not in placed and node not in chain:
            chain.append(node)
            node = edges[node]
        for item in reversed(chain):
            placed.add(item)
            ordered.append(item)
    return ordered
