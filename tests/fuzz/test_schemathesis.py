"""Schemathesis, bounded: every operation, all checks and phases, against a real `thaksa serve`
on embedded PostgreSQL with the seed data and demo people, as a central administrator, as an
integration client with every scope and without credentials. `make fuzz` runs it long."""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.run import describe, fuzz

# Examples per operation and phase: enough for the coverage phase's every boundary and a few
# rounds of fuzzing and stateful links in about three minutes on two cores.
CI_MAX_EXAMPLES = 2


def test_schemathesis_finds_no_failure_in_any_operation(tmp_path: Path) -> None:
    outcomes = fuzz(max_examples=CI_MAX_EXAMPLES, seed=1, people=30, out=tmp_path, bounded=True)
    report = "\n".join(describe(o) for o in outcomes)
    assert all(o.operations > 0 for o in outcomes), report
    assert not any(o.failures for o in outcomes), report
