"""An agency's reporting policy: the KPI targets (RULES G1-G3, 004:902-910: 80% each), the
smallest group a figure may describe for a viewer who may not see its people, and which plan
year G3 measures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from app.domain.errors import FieldError, ValidationFailed

_PERCENTS = ("g1_target_percent", "g2_target_percent", "g3_target_percent")


@dataclass(frozen=True, slots=True)
class ReportingPolicy:
    # G1 (004:904), G2 (004:906), G3 (004:910): "ร้อยละ ๘๐".
    g1_target_percent: int = 80
    g2_target_percent: int = 80
    g3_target_percent: int = 80
    # A figure over fewer people than this is suppressed for viewers who may not see them.
    min_group_size: int = 5
    # G3 for fiscal year Y counts the plans of Y minus this (plans of FY2564, developed within
    # FY2565: 004:904, 910).
    g3_plan_year_offset: int = 1

    def with_overrides(self, overrides: Mapping[str, Any]) -> ReportingPolicy:
        problems: list[FieldError] = []
        values: dict[str, int] = {}
        for name, value in overrides.items():
            if name not in _BOUNDS:
                problems.append(
                    FieldError(f"/{name}", "unknown-field", f"unknown setting {name!r}")
                )
                continue
            low, high = _BOUNDS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(
                    FieldError(
                        f"/{name}", "range", f"{name} is a whole number from {low} to {high}"
                    )
                )
                continue
            values[name] = value
        if problems:
            raise ValidationFailed(problems)
        return replace(self, **values)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def target_percent(self, kpi: str) -> int:
        return int(getattr(self, f"{kpi.lower()}_target_percent"))


_BOUNDS: dict[str, tuple[int, int]] = {
    **{name: (0, 100) for name in _PERCENTS},
    "min_group_size": (1, 1000),
    "g3_plan_year_offset": (0, 5),
}
SEED_POLICY = ReportingPolicy()
