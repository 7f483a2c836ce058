"""Framework domain work on the real OCSC seed, as ratios to reading the seed JSON itself.

Baseline: ``json.loads`` of the three OCSC seed files (the least any consumer pays). Measured:
parsing and validating the native document, resolving the 18 role profiles, the three role
matrices, a CASE export and a CASE import. ``python -m bench frameworks``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.framework.case_export import to_case_package
from app.domain.framework.case_import import read_case_package
from app.domain.framework.matrix import role_matrix
from app.domain.framework.model import VersionStatus
from app.domain.framework.native import seed_document
from app.domain.framework.profiles import resolve_profiles
from app.domain.framework.validation import read_document

SEED = Path(__file__).resolve().parents[1] / "seed" / "ocsc"


def _best(fn: Callable[[], Any], repeat: int = 7, number: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def main() -> None:
    raw = {
        name: (SEED / f"{name}.json").read_text(encoding="utf-8")
        for name in ("framework", "items", "role_profiles")
    }

    def baseline() -> Any:
        return {name: json.loads(text) for name, text in raw.items()}

    data = baseline()
    document = seed_document(data["framework"], data["items"], data["role_profiles"])
    content = read_document(document).content
    resolved = resolve_profiles(content.items, content.role_profiles)
    package = to_case_package(
        content,
        status=VersionStatus.PUBLISHED,
        changed_at="2025-01-01T00:00:00+00:00",
        base_uri="https://x/ims/case/v1p1/",
    )

    cases: dict[str, Callable[[], Any]] = {
        "parse + validate native document": lambda: read_document(document),
        "resolve 18 role profiles": lambda: resolve_profiles(content.items, content.role_profiles),
        "3 role matrices (units x groups)": lambda: [
            role_matrix(content.items, resolved, s) for s in ("early", "developing", "mature")
        ],
        "CASE export (CFPackage)": lambda: to_case_package(
            content,
            status=VersionStatus.PUBLISHED,
            changed_at="2025-01-01T00:00:00+00:00",
            base_uri="https://x/ims/case/v1p1/",
        ),
        "CASE import (read + validate)": lambda: read_case_package(package),
    }
    base = _best(baseline)
    print(f"frameworks: baseline json.loads of the OCSC seed = {base * 1000:.2f} ms")
    for name, fn in cases.items():
        took = _best(fn)
        print(f"  {name:38} {took * 1000:8.2f} ms  x{took / base:6.1f} baseline")
