from __future__ import annotations

import pytest

from app.domain.assessment.comparison import ReadinessDelta, compare
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.results import Readiness
from app.domain.assessment.scoring import score
from app.domain.assessment.vocabulary import Component
from tests.unit.assessment.builders import (
    FUTURE,
    HAS,
    HAS_NOT,
    PRESENT,
    ItemsBuilder,
    all_has,
    ds100_profile,
)


def test_a_reflection_shows_what_was_gained_since_the_baseline() -> None:
    items = ds100_profile()
    plan = ScoringPlan.compile(items)
    baseline = score(plan, all_has(items, {"DS102.2": HAS_NOT, "K-R3": HAS_NOT, "A1": HAS_NOT}))
    reflection = score(plan, all_has(items, {"A1": HAS_NOT, "C2": HAS_NOT}))
    change = compare(baseline, reflection)

    assert [r.code for r in change.gained] == ["DS100", "K-R3"]
    assert [r.code for r in change.lost] == ["C2"]
    assert change.items_gained == ("DS102.2", "K-R3")
    assert change.items_lost == ("C2",)
    assert change.newly_required == change.no_longer_required == ()
    assert not change.unchanged
    present = change.present
    assert present is not None
    # 6/9 met before (DS100, K-R3, A1 missing), 7/9 after (A1, C2 missing)
    assert present.overall == ReadinessDelta(Readiness(6, 9), Readiness(7, 9))
    assert present.overall.delta == pytest.approx(1 / 9)
    assert present.by_component[Component.KNOWLEDGE].delta == pytest.approx(0.5)
    assert present.by_component[Component.COMPETENCY].delta == pytest.approx(-1.0)
    assert present.by_domain["DS"] == ReadinessDelta(Readiness(0, 1), Readiness(1, 1))
    assert present.by_learning_dimension[1].delta == 0
    future = change.future
    assert future is not None
    assert future.overall == ReadinessDelta(Readiness(3, 6), Readiness(5, 6))


def test_a_reflection_on_another_required_set_compares_only_what_both_require() -> None:
    before_items = ItemsBuilder().unit("DLit100").unit("DT100").item("C1", Component.COMPETENCY)
    after_items = ItemsBuilder().unit("DLit100").unit("DT100").unit("DS100")
    baseline = score(ScoringPlan.compile(before_items.items), {"DLit100": HAS_NOT})
    reflection = score(
        ScoringPlan.compile(after_items.items), {"DLit100": HAS, "DS100": HAS, "C1": HAS}
    )
    change = compare(baseline, reflection)
    assert [r.code for r in change.gained] == ["DLit100"]  # DS100 was not required before
    assert change.newly_required == ("DS100",)
    assert change.no_longer_required == ("C1",)
    assert change.items_gained == ("DLit100",)
    assert change.present is not None
    assert change.present.by_component[Component.COMPETENCY] == ReadinessDelta(
        Readiness(0, 1), None
    )
    assert change.present.by_component[Component.COMPETENCY].delta is None
    assert change.present.by_domain["DS"] == ReadinessDelta(None, Readiness(1, 1))
    assert change.future is None


def test_a_target_only_one_side_has_is_compared_against_nothing() -> None:
    developing = ItemsBuilder().unit("DLit100", PRESENT).unit("DT300", FUTURE)
    mature = ItemsBuilder().unit("DLit100", PRESENT)
    baseline = score(ScoringPlan.compile(developing.items), {"DT300": HAS})
    reflection = score(ScoringPlan.compile(mature.items), {})
    change = compare(baseline, reflection)
    assert change.future is not None
    assert change.future.overall == ReadinessDelta(Readiness(1, 1), None)
    assert change.future.overall.delta is None
