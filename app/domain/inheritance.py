"""Where an agency's policy setting comes from, in the same words for every policy: set by the
agency itself (``own``), inherited from the nearest ancestor agency that sets it
(``inherited``), or the product's default (``default``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Origin(StrEnum):
    OWN = "own"
    INHERITED = "inherited"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class SettingSource:
    origin: Origin
    agency: str | None  # the agency that sets it (itself when own); None for the default


def sources(agency: str, set_by: Mapping[str, str | None]) -> dict[str, SettingSource]:
    """Per setting, its source for ``agency``, from the code of the agency that sets it."""
    return {
        name: SettingSource(
            Origin.DEFAULT if code is None else Origin.OWN if code == agency else Origin.INHERITED,
            code,
        )
        for name, code in set_by.items()
    }
