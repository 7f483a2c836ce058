"""docs/planning.md is the reference for agencies and integrators: keep it in step with the code."""

from __future__ import annotations

from dataclasses import fields

from app.domain.planning.methods import METHODS
from app.domain.planning.policy import PlanningPolicy
from app.domain.planning.rules import RULES
from app.settings import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "planning.md").read_text(encoding="utf-8")


def test_the_method_table_lists_every_method_as_the_code_defines_it() -> None:
    missing = [
        m.code
        for m in METHODS
        if f"| `{m.code}` | {m.name_th} | {m.name_en} | {int(m.bucket)} | "
        f"{'yes' if m.has_lecture_share else ''} | {', '.join(m.seeds)} |" not in DOC
    ]
    assert missing == []


def test_the_rule_table_lists_every_rule_with_its_severity_and_seed() -> None:
    rows = {
        line.split(" | ")[0].strip("| `"): line
        for line in DOC.splitlines()
        if line.startswith("| `")
    }
    wrong = [
        r.id
        for r in RULES.values()
        if r.id not in rows
        or f"| {r.severity.value} | {r.summary}" not in rows[r.id]
        or not rows[r.id].endswith(f"| {r.seed} |")
    ]
    assert wrong == []


def test_the_policy_table_names_every_setting() -> None:
    assert [f.name for f in fields(PlanningPolicy) if f"`{f.name}`" not in DOC] == []
