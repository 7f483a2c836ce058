"""Shared REST schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.domain.fiscal import MAX_BE, MIN_BE


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid", str_strip_whitespace=True)


# A fiscal year in a body, in the Buddhist Era (in a path: app.api.rest.params.FiscalYearBE).
FiscalYearIn = Annotated[
    int,
    Field(ge=MIN_BE, le=MAX_BE, description="Buddhist Era fiscal year, e.g. 2568", examples=[2568]),
]


class PrincipalOut(ApiModel):
    kind: str
    subject: str
    name: str | None
    roles: list[str]
    agency: str | None
    scopes: list[str]


def json_number(**bounds: float) -> WithJsonSchema:
    """How a ``Decimal`` input is documented: a JSON number within ``bounds`` (``minimum``,
    ``maximum``, ``exclusiveMinimum``). Pydantic would add "or a string of digits" with a pattern
    that other regular-expression engines read differently, and cannot bound the string."""
    schema: dict[str, Any] = {"type": "number", **bounds}
    return WithJsonSchema(schema, mode="validation")
