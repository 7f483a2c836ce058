"""Printed documents: IDP1 and IDP2 of a plan revision and a person's assessment result, as PDF.

Each document is read through the same service as its data (``plan_reads.get_plan``,
``assessment_results.results``), so whoever may not read the plan or the assessment gets the
same 404 for its document. See docs/documents-and-exports.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person
from app.db.repositories.reporting import documents as repo
from app.domain.assessment.results import AssessmentScore, TargetReadiness
from app.domain.planning.model import DevelopmentPlan
from app.domain.principal import Principal
from app.domain.reporting import documents as forms
from app.domain.text import nfc
from app.services.assessment import assessment_results
from app.services.planning import plan_reads
from app.services.reporting.documents_render import render

PDF = "application/pdf"


async def _names(session: AsyncSession, plan: DevelopmentPlan, person: Person) -> dict[str, Any]:
    codes = [c for i in plan.items for c in i.framework_items]
    supervisor = None
    ack = plan.supervisor_ack or (plan.evaluation.supervisor_ack if plan.evaluation else None)
    if ack is not None:
        supervisor = await repo.person_by_subject(session, ack.by)
    if supervisor is None and person.supervisor_id is not None:
        supervisor = await session.get(Person, person.supervisor_id)
    return {
        "item_names": await repo.item_names(session, codes),
        "supervisor_name": repo.full_name(supervisor),
        "agency_name": await repo.agency_name(session, person.agency_id),
    }


async def plan_form(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    form: str,
    revision: int | None = None,
) -> bytes:
    """The IDP1 (``form="idp1"``) or IDP2 (``"idp2"``) of a plan revision, as PDF."""
    found = await plan_reads.get_plan(session, actor, person_id, plan_id, revision=revision)
    plan = found.plan
    names = await _names(session, plan, found.loaded.party.person)
    data = forms.idp1(plan, **names) if form == "idp1" else forms.idp2(plan, **names)
    return await render(f"{form}.typ", data)


def _readiness(label: str, found: TargetReadiness | None) -> dict[str, Any] | None:
    if found is None:
        return None
    o = found.overall
    return {
        "label": label,
        "met": forms.thai_digits(o.met),
        "required": forms.thai_digits(o.required),
        "percent": forms.thai_digits(f"{100 * o.ratio:.1f}"),
        "domains": [
            {
                "code": code,
                "met": forms.thai_digits(r.met),
                "required": forms.thai_digits(r.required),
                "percent": forms.thai_digits(f"{100 * r.ratio:.1f}"),
            }
            for code, r in sorted(found.by_domain.items())
        ],
    }


def _result_data(person: Person, agency: str, a: Any, score: AssessmentScore) -> dict[str, Any]:
    status = {"draft": "ร่าง", "submitted": "ส่งแล้ว", "finalized": "ผู้บังคับบัญชายืนยันแล้ว"}
    return {
        "person_name": nfc(repo.full_name(person)),
        "position": nfc(person.position_title or ""),
        "unit": nfc(agency),
        "fiscal_year": forms.thai_digits(a.fiscal_year),
        "kind": {"baseline": "ประเมินตนเองก่อนพัฒนา", "reflection": "ประเมินหลังพัฒนา"}.get(
            a.kind, a.kind
        ),
        "status": status.get(a.status, a.status),
        "finalized": forms.thai_date(a.finalized_at) if a.finalized_at else "",
        "readiness": [
            r
            for r in (
                _readiness("เป้าหมายปัจจุบัน", score.present),
                _readiness("เป้าหมายอนาคต", score.future),
            )
            if r is not None
        ],
        "gaps": [
            {"code": g.code, "title": nfc(g.requirement.title.th), "items": list(g.items_not_met)}
            for g in score.gaps
        ],
        "strengths": [{"code": s.code, "title": nfc(s.title.th)} for s in score.strengths],
    }


async def assessment_result(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> bytes:
    """A person's assessment result (readiness, gaps, strengths) as PDF."""
    view = await assessment_results.results(session, actor, person_id, assessment_id)
    person = await session.get(Person, person_id)
    assert person is not None  # results() found them in the caller's reach
    agency = await repo.agency_name(session, view.assessment.agency_id)
    return await render("assessment.typ", _result_data(person, agency, view.assessment, view.score))
