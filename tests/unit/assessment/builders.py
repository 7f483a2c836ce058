"""Small required sets built by hand for the assessment tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.domain.assessment.items import Rating, RequiredItem
from app.domain.assessment.vocabulary import (
    LEARNING_DIMENSION_OF_DOMAIN,
    Component,
    LocalText,
    RatingValue,
    Target,
)

PRESENT = frozenset({Target.PRESENT})
FUTURE = frozenset({Target.FUTURE})
BOTH = PRESENT | FUTURE
HAS = Rating(RatingValue.HAS)
HAS_NOT = Rating(RatingValue.HAS_NOT)


class ItemsBuilder:
    """Appends items in framework order (``order`` is the position of the call)."""

    def __init__(self) -> None:
        self.items: list[RequiredItem] = []

    def _add(self, item: RequiredItem) -> ItemsBuilder:
        self.items.append(item)
        return self

    def unit(self, code: str, targets: frozenset[Target] = PRESENT) -> ItemsBuilder:
        """A unit of capability rated itself (the framework gives it no criteria)."""
        domain = code.rstrip("0123456789")
        return self._add(
            RequiredItem(
                code,
                Component.CAPABILITY,
                LocalText(f"หน่วย {code}", f"Unit {code}"),
                len(self.items),
                targets,
                domain_code=domain,
                learning_dimension=LEARNING_DIMENSION_OF_DOMAIN[domain],
                unit_code=code,
                domain_title=LocalText(f"ด้าน {domain}", f"Domain {domain}"),
            )
        )

    def criteria(
        self,
        unit: str,
        elements: Mapping[str, Iterable[str]],
        targets: frozenset[Target] = PRESENT,
    ) -> ItemsBuilder:
        """A unit rated through its elements' performance criteria."""
        domain = unit.rstrip("0123456789")
        for element, criteria in elements.items():
            for criterion in criteria:
                self._add(
                    RequiredItem(
                        criterion,
                        Component.CAPABILITY,
                        LocalText(f"เกณฑ์ {criterion}", f"Criterion {criterion}"),
                        len(self.items),
                        targets,
                        domain_code=domain,
                        learning_dimension=LEARNING_DIMENSION_OF_DOMAIN[domain],
                        unit_code=unit,
                        element_code=element,
                        domain_title=LocalText(f"ด้าน {domain}", f"Domain {domain}"),
                        unit_title=LocalText(f"หน่วย {unit}", f"Unit {unit}"),
                        element_title=LocalText(f"ย่อย {element}", f"Element {element}"),
                    )
                )
        return self

    def item(
        self, code: str, component: Component, targets: frozenset[Target] = PRESENT
    ) -> ItemsBuilder:
        return self._add(
            RequiredItem(code, component, LocalText(f"ข้อ {code}", None), len(self.items), targets)
        )


# DS100's elements and criteria as the seed gives them (001:103-112).
DS100_ELEMENTS = {"DS101": ("DS101.1", "DS101.2"), "DS102": ("DS102.1", "DS102.2", "DS102.3")}


def ds100_profile() -> list[RequiredItem]:
    """A small present/future set around DS100, counted by hand in the tests.

    present: DLit300, DG100, DS100 (5 criteria), DT200, K-F1, K-R3, E-F1, A1, C2  -> 9 requirements
    future:  DG100, DS100, DT200, DT300, K-R3, A1                                -> 6 requirements
    """
    b = ItemsBuilder()
    b.unit("DLit300", PRESENT).unit("DG100", BOTH)
    b.criteria("DS100", DS100_ELEMENTS, BOTH)
    b.unit("DT200", BOTH).unit("DT300", FUTURE)
    b.item("K-F1", Component.KNOWLEDGE, PRESENT).item("K-R3", Component.KNOWLEDGE, BOTH)
    b.item("E-F1", Component.EXPERIENCE, PRESENT)
    b.item("A1", Component.ATTRIBUTE, BOTH)
    b.item("C2", Component.COMPETENCY, PRESENT)
    return b.items


def all_has(
    items: Iterable[RequiredItem], overrides: Mapping[str, Rating] | None = None
) -> dict[str, Rating]:
    """A rating of "has" for every item, except the given overrides."""
    ratings = {item.code: HAS for item in items}
    ratings.update(overrides or {})
    return ratings
