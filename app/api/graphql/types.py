from __future__ import annotations

import strawberry

from app.domain.principal import Principal as PrincipalModel


@strawberry.type(
    description="The caller: a person (user token) or an integration client (API key)."
)
class Principal:
    kind: str
    subject: str
    name: str | None
    roles: list[str]
    agency: str | None
    scopes: list[str]

    @classmethod
    def from_model(cls, p: PrincipalModel) -> Principal:
        return cls(
            kind=p.kind.value,
            subject=p.subject,
            name=p.name,
            roles=sorted(r.value for r in p.roles),
            agency=p.agency,
            scopes=sorted(p.scopes),
        )
