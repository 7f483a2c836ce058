"""What validation reports: findings with a stable rule id, a severity and both languages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.errors import FieldError, ValidationFailed


class Severity(StrEnum):
    ERROR = "error"  # blocks submission
    WARNING = "warning"  # informs; the plan may still be submitted


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # a seed rule id (E3, C1, ...) or a product id (P-...)
    severity: Severity
    pointer: str  # JSON pointer into the plan, e.g. /items/1/activities/0/lecture_share
    message_en: str
    message_th: str
    seed: str  # where the rule comes from, e.g. "004:1646"
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    def as_field_error(self) -> FieldError:
        return FieldError(
            self.pointer,
            self.rule,
            self.message_en,
            {
                "severity": self.severity.value,
                "detail_th": self.message_th,
                "seed": self.seed,
                "params": dict(self.params),
            },
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "message_en": self.message_en,
            "message_th": self.message_th,
            "seed": self.seed,
            "params": dict(self.params),
        }


def errors_in(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def raise_if_blocking(findings: Iterable[Finding], detail: str | None = None) -> None:
    """Refuse, listing every blocking finding, when any finding is an error."""
    blocking = errors_in(findings)
    if blocking:
        raise ValidationFailed([f.as_field_error() for f in blocking], detail)
