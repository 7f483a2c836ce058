"""The one way a query keeps to agency subtrees (materialised paths, see agencies-and-people.md)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute


def in_subtrees(
    path: ColumnElement[str] | InstrumentedAttribute[str], prefixes: Sequence[str] | None
) -> ColumnElement[bool]:
    """``path`` lies under one of ``prefixes``. None means every agency; an empty sequence means
    none at all (an unknown or missing agency reaches nothing: never "no filter")."""
    if prefixes is None:
        return true()
    if not prefixes:
        return false()
    return or_(*[path.startswith(p) for p in prefixes])
