"""Shared REST schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.domain.limits import INT4_MAX, INT4_MIN

Int4 = Annotated[int, Field(ge=INT4_MIN, le=INT4_MAX)]
"""A whole number an ``integer`` column can hold: every integer a body or parameter takes is
bounded, so none reaches the database out of its range (narrow it further with ``Field``)."""


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid", str_strip_whitespace=True)


class PrincipalOut(ApiModel):
    kind: str
    subject: str
    name: str | None
    roles: list[str]
    agency: str | None
    scopes: list[str]
