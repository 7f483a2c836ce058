"""Assessment scoring in the domain layer: 10,000 synthetic assessments of the
Developing-Technologist profile (target: at least 2,000 a second on one core).

The required set mirrors the profile's shape (001:841-905): 27 units of capability, two of them
rated per performance criterion (DS100 with the elements and criteria of 001:103-112, and a
synthetic DT600 with 2 x 2 criteria), foundational and listed knowledge and experience,
5 attributes and 3 competencies for the present target; the Mature-Technologist set (28 units,
001:1183-1230) as the future target. Baseline, same data, same run: a plain Python loop counting
the "has" self ratings of every assessment.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence

from app.domain.assessment.items import Rating, RequiredItem
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.scoring import score
from app.domain.assessment.vocabulary import (
    LEARNING_DIMENSION_OF_DOMAIN,
    Component,
    LocalText,
    RatingValue,
    Target,
)

ASSESSMENTS = 10_000
TARGET_PER_SECOND = 2_000
REPEATS = 3

# 001:845-871, in the profile's order
PRESENT_UNITS = (
    *("SPM100", "DS200", "SPM200", "DT200", "DS100", "SPM400", "DG300", "DT100", "DLit600"),
    *("DT600", "SPM500", "DS400", "DS300", "DS500", "DT700", "DTr200", "DS600", "DS700"),
    *("DT500", "DG500", "DG400", "SPM600", "DLit400", "DLit300", "DG100", "DG600", "DL300"),
)
FUTURE_ONLY_UNITS = ("DT300",)
CRITERIA: dict[str, dict[str, tuple[str, ...]]] = {
    "DS100": {"DS101": ("DS101.1", "DS101.2"), "DS102": ("DS102.1", "DS102.2", "DS102.3")},
    "DT600": {"DT601": ("DT601.1", "DT601.2"), "DT602": ("DT602.1", "DT602.2")},
}
BOTH = frozenset({Target.PRESENT, Target.FUTURE})
PRESENT = frozenset({Target.PRESENT})
FUTURE = frozenset({Target.FUTURE})


def _domain(unit: str) -> str:
    return unit.rstrip("0123456789")


def developing_technologist() -> list[RequiredItem]:
    """The synthetic required set: present Developing-Technologist, future Mature-Technologist."""
    items: list[RequiredItem] = []

    def add(
        code: str,
        component: Component,
        targets: frozenset[Target],
        unit: str | None = None,
        element: str | None = None,
    ) -> None:
        domain = _domain(unit) if unit else None
        items.append(
            RequiredItem(
                code,
                component,
                LocalText(f"ชื่อ {code}", code),
                len(items),
                targets,
                domain_code=domain,
                learning_dimension=LEARNING_DIMENSION_OF_DOMAIN[domain] if domain else None,
                unit_code=unit,
                element_code=element,
            )
        )

    for unit in (*PRESENT_UNITS, *FUTURE_ONLY_UNITS):
        targets = FUTURE if unit in FUTURE_ONLY_UNITS else BOTH
        if unit not in CRITERIA:
            add(unit, Component.CAPABILITY, targets, unit)
            continue
        for element, criteria in CRITERIA[unit].items():
            for criterion in criteria:
                add(criterion, Component.CAPABILITY, targets, unit, element)
    for code in ("K-F1", "K-F2", "K-F3", "K-F4", "K-F5", "K-R13", "K-R5", "K-R11"):
        add(code, Component.KNOWLEDGE, BOTH)
    for code in ("E-F1", "E-F2", "E-F3", "E-F4", "E-F5", "E-R3"):
        add(code, Component.EXPERIENCE, BOTH)
    for n in range(1, 6):
        add(f"A{n}", Component.ATTRIBUTE, BOTH)
    add("C1", Component.COMPETENCY, PRESENT)
    add("C2", Component.COMPETENCY, BOTH)
    add("C3", Component.COMPETENCY, BOTH)
    return items


Ratings = dict[str, Rating]


def synthetic_assessments(
    codes: Sequence[str], n: int, seed: int = 5
) -> list[tuple[Ratings, Ratings]]:
    """Self ratings for (almost) every item, supervisor ratings for about 70% of them."""
    rnd = random.Random(seed)
    has, has_not = Rating(RatingValue.HAS), Rating(RatingValue.HAS_NOT, note="ยังไม่เคย")
    data: list[tuple[Ratings, Ratings]] = []
    for _ in range(n):
        skill = rnd.uniform(0.5, 0.98)
        self_ratings = {
            c: has if rnd.random() < skill else has_not for c in codes if rnd.random() < 0.99
        }
        supervisor = {
            c: has if rnd.random() < skill - 0.05 else has_not for c in codes if rnd.random() < 0.7
        }
        data.append((self_ratings, supervisor))
    return data


def _rate(run: Callable[[], object], n: int) -> float:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return n / statistics.median(timings)


def main() -> None:
    items = developing_technologist()
    plan = ScoringPlan.compile(items)
    data = synthetic_assessments(plan.rated_codes, ASSESSMENTS)

    def score_all() -> None:
        for self_ratings, supervisor_ratings in data:
            score(plan, self_ratings, supervisor_ratings)

    def count_has() -> None:
        for self_ratings, _ in data:
            sum(1 for r in self_ratings.values() if r.value is RatingValue.HAS)

    compile_start = time.perf_counter()
    ScoringPlan.compile(items)
    compile_ms = (time.perf_counter() - compile_start) * 1000
    scored = _rate(score_all, ASSESSMENTS)
    baseline = _rate(count_has, ASSESSMENTS)
    print(f"scoring: {len(plan.items)} rated items, {len(plan.requirements)} requirements")
    print(f"  plan compile              {compile_ms:8.2f} ms (once per required set)")
    print(f"  score                     {scored:10,.0f} assessments/s (median of {REPEATS})")
    print(f"  target {TARGET_PER_SECOND:,}/s              ratio {scored / TARGET_PER_SECOND:6.2f}")
    print(f"  baseline: count 'has'     {baseline:10,.0f} assessments/s")
    print(f"  score / baseline          ratio {scored / baseline:6.3f}")


if __name__ == "__main__":
    main()
