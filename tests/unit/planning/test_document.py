"""The plan's JSON document: what is written reads back the same, and every structural problem
of a body is reported at once with its pointer."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import count

import pytest
from hypothesis import given

from app.domain.errors import ValidationFailed
from app.domain.planning import document
from app.domain.planning.model import DevelopmentPlan
from tests.unit.planning.builders import valid_plan
from tests.unit.planning.strategies import plans


def _ids() -> Callable[[], str]:
    numbers = count(1)
    return lambda: f"new-{next(numbers)}"


@given(plans())
def test_items_written_as_json_read_back_the_same(plan: DevelopmentPlan) -> None:
    written = json.loads(json.dumps(document.items_to_json(plan.items)))
    assert document.items_from_json(written, _ids()) == plan.items


def test_missing_ids_are_made_and_given_ids_are_kept() -> None:
    items = document.items_to_json(valid_plan().items)
    del items[0]["id"]
    del items[1]["activities"][0]["id"]
    read = document.items_from_json(items, _ids())
    assert read[0].id == "new-1"
    assert read[1].activities[0].id == "new-2"
    assert read[2].id == valid_plan().items[2].id


def test_every_structural_problem_is_reported_at_once() -> None:
    items = document.items_to_json(valid_plan().items)
    items[0]["priority"] = 0
    items[1]["activities"][2]["lecture_share"] = 150
    items[2]["period"] = {"quarters": [5]}
    items[3]["evaluation_methods"] = ["self", "boss"]
    items[3]["colour"] = "blue"
    with pytest.raises(ValidationFailed) as refused:
        document.items_from_json(items, _ids())
    assert {e.pointer for e in refused.value.errors} == {
        "/items/0/priority",
        "/items/1/activities/2/lecture_share",
        "/items/2/period/quarters",
        "/items/3/evaluation_methods/1",
        "/items/3/colour",
    }


def test_duplicate_ids_are_refused_with_their_pointer() -> None:
    items = document.items_to_json(valid_plan().items)
    items[1]["id"] = items[0]["id"]
    items[2]["activities"][0]["id"] = items[0]["activities"][0]["id"]
    with pytest.raises(ValidationFailed) as refused:
        document.items_from_json(items, _ids())
    assert {e.pointer for e in refused.value.errors} == {
        "/items/1/id",
        "/items/2/activities/0/id",
    }


def test_an_evaluation_reads_back_with_its_signatures() -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from app.domain.planning.model import (
        Acknowledgement,
        ItemEvaluation,
        NextStep,
        Outcome,
        PlanEvaluation,
    )

    at = datetime(2025, 9, 1, tzinfo=UTC)
    evaluation = PlanEvaluation(
        (ItemEvaluation("a", Outcome.AS_PLANNED, NextStep.CONTINUE, "ดี", ""),),
        owner_ack=Acknowledgement("officer", at),
    )
    stored = json.loads(json.dumps(document.evaluation_to_json(evaluation)))
    assert document.evaluation_from_json(stored) == evaluation
    unsigned = json.loads(
        json.dumps(document.evaluation_to_json(replace(evaluation, owner_ack=None)))
    )
    assert document.evaluation_from_json(unsigned).owner_ack is None  # type: ignore[union-attr]
