"""Shared REST schemas."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid", str_strip_whitespace=True)


class PrincipalOut(ApiModel):
    kind: str
    subject: str
    name: str | None
    roles: list[str]
    agency: str | None
    scopes: list[str]
