"""The stored result of a final assessment: written once at finalisation (two statements, the
requirements in one ``unnest``), removed when the assessment is reopened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Assessment, AssessmentResult
from app.domain.assessment.stored import StoredResult

_INSERT_REQUIREMENTS = text(
    """
INSERT INTO assessment_result_requirement
    (person_id, assessment_id, code, agency_id, fiscal_year, kind, component, domain_code,
     present, future, met)
SELECT :person_id, :assessment_id, u.code, :agency_id, :fiscal_year, :kind, u.component,
       u.domain_code, u.present, u.future, u.met
FROM unnest(CAST(:codes AS text[]), CAST(:components AS text[]), CAST(:domains AS text[]),
            CAST(:presents AS bool[]), CAST(:futures AS bool[]), CAST(:mets AS bool[]))
     AS u(code, component, domain_code, present, future, met)
"""
)


async def store(
    session: AsyncSession, a: Assessment, result: StoredResult, finalized_at: datetime
) -> None:
    """Replace the stored result of ``a`` (final now) with ``result``."""
    await remove(session, a)
    session.add(
        AssessmentResult(
            person_id=a.person_id,
            assessment_id=a.id,
            agency_id=a.agency_id,
            fiscal_year=a.fiscal_year,
            kind=a.kind,
            stage=a.targets.get("stage"),
            groups=[str(g["group"]) for g in a.targets.get("groups", ())],
            present_met=result.present_met,
            present_required=result.present_required,
            future_met=result.future_met,
            future_required=result.future_required,
            finalized_at=finalized_at,
        )
    )
    await session.flush()
    rows = result.requirements
    await session.execute(
        _INSERT_REQUIREMENTS,
        {
            "person_id": a.person_id,
            "assessment_id": a.id,
            "agency_id": a.agency_id,
            "fiscal_year": a.fiscal_year,
            "kind": a.kind,
            "codes": [r.code for r in rows],
            "components": [r.component for r in rows],
            "domains": [r.domain_code for r in rows],
            "presents": [r.present for r in rows],
            "futures": [r.future for r in rows],
            "mets": [r.met for r in rows],
        },
    )


async def remove(session: AsyncSession, a: Assessment) -> None:
    """Drop the stored result of ``a`` (its requirements go with it)."""
    await session.execute(
        delete(AssessmentResult).where(
            AssessmentResult.person_id == a.person_id, AssessmentResult.assessment_id == a.id
        )
    )
