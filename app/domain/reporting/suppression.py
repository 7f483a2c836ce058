"""Small-group suppression over the agency tree, with complementary suppression.

Every figure is additive (a numerator and a denominator): an agency's figure over its subtree
is its own staff's figure plus each child agency's. That makes one equation per agency with
children: ``subtree(A) = own(A) + sum(subtree(child))``. A figure over fewer than ``k`` people
(but more than none) is hidden (primary suppression); then, so that no hidden figure can be
recovered by subtracting the shown ones from their parent, every equation is made to hold
either no hidden figure or at least two (complementary suppression: the smallest shown figure
of the equation is hidden too, the parent itself when nothing else is left).

Why that is enough in a tree: each hidden figure takes part in at most two equations (as a
child of its parent's, as the parent of its own), and the equations form a tree. Cut the hidden
figures' graph at any hidden figure: each side holds an equation with at least two hidden
figures, so it reaches a figure with no further equation (an own-staff figure, a leaf agency,
or the top): one unknown more than equations on every side, so no hidden figure is determined.
Repeated until nothing changes (hiding a figure may break its other equation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# A cell is an agency's subtree figure ("tree", id) or its own-staff figure ("own", id).
Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Equation:
    parent: Cell
    parts: tuple[Cell, ...]


def equations(children: Mapping[str, Iterable[str]]) -> list[Equation]:
    """One equation per agency with children: its subtree = its own staff + its children."""
    found = []
    for agency, kids in children.items():
        kids = tuple(kids)
        if kids:
            found.append(
                Equation(("tree", agency), (("own", agency), *(("tree", c) for c in kids)))
            )
    return found


def suppress(sizes: Mapping[Cell, int], eqs: Iterable[Equation], k: int) -> frozenset[Cell]:
    """The cells to hide: those over 1..k-1 people, and enough others that every equation
    holds none or at least two of them. Cells absent from ``sizes`` count as size 0."""
    hidden = {c for c, n in sizes.items() if 0 < n < k}
    eqs = list(eqs)
    changed = True
    while changed:
        changed = False
        for eq in eqs:
            cells = (eq.parent, *eq.parts)
            # An empty cell is known to be zero from its size alone, and hiding it gives nothing.
            live = [c for c in cells if sizes.get(c, 0) > 0]
            count = sum(1 for c in live if c in hidden)
            if count != 1:
                continue
            shown = [c for c in eq.parts if c not in hidden and sizes.get(c, 0) > 0]
            pick = min(shown, key=lambda c: (sizes[c], c)) if shown else eq.parent
            if pick in hidden:  # the parent is the hidden one and every part is empty
                continue
            hidden.add(pick)
            changed = True
    return frozenset(hidden)
