"""REST shapes of agencies, people and sync answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.api.rest.schemas import ApiModel, Page
from app.db.repositories.people.agencies import AgencyView
from app.db.repositories.people.people import PersonView
from app.domain.dates import ThaiDate
from app.domain.people.agency import AgencyKind
from app.domain.people.person import EmploymentCategory, PositionType
from app.domain.roles import MaturityStage
from app.services.platform.versioning import etag


class AgencyIn(ApiModel):
    """One agency as an HR system sends it (validated record by record)."""

    code: str = Field(max_length=32, examples=["RD"], description="Official code; the key")
    name_th: str = Field(max_length=300, examples=["กรมสรรพากร"])
    name_en: str | None = Field(default=None, max_length=300, examples=["Revenue Department"])
    kind: AgencyKind
    parent: str | None = Field(
        default=None, description="The parent agency's code", examples=["MOF"]
    )
    active: bool = True


class AgencyOut(ApiModel):
    id: uuid.UUID
    code: str
    name_th: str
    name_en: str | None
    kind: str
    parent: str | None
    depth: int = Field(description="0 for a root (a ministry), 1 below it, ...")
    active: bool
    version: int = Field(description="Changes on every write; the ETag is this number quoted")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: AgencyView) -> AgencyOut:
        a = view.agency
        return cls(
            id=a.id,
            code=a.code,
            name_th=a.name_th,
            name_en=a.name_en,
            kind=a.kind,
            parent=view.parent_code,
            depth=a.depth,
            active=a.active,
            version=a.change_seq,
            created_at=a.created_at,
            updated_at=a.updated_at,
        )

    @property
    def etag(self) -> str:
        return etag(self.version)


class AgencyChanges(Page[AgencyOut]):
    """A page of the agency feed (delta sync)."""

    poll_cursor: str = Field(
        description="Where this page ends: pass it back as `cursor` later to get only what "
        "changed since (on the last page, keep it for the next poll)"
    )


class AgencyVersionOut(ApiModel):
    version: int
    recorded_at: datetime
    recorded_by: str
    code: str
    name_th: str
    name_en: str | None
    kind: str
    parent_code: str | None
    active: bool


class StageDeclarationIn(ApiModel):
    stage: MaturityStage
    announced_on: ThaiDate = Field(description="When the agency announced it (003:653)")
    note: str | None = Field(default=None, max_length=2000)


class StageDeclarationOut(ApiModel):
    agency: str
    fiscal_year: int
    stage: MaturityStage
    announced_on: ThaiDate
    declared_by: str
    declared_at: datetime
    note: str | None


class StageInForceOut(ApiModel):
    agency: str
    fiscal_year: int
    stage: MaturityStage | None = Field(description="None when no agency up the tree declared one")
    declared_by_agency: str | None
    inherited: bool = Field(description="True when the stage comes from an ancestor")
    present_target: MaturityStage | None
    future_target: MaturityStage | None = Field(description="The next stage; none after mature")


class PersonIn(ApiModel):
    """One person as an HR system sends them (validated record by record)."""

    external_id: str = Field(max_length=64, description="The HRIS key, unique in the source agency")
    employee_number: str | None = Field(default=None, max_length=32)
    first_name_th: str = Field(max_length=100, examples=["สมชาย"])
    last_name_th: str = Field(max_length=100, examples=["ใจดี"])
    first_name_en: str | None = Field(default=None, max_length=100)
    last_name_en: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    position_title: str | None = Field(default=None, max_length=200, examples=["นักวิชาการคอมพิวเตอร์"])
    position_type: PositionType | None = None
    position_level: str | None = Field(default=None, max_length=100, examples=["ชำนาญการ"])
    agency: str = Field(description="Code of the agency the person works in")
    supervisor: str | None = Field(
        default=None, description="External id of the first-line supervisor (same source)"
    )
    active: bool = True
    start_date: ThaiDate | None = None
    end_date: ThaiDate | None = None
    national_id: str | None = Field(
        default=None, description="13 digits; checked, then kept only as a keyed hash"
    )
    subject: str | None = Field(
        default=None, description="The `sub` of this person's user tokens (their login id)"
    )
    employment_category: EmploymentCategory | None = Field(
        default=None,
        description="HRIS employment category, as the agency KPIs count people (G1: "
        "ordinary_civil_servant, teacher_education; G2: the others when designated)",
    )


class PersonOut(ApiModel):
    id: uuid.UUID
    external_id: str
    source: str = Field(description="Code of the agency whose HR system sends this person")
    employee_number: str | None
    first_name_th: str | None
    last_name_th: str | None
    first_name_en: str | None
    last_name_en: str | None
    email: str | None
    position_title: str | None
    position_type: str | None
    position_level: str | None
    agency: str
    supervisor: str | None = Field(description="The supervisor's external id")
    supervisor_id: uuid.UUID | None
    active: bool
    start_date: ThaiDate | None
    end_date: ThaiDate | None
    subject: str | None
    employment_category: str | None
    has_national_id: bool
    erased: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: PersonView) -> PersonOut:
        p = view.person
        return cls(
            id=p.id,
            external_id=p.external_id,
            source=view.source_code,
            employee_number=p.employee_number,
            first_name_th=p.first_name_th,
            last_name_th=p.last_name_th,
            first_name_en=p.first_name_en,
            last_name_en=p.last_name_en,
            email=p.email,
            position_title=p.position_title,
            position_type=p.position_type,
            position_level=p.position_level,
            agency=view.agency_code,
            supervisor=view.supervisor_external_id,
            supervisor_id=p.supervisor_id,
            active=p.active,
            employment_category=p.employment_category,
            start_date=p.start_date,
            end_date=p.end_date,
            subject=p.subject,
            has_national_id=p.national_id_hash is not None,
            erased=p.erased_at is not None,
            version=p.change_seq,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class PersonChanges(Page[PersonOut]):
    """A page of the people feed (delta sync)."""

    poll_cursor: str = Field(
        description="Where this page ends: pass it back as `cursor` later to get only what "
        "changed since (on the last page, keep it for the next poll)"
    )


class DeactivateIn(ApiModel):
    end_date: ThaiDate | None = Field(default=None, description="Defaults to today")


class MatchIn(ApiModel):
    national_id: str = Field(description="13 digits; hashed at once, never stored or logged")


class RecordProblem(ApiModel):
    pointer: str
    rule: str
    detail: str


class RecordOutcome(ApiModel):
    index: int
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    id: uuid.UUID | None = Field(
        description="None for a rejected record and in a dry run's creations"
    )
    errors: list[RecordProblem] | None = None


class PersonOutcome(RecordOutcome):
    external_id: str | None


class AgencyOutcome(RecordOutcome):
    code: str | None


class Counts(ApiModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class PeopleSyncResult(ApiModel):
    dry_run: bool
    counts: Counts
    results: list[PersonOutcome]


class AgencySyncResult(ApiModel):
    dry_run: bool
    counts: Counts
    results: list[AgencyOutcome]


class AgencyVersionPage(Page[AgencyVersionOut]):
    """A page of an agency's history."""


class StageDeclarationPage(Page[StageDeclarationOut]):
    """A page of an agency's stage declarations."""


class PersonPage(Page[PersonOut]):
    """The people matched."""
