"""Hypothesis strategies: random but consistent required sets, ratings and policies."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from app.domain.assessment.items import Rating, RequiredItem
from app.domain.assessment.policy import AgencyPolicy, FinalRatingRule, PriorityKey
from app.domain.assessment.vocabulary import (
    LEARNING_DIMENSION_OF_DOMAIN,
    Component,
    RatingValue,
)
from tests.unit.assessment.builders import BOTH, FUTURE, PRESENT, ItemsBuilder

TARGETS = st.sampled_from([PRESENT, FUTURE, BOTH])
RATING = st.sampled_from([None, Rating(RatingValue.HAS), Rating(RatingValue.HAS_NOT)])
NON_CAPABILITY = [c for c in Component if c is not Component.CAPABILITY]


@st.composite
def required_sets(draw: st.DrawFn) -> list[RequiredItem]:
    b = ItemsBuilder()
    domains = draw(st.lists(st.sampled_from(sorted(LEARNING_DIMENSION_OF_DOMAIN)), max_size=5))
    for d, domain in enumerate(domains):
        # d keeps unit codes unique when a domain is drawn twice
        for u in range(draw(st.integers(1, 3))):
            unit = f"{domain}{d}{u}0"
            targets = draw(TARGETS)
            shape = draw(st.lists(st.integers(1, 3), max_size=3))  # criteria per element
            if not shape:
                b.unit(unit, targets)
                continue
            elements = {
                f"{unit[:-1]}{e + 1}": [f"{unit[:-1]}{e + 1}.{c + 1}" for c in range(n)]
                for e, n in enumerate(shape)
            }
            b.criteria(unit, elements, targets)
    for i, component in enumerate(draw(st.lists(st.sampled_from(NON_CAPABILITY), max_size=6))):
        b.item(f"{component.value[0].upper()}-{i}", component, draw(TARGETS))
    if not b.items:
        b.item("A-0", Component.ATTRIBUTE, draw(TARGETS))
    return b.items


POLICIES = st.builds(
    AgencyPolicy,
    final_rating=st.sampled_from(FinalRatingRule),
    priority=st.permutations(list(PriorityKey)).flatmap(
        lambda keys: st.integers(0, len(keys)).map(lambda n: tuple(keys[:n]))
    ),
)


@dataclass(frozen=True)
class Case:
    items: list[RequiredItem]
    self_ratings: dict[str, Rating]
    supervisor_ratings: dict[str, Rating]
    policy: AgencyPolicy


@st.composite
def cases(draw: st.DrawFn) -> Case:
    items = draw(required_sets())
    self_ratings: dict[str, Rating] = {}
    supervisor: dict[str, Rating] = {}
    for item in items:
        if (s := draw(RATING)) is not None:
            self_ratings[item.code] = s
        if (v := draw(RATING)) is not None:
            supervisor[item.code] = v
    return Case(items, self_ratings, supervisor, draw(POLICIES))
