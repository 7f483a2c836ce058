"""The words of an assessment: components, targets, the rating scale, learning dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Component(StrEnum):
    """The four components of digital skill (001:9) plus the managerial competencies (001:219)."""

    CAPABILITY = "capability"
    KNOWLEDGE = "knowledge"
    EXPERIENCE = "experience"
    ATTRIBUTE = "attribute"
    COMPETENCY = "competency"


COMPONENT_ORDER: Final[tuple[Component, ...]] = tuple(Component)


class Target(StrEnum):
    """Present: the agency's declared stage; future: the next stage (003:655). Mature has none."""

    PRESENT = "present"
    FUTURE = "future"


class RatingValue(StrEnum):
    """The seed's scale: "มี" (has) or "ไม่มี" (has not) per required item (004:962)."""

    HAS = "has"
    HAS_NOT = "has_not"


class Rater(StrEnum):
    SELF = "self"
    SUPERVISOR = "supervisor"


class ItemLevel(StrEnum):
    """Where an item sits: capability is rated per performance criterion where the framework has
    criteria, else per unit (001:114); the other components are rated item by item."""

    CRITERION = "criterion"
    UNIT = "unit"
    ITEM = "item"


# The 5 learning dimensions group the 7 skill sets (003:663-683).
LEARNING_DIMENSION_OF_DOMAIN: Final[dict[str, int]] = {
    "DLit": 1,
    "DG": 2,
    "DT": 3,
    "DS": 3,
    "SPM": 4,
    "DL": 4,
    "DTr": 5,
}
LEARNING_DIMENSIONS: Final[tuple[int, ...]] = (1, 2, 3, 4, 5)

# DLit and DG are the skill sets everyone should be developed in (003:685).
FOUNDATIONAL_DOMAINS: Final[frozenset[str]] = frozenset({"DLit", "DG"})


@dataclass(frozen=True, slots=True)
class LocalText:
    """A text in Thai (the authority) and, where the framework gives one, English."""

    th: str
    en: str | None = None
