from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types.scalar import ScalarDefinition

from app.domain import dates
from app.domain.errors import FieldError, ValidationFailed
from app.domain.principal import Principal as PrincipalModel


def _read_date(value: object) -> date:
    found = dates.parse_date(value) if isinstance(value, str) else None
    if found is None:
        # a domain error: coded VALIDATION_FAILED with the rule, like the REST problem
        raise ValidationFailed([FieldError("", dates.RULE, dates.problem(value))])
    return found


# Every ``date`` of the schema, by the API's one date rule (app/domain/dates.py).
DATE = ScalarDefinition(
    name="Date",
    description=(
        "A calendar date, YYYY-MM-DD. In: a year of 2400 or more is Buddhist Era "
        "(2568-10-01 = 2025-10-01), a smaller one Gregorian. Out: always Gregorian (ISO 8601)."
    ),
    specified_by_url=None,
    serialize=date.isoformat,
    parse_value=_read_date,
    parse_literal=None,
    origin=date,
)


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
