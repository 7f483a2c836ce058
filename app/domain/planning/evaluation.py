"""Validation of an IDP2 evaluation (004:1657-1680, rules F1-F6): every item, once, with its
outcome, next step and a narrative."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.planning.findings import Finding
from app.domain.planning.model import DevelopmentPlan, ItemEvaluation, NextStep, Outcome
from app.domain.planning.rules import finding


def validate_evaluation(plan: DevelopmentPlan, rows: Sequence[ItemEvaluation]) -> list[Finding]:
    """Every finding of an evaluation of ``plan``; pointers are into the evaluation's rows."""
    findings: list[Finding] = []
    evaluated: set[str] = set()
    for index, row in enumerate(rows):
        at = f"/items/{index}"
        if plan.item(row.item_id) is None or row.item_id in evaluated:
            findings.append(finding("P-EVALUATION-ITEM", f"{at}/item_id"))
            continue
        evaluated.add(row.item_id)
        if row.outcome is None:
            findings.append(finding("F3", f"{at}/outcome"))
        if row.next_step is None:
            findings.append(finding("F3", f"{at}/next_step", "next_step"))
        if not row.narrative:
            findings.append(finding("F4", f"{at}/narrative"))
        if row.outcome is Outcome.NOT_AS_PLANNED and row.next_step is NextStep.CONTINUE:
            findings.append(finding("F6", f"{at}/next_step"))
    for item in plan.by_priority():
        if item.id not in evaluated:
            findings.append(finding("F2", "/items", item_id=item.id, priority=item.priority))
    return findings
