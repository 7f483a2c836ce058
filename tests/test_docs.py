"""The README is where operators look: keep its settings table complete."""

from __future__ import annotations

from app.settings import REPO_ROOT, Settings


def test_readme_lists_every_setting() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`THAKSA_{name.upper()}`" not in readme]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in (REPO_ROOT / "README.md").read_text()
