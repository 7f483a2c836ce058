"""Shared REST schemas."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.inheritance import sources
from app.domain.limits import INT4_MAX, INT4_MIN

Int4 = Annotated[int, Field(ge=INT4_MIN, le=INT4_MAX)]
"""A whole number an ``integer`` column can hold: every integer a body or parameter takes is
bounded, so none reaches the database out of its range (narrow it further with ``Field``)."""


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


T = TypeVar("T")

# A decimal read exactly and answered as a JSON number (never as a string).
Number = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="json")]


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


class SettingSourceOut(ApiModel):
    """Where one policy setting of an agency comes from (the same words for every policy)."""

    origin: Literal["own", "inherited", "default"] = Field(
        description="own: set by this agency; inherited: from `agency`, an ancestor; "
        "default: the product default"
    )
    agency: str | None = Field(description="the agency that sets it; null for the default")


def setting_sources(agency: str, set_by: Mapping[str, str | None]) -> dict[str, SettingSourceOut]:
    return {
        name: SettingSourceOut(origin=s.origin.value, agency=s.agency)
        for name, s in sources(agency, set_by).items()
    }


def put_responses(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI of a PUT that creates or replaces: 201 with `Location` when created, 200 when
    replaced (README "Writes")."""
    return {
        200: {"description": "Replaced"},
        201: {
            "description": "Created: `Location` names the new resource",
            "model": model,
            "headers": {
                "Location": {
                    "description": "the URL of the created resource",
                    "schema": {"type": "string"},
                }
            },
        },
    }


class Page(ApiModel, Generic[T]):
    """The shape of every list the API answers (README "Lists"); each list names its own
    subclass (``class PlanPage(Page[PlanOut])``), so the OpenAPI component is ``PlanPage``."""

    items: list[T]
    next_cursor: str | None = Field(
        description="pass it back as `cursor` for the next page; null on the last page"
    )


def json_number(**bounds: float) -> WithJsonSchema:
    """How a ``Decimal`` input is documented: a JSON number within ``bounds`` (``minimum``,
    ``maximum``, ``exclusiveMinimum``). Pydantic would add "or a string of digits" with a pattern
    that other regular-expression engines read differently, and cannot bound the string."""
    schema: dict[str, Any] = {"type": "number", **bounds}
    return WithJsonSchema(schema, mode="validation")
