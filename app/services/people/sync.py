"""What a bulk sync answers: one outcome per record, in the order the records came."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.errors import FieldError, PayloadTooLarge

MAX_RECORDS = 5000


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(slots=True)
class RecordResult:
    index: int
    key: str | None
    outcome: Outcome | None = None
    id: uuid.UUID | None = None
    errors: list[FieldError] = field(default_factory=list)


@dataclass(slots=True)
class SyncReport:
    key_name: str  # "external_id" or "code"
    dry_run: bool
    results: list[RecordResult]

    def reject(self, index: int, *errors: FieldError) -> None:
        result = self.results[index]
        result.outcome = Outcome.REJECTED
        result.id = None
        result.errors.extend(errors)

    def is_rejected(self, index: int) -> bool:
        return self.results[index].outcome is Outcome.REJECTED

    def counts(self) -> dict[str, int]:
        # ``list.count`` compares in C (members by identity); an enum's ``.value`` is a Python
        # property, paid once per outcome here instead of once per record.
        outcomes = [r.outcome for r in self.results]
        return {o.value: outcomes.count(o) for o in Outcome}

    def as_json(self) -> dict[str, Any]:
        key_name = self.key_name
        items: list[dict[str, Any]] = []
        append = items.append
        for r in self.results:
            item: dict[str, Any] = {
                "index": r.index,
                key_name: r.key,
                "outcome": _VALUES[r.outcome],
                "id": str(r.id) if r.id else None,
            }
            if r.errors:
                item["errors"] = [e.as_dict() for e in r.errors]
            append(item)
        return {"dry_run": self.dry_run, "counts": self.counts(), "results": items}


# Each outcome's plain string (a dict look-up, not the enum's ``.value`` property per record).
_VALUES: dict[Outcome | None, str | None] = {None: None, **{o: o.value for o in Outcome}}


@dataclass(frozen=True, slots=True)
class MalformedRecord:
    """An NDJSON line that is not JSON: that record is rejected, the others go on."""

    line: int
    problem: str


def reject_malformed(report: SyncReport, raw_records: list[object]) -> None:
    for index, raw in enumerate(raw_records):
        if isinstance(raw, MalformedRecord):
            report.reject(
                index,
                FieldError(
                    f"/{index}",
                    "malformed-json",
                    f"line {raw.line} is not valid JSON: {raw.problem}",
                    {"line": raw.line},
                ),
            )


def check_batch_size(count: int) -> None:
    if count > MAX_RECORDS:
        raise PayloadTooLarge(
            f"{count} records in one request; send at most {MAX_RECORDS}",
            max_records=MAX_RECORDS,
        )


def duplicates(keys: dict[int, str], pointer_field: str) -> dict[int, FieldError]:
    """Records sharing a key with another record of the same batch: all of them are rejected,
    since the batch does not say which one is right."""
    counted = Counter(keys.values())
    if len(counted) == len(keys):
        return {}
    positions: dict[str, list[int]] = {}
    for index, key in keys.items():
        if counted[key] > 1:
            positions.setdefault(key, []).append(index)
    found: dict[int, FieldError] = {}
    for key, where in positions.items():
        if len(where) < 2:
            continue
        for index in where:
            others = [f"/{i}" for i in where if i != index]
            found[index] = FieldError(
                f"/{index}/{pointer_field}",
                "duplicate-in-batch",
                f"{pointer_field} {key!r} appears more than once in this batch",
                {"also_at": others},
            )
    return found
