"""Reading one untrusted record (a JSON object) field by field, collecting every problem.

Each problem is a :class:`FieldError` whose JSON pointer names the field inside the request body
(``/17/email`` for the 18th record of a batch), with a stable rule id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from app.domain import dates
from app.domain.errors import FieldError, escape_pointer
from app.domain.text import nfc

E = TypeVar("E", bound=StrEnum)
# name, required, max length, pattern (or None), hint for the pattern's message
TextSpec = tuple[str, bool, int, re.Pattern[str] | None, str]


class RecordReader:
    """Typed access to a JSON object; wrong or missing fields become errors, not exceptions."""

    def __init__(self, raw: object, pointer: str, known: frozenset[str]) -> None:
        self.pointer = pointer
        self.errors: list[FieldError] = []
        if not isinstance(raw, Mapping):
            self.raw: Mapping[str, object] = {}
            self.errors.append(FieldError(pointer, "type", "a record must be a JSON object"))
            return
        self.raw = raw
        for key in raw:
            if key not in known:
                self.errors.append(
                    FieldError(
                        f"{pointer}/{escape_pointer(str(key))}",
                        "unknown-field",
                        f"unknown field {key!r}",
                    )
                )

    @property
    def is_object(self) -> bool:
        return not (self.errors and self.errors[0].rule == "type" and not self.raw)

    def _error(self, name: str, rule: str, message: str) -> None:
        self.errors.append(FieldError(f"{self.pointer}/{name}", rule, message))

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        max_length: int = 200,
        pattern: re.Pattern[str] | None = None,
        pattern_hint: str = "",
    ) -> str | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self._error(name, "required", f"{name} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self._error(name, "type", f"{name} must be a string")
            return None
        text = nfc(str(value))
        if not text:
            if required:
                self._error(name, "required", f"{name} must not be empty")
            return None
        if len(text) > max_length:
            self._error(name, "max-length", f"{name} is longer than {max_length} characters")
            return None
        if pattern is not None and not pattern.fullmatch(text):
            self._error(name, "format", f"{name} {text!r} is not valid{pattern_hint}")
            return None
        return text

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self._error(name, "type", f"{name} must be true or false")
            return default
        return value

    def day(self, name: str) -> date | None:
        """A date by the one rule of :mod:`app.domain.dates` (BE or CE in)."""
        value = self.raw.get(name)
        if value is None:
            return None
        parsed = dates.parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            self._error(name, dates.RULE, f"{name}: {dates.problem(value)}")
        return parsed

    def choice(self, name: str, enum: type[E], *, required: bool = False) -> E | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self._error(name, "required", f"{name} is required")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self._error(name, "enum", f"{name} {value!r} is not one of: {allowed}")
            return None


def read_texts(
    raw: Mapping[str, object], pointer: str, specs: Sequence[TextSpec], errors: list[FieldError]
) -> list[str | None]:
    """Every text field of ``specs`` in one pass: NFC, trimmed, empty as absent, checked."""
    values: list[str | None] = []
    for name, required, max_length, pattern, hint in specs:
        value = raw.get(name)
        if value is None:
            if required:
                errors.append(FieldError(f"{pointer}/{name}", "required", f"{name} is required"))
            values.append(None)
            continue
        if value.__class__ is not str:
            if isinstance(value, bool) or not isinstance(value, str | int):
                errors.append(FieldError(f"{pointer}/{name}", "type", f"{name} must be a string"))
                values.append(None)
                continue
            value = str(value)
        assert isinstance(value, str)
        text = value.strip()
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text).strip()
        if not text:
            if required:
                errors.append(
                    FieldError(f"{pointer}/{name}", "required", f"{name} must not be empty")
                )
            values.append(None)
        elif len(text) > max_length:
            errors.append(
                FieldError(
                    f"{pointer}/{name}",
                    "max-length",
                    f"{name} is longer than {max_length} characters",
                )
            )
            values.append(None)
        elif pattern is not None and pattern.fullmatch(text) is None:
            errors.append(
                FieldError(f"{pointer}/{name}", "format", f"{name} {text!r} is not valid{hint}")
            )
            values.append(None)
        else:
            values.append(text)
    return values


def read_day(
    raw: Mapping[str, object], name: str, pointer: str, errors: list[FieldError]
) -> date | None:
    """A date by the one rule of :mod:`app.domain.dates` (BE or CE in)."""
    value = raw.get(name)
    if value is None:
        return None
    parsed = dates.parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        message = f"{name}: {dates.problem(value)}"
        errors.append(FieldError(f"{pointer}/{name}", dates.RULE, message))
    return parsed
