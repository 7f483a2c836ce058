"""The seed's catalogue (``seed/catalogue/``, described in seed/FORMAT.md) as catalogue records.

Every curriculum row of 004:1135-1369 becomes a course of the learning source it names (the
BMA's own when it names none), keyed by a stable code made of the curriculum and the row's
number (``technologist.2.1``; ``technologist.F1`` in the foundational section). The course
serves the curriculum's staff groups by the methods ticked on the row, develops the row's OCSC
units and knowledge items, takes its scope from the capability catalogue's topic of the same
category and number (004:1043-1131) and keeps its seed line as ``source``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The learning source of a row that names none: the curricula are the BMA's (004:1135).
DEFAULT_PROVIDER = "bma"


@dataclass(frozen=True, slots=True)
class SeedCatalogue:
    providers: list[dict[str, Any]]  # provider bodies (PUT /course-providers/{code})
    courses: dict[str, list[dict[str, Any]]]  # provider code -> course records


def course_code(curriculum: str, row: Mapping[str, Any]) -> str:
    number = str(row["number"])
    if row.get("section") == "foundational":
        return f"{curriculum}.F{number}"
    return f"{curriculum}.{number}"


def seed_catalogue(
    providers: list[Mapping[str, Any]],
    capabilities: Mapping[str, Any],
    curricula: Mapping[str, Any],
) -> SeedCatalogue:
    bodies = [
        {
            "code": p["code"],
            "name_th": p["name_th"],
            "name_en": p.get("name_en"),
            "kind": p["kind"],
            "home_pages": list(p.get("urls") or []),
            "source": p.get("source"),
        }
        for p in providers
    ]
    scopes: dict[tuple[int, str], str] = {}
    for category in capabilities.get("categories", []):
        for unit in category.get("units", []):
            for topic in unit.get("topics", []):
                scopes[(category["number"], str(topic["number"]))] = topic.get("scope_th") or ""
    courses: dict[str, list[dict[str, Any]]] = {b["code"]: [] for b in bodies}
    for curriculum in curricula.get("curricula", []):
        for row in curriculum.get("rows", []):
            provider = row.get("provider") or DEFAULT_PROVIDER
            scope = (
                scopes.get((row["category"], str(row["number"])), "")
                if row.get("category") is not None
                else ""
            )
            courses.setdefault(provider, []).append(
                {
                    "code": course_code(curriculum["key"], row),
                    "title_th": row["title_th"],
                    "scope_th": scope,
                    "items": [*row.get("units", []), *row.get("knowledge", [])],
                    "groups": list(curriculum["groups"]),
                    "methods": list(row["methods"]),
                    "source": row["source"],
                }
            )
    return SeedCatalogue(bodies, courses)
