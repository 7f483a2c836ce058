"""IDP2 rules: each row of a complete evaluation broken in one way gets only that finding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from app.domain.planning.evaluation import validate_evaluation
from app.domain.planning.model import ItemEvaluation, NextStep, Outcome
from tests.unit.planning.builders import valid_plan

PLAN = valid_plan()


def complete() -> list[ItemEvaluation]:
    return [
        ItemEvaluation(
            i.id,
            Outcome.AS_PLANNED,
            NextStep.CONTINUE,
            "จัดทำรายงานด้วยสเปรดชีตได้เอง",
            "ต่อยอดด้วยการวิเคราะห์ข้อมูล",
        )
        for i in PLAN.items
    ]


def _set(index: int, **changes: object) -> Callable[[list[ItemEvaluation]], list[ItemEvaluation]]:
    def change(rows: list[ItemEvaluation]) -> list[ItemEvaluation]:
        rows[index] = replace(rows[index], **changes)  # type: ignore[arg-type]
        return rows

    return change


CASES: list[
    tuple[str, Callable[[list[ItemEvaluation]], list[ItemEvaluation]], list[tuple[str, str]]]
] = [
    ("F2", lambda rows: rows[:2] + rows[3:], [("F2", "/items")]),
    (
        "P-EVALUATION-ITEM (unknown)",
        lambda rows: [*rows, replace(rows[1], item_id="zz")],
        [("P-EVALUATION-ITEM", "/items/4/item_id")],
    ),
    (
        "P-EVALUATION-ITEM (twice)",
        lambda rows: [*rows, rows[0]],
        [("P-EVALUATION-ITEM", "/items/4/item_id")],
    ),
    ("F3 (outcome)", _set(0, outcome=None), [("F3", "/items/0/outcome")]),
    ("F3 (next step)", _set(3, next_step=None), [("F3", "/items/3/next_step")]),
    ("F4", _set(2, narrative="  "), [("F4", "/items/2/narrative")]),
    (
        "F6",
        _set(2, outcome=Outcome.NOT_AS_PLANNED, narrative="ย้ายงานกลางปี"),
        [("F6", "/items/2/next_step")],
    ),
]


@pytest.mark.parametrize(("rule", "breaking", "expected"), CASES, ids=[c[0] for c in CASES])
def test_an_evaluation_breaking_one_rule_gets_only_that_rules_findings(
    rule: str,
    breaking: Callable[[list[ItemEvaluation]], list[ItemEvaluation]],
    expected: list[tuple[str, str]],
) -> None:
    assert [
        (f.rule, f.pointer) for f in validate_evaluation(PLAN, breaking(complete()))
    ] == expected


def test_a_complete_evaluation_has_no_findings() -> None:
    assert validate_evaluation(PLAN, complete()) == []


def test_an_item_not_going_to_plan_and_revised_is_what_the_seed_asks() -> None:
    rows = _set(1, outcome=Outcome.NOT_AS_PLANNED, next_step=NextStep.REVISE)(complete())
    assert validate_evaluation(PLAN, rows) == []


def test_a_missing_row_names_the_item_by_priority() -> None:
    (f2,) = validate_evaluation(PLAN, complete()[1:])
    assert f2.params == {"item_id": "a", "priority": 1}
    assert f2.message_en == "Evaluate item 1 of the plan."
