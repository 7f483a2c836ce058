"""The source documents the seed cites, and the checks that a cited line carries a text.

The documents are not part of the repository. They are read from ``THAKSA_SEEDS_DIR`` when it is
set (then they must be there: a missing document fails, so CI cannot skip these checks unseen),
else from ``shared/seeds`` beside the repository when that folder exists. Without either (a fresh
clone) every check that reads them is skipped, for one reason from one place, so that pytest
reports them on one line. Text is compared after NFC, with whitespace and footnote superscripts
removed. A text is at ``NNN:A-B`` when line A, or lines A..B joined, contain it.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.settings import REPO_ROOT

SEED = REPO_ROOT / "seed"
DEFAULT_SOURCES = REPO_ROOT.parent / "shared" / "seeds"
_GIVEN = os.environ.get("THAKSA_SEEDS_DIR")
SOURCES: Path | None = (
    Path(_GIVEN) if _GIVEN else DEFAULT_SOURCES if DEFAULT_SOURCES.is_dir() else None
)
NOT_RUN = (
    "provenance checks not run (seed/ texts at the lines they cite in the source documents"
    " 000-004): no THAKSA_SEEDS_DIR and no ../shared/seeds beside the repository;"
    " set THAKSA_SEEDS_DIR to the folder holding 000_*.txt ... 004_*.txt to run them"
)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
REF = re.compile(r"^(\d{3}):(\d+)(?:-(\d+))?$")


def seed_json(relative: str) -> Any:
    return json.loads((SEED / relative).read_text(encoding="utf-8"))


def squash(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", "".join(ch for ch in text if ch not in SUPERSCRIPTS))


def source_lines(prefix: str) -> tuple[str, ...]:
    if SOURCES is None:
        pytest.skip(NOT_RUN)  # every skip from this line, for this reason: one summary line
    return _read_source(SOURCES, prefix)


@cache
def _read_source(folder: Path, prefix: str) -> tuple[str, ...]:
    found = sorted(folder.glob(f"{prefix}_*.txt"))
    assert len(found) == 1, (
        f"source document {prefix}_*.txt not found (once) in {folder}: point THAKSA_SEEDS_DIR"
        " at the folder holding the source documents"
    )
    return tuple(found[0].read_text(encoding="utf-8").split("\n"))


def cited(ref: str | None) -> str | None:
    """The squashed text of a cited line or range, or None if the reference is malformed."""
    match = REF.match(ref or "")
    if not match:
        return None
    lines = source_lines(match.group(1))
    first = int(match.group(2))
    last = int(match.group(3) or first)
    if not 1 <= first <= last <= len(lines):
        return None
    return "".join(squash(line) for line in lines[first - 1 : last])


def is_at(text: str, ref: str | None) -> bool:
    where = cited(ref)
    return where is not None and bool(squash(text)) and squash(text) in where


def printed_form(value: str, resolutions: list[dict[str, Any]]) -> str:
    """A resolved text with its resolutions undone: what the source printed."""
    for r in resolutions:
        if r["resolved"] and r["resolved"] in value:
            value = value.replace(r["resolved"], r["printed"])
    return value


def is_nfc(obj: Any) -> bool:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj) == obj
    if isinstance(obj, list):
        return all(is_nfc(x) for x in obj)
    if isinstance(obj, dict):
        return all(is_nfc(k) and is_nfc(v) for k, v in obj.items())
    return True
