"""Small-group suppression over an agency tree: no hidden figure is the difference of shown ones.

The check is exact: with the hidden figures as unknowns, the tree's equations (subtree = own +
children) leave every hidden figure free, which a linear-algebra rank test decides.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.reporting.suppression import Cell, equations, suppress


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, int]]:
    n = draw(st.integers(1, 12))
    children: dict[str, list[str]] = {str(i): [] for i in range(n)}
    for i in range(1, n):
        children[str(draw(st.integers(0, i - 1)))].append(str(i))
    own = {str(i): draw(st.integers(0, 12)) for i in range(n)}
    return children, own


def _sizes(children: dict[str, list[str]], own: dict[str, int]) -> dict[Cell, int]:
    tree: dict[str, int] = {}

    def total(a: str) -> int:
        if a not in tree:
            tree[a] = own[a] + sum(total(c) for c in children[a])
        return tree[a]

    sizes: dict[Cell, int] = {}
    for a in children:
        sizes["tree", a] = total(a)
        if children[a]:
            sizes["own", a] = own[a]
    return sizes


def _determined(hidden: list[Cell], rows: list[dict[Cell, int]]) -> set[Cell]:
    """Hidden cells whose value follows from the equations (unit vector in the row space)."""
    index = {c: i for i, c in enumerate(hidden)}
    matrix = [[Fraction(r.get(c, 0)) for c in hidden] for r in rows]
    # Row-reduce.
    pivots: list[int] = []
    rank = 0
    for col in range(len(hidden)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    found = set()
    for r in range(rank):
        nonzero = [c for c in range(len(hidden)) if matrix[r][c] != 0]
        if len(nonzero) == 1:
            found.add(hidden[nonzero[0]])
    del index
    return found


@settings(max_examples=400, deadline=None)
@given(trees(), st.integers(2, 6))
def test_no_hidden_figure_follows_from_the_shown_ones(
    tree: tuple[dict[str, list[str]], dict[str, int]], k: int
) -> None:
    children, own = tree
    sizes = _sizes(children, own)
    eqs = equations(children)
    hidden = suppress(sizes, eqs, k)
    # Every small non-empty figure is hidden.
    assert all(c in hidden for c, n in sizes.items() if 0 < n < k)
    # Equations over the hidden cells only (shown cells are constants): subtree - own - children.
    rows = []
    for eq in eqs:
        row: dict[Cell, int] = {}
        for c, sign in [(eq.parent, 1), *((p, -1) for p in eq.parts)]:
            if c in hidden:
                row[c] = row.get(c, 0) + sign
        rows.append(row)
    # An empty figure (size 0) is known to be 0, so it counts as a shown constant.
    live = [c for c in sorted(hidden) if sizes.get(c, 0) > 0]
    assert not _determined(live, rows)


def test_a_unit_of_three_and_its_sibling_are_both_hidden() -> None:
    children = {"root": ["small", "big"], "small": [], "big": []}
    sizes = _sizes(children, {"root": 0, "small": 3, "big": 40})
    hidden = suppress(sizes, equations(children), 5)
    assert ("tree", "small") in hidden
    # root (43) is shown; without hiding "big", 43 - 40 - 0 would reveal the 3.
    assert ("tree", "big") in hidden
    assert ("tree", "root") not in hidden
