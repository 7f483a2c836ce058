"""Who is calling: a person with a user token, or an integration client with an API key."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    AGENCY_ADMIN = "agency_admin"
    CENTRAL_ADMIN = "central_admin"


class PrincipalKind(StrEnum):
    USER = "user"
    CLIENT = "client"


# Scopes an integration client can be granted. Users act through roles instead.
KNOWN_SCOPES: frozenset[str] = frozenset(
    {
        "people:read",
        "people:write",
        "groups:read",
        "groups:write",
        "agencies:read",
        "agencies:write",
        "completions:write",
        "statements:read",
        "statements:write",
        "courses:read",
        "courses:write",
        "frameworks:read",
        "audit:read",
    }
)


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    subject: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    agency: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None

    @property
    def is_client(self) -> bool:
        return self.kind is PrincipalKind.CLIENT

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
