"""The provenance checks need the source documents, which are not in the repository: a fresh
clone passes without them and says so once; THAKSA_SEEDS_DIR makes them required (CI sets it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import REPO_ROOT


@pytest.fixture(scope="module")
def fresh_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `tests/seed` reads of a clone, in a folder with nothing beside it (the database
    fixtures of tests/conftest.py are left out: these tests use none)."""
    where = tmp_path_factory.mktemp("fresh")
    clone = where / "thaksa"
    # Without this file: the copy must not run these tests again, recursively.
    ignore = shutil.ignore_patterns(".*cache", Path(__file__).name)
    for folder in ("seed", "tests/seed"):
        shutil.copytree(REPO_ROOT / folder, clone / folder, ignore=ignore)
    for file in ("pyproject.toml", "app/__init__.py", "app/settings.py", "tests/__init__.py"):
        (clone / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / file, clone / file)
    assert not (where / "shared").exists()
    return clone


def _pytest_seed(clone: Path, seeds_dir: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"THAKSA_SEEDS_DIR", "PYTEST_ADDOPTS"}}
    if seeds_dir is not None:
        env["THAKSA_SEEDS_DIR"] = str(seeds_dir)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/seed"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_fresh_clone_skips_the_provenance_checks_and_says_so_on_one_line(
    fresh_checkout: Path,
) -> None:
    result = _pytest_seed(fresh_checkout, seeds_dir=None)
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    skipped = re.search(r"(\d+) skipped", summary)
    assert skipped is not None, summary
    assert "failed" not in summary, summary
    assert int(skipped.group(1)) > 100, summary
    told = [line for line in result.stdout.splitlines() if "THAKSA_SEEDS_DIR" in line]
    assert len(told) == 1, told
    assert told[0].startswith(f"SKIPPED [{skipped.group(1)}]"), told
    assert "provenance checks not run" in told[0]


def test_provenance_checks_fail_when_thaksa_seeds_dir_has_no_documents(
    fresh_checkout: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "no-documents-here"
    empty.mkdir()
    result = _pytest_seed(fresh_checkout, seeds_dir=empty)
    assert result.returncode == 1, result.stdout[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ failed", summary), summary
    assert "skipped" not in summary, summary
    assert f"not found (once) in {empty}" in result.stdout


def test_ci_requires_the_source_documents() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert 'export THAKSA_SEEDS_DIR="${THAKSA_SEEDS_DIR:-$(cd .. && pwd)/shared/seeds}"' in ci
    assert ci.index("export THAKSA_SEEDS_DIR") < ci.index("\nmake test")
