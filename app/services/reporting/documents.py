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
from app.services.reporting import analyses, kpis
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


KPI_NAMES_TH = {
    "G1": "ข้าราชการที่ประเมินตนเองและมีแผนพัฒนารายบุคคล",
    "G2": "บุคลากรอื่นที่กำหนดเป็นเป้าหมายซึ่งประเมินตนเองและมีแผนพัฒนารายบุคคล",
    "G3": "ผู้มีแผนพัฒนาที่ได้รับการพัฒนาตามแผน (ประเมินตาม IDP2)",
}


def _figure(value: object) -> str:
    return "-" if value is None else forms.thai_digits(value)


def _kpi_rows(f: kpis.AgencyFigures) -> list[dict[str, str]]:
    return [
        {
            "code": k.code,
            "name": KPI_NAMES_TH.get(k.code, k.code),
            "numerator": "ไม่แสดง" if k.suppressed else _figure(k.numerator),
            "denominator": "ไม่แสดง" if k.suppressed else _figure(k.denominator),
            "percent": "ไม่แสดง" if k.suppressed else _figure(k.percent),
            "target": _figure(k.target_percent),
            "meets": "" if k.meets_target is None else ("✓" if k.meets_target else "✗"),
        }
        for k in f.kpis
    ]


def _heat(found: analyses.HeatMap) -> dict[str, object]:
    groups = sorted({c.staff_group for c in found.cells})
    domains = sorted({c.domain_code for c in found.cells})
    by_key = {(c.staff_group, c.domain_code): c for c in found.cells}
    grid = []
    for domain in domains:
        row: list[dict[str, object]] = []
        for group in groups:
            cell = by_key.get((group, domain))
            if cell is None:
                row.append({"share": None, "label": ""})
            elif cell.suppressed or cell.not_met_percent is None:
                row.append({"share": None, "label": "ไม่แสดง" if cell.suppressed else "-"})
            else:
                share = float(cell.not_met_percent) / 100
                label = f"{cell.not_met_percent}% ({cell.not_met}/{cell.required})"
                row.append({"share": share, "label": forms.thai_digits(label)})
        grid.append({"domain": domain, "cells": row})
    return {"groups": groups, "rows": grid}


async def kpi_report(session: AsyncSession, actor: Principal, code: str, year: int) -> bytes:
    """An agency's KPI report for a fiscal year: the KPIs of its subtree and own staff, each
    child agency's, the funnel, and the gap heat map drawn as a chart; suppressed for this
    caller exactly as the KPI and analysis endpoints are."""
    report = await kpis.kpi_report(session, actor, code, year)
    heat = await analyses.heat_map(session, actor, code, year, "present")
    funnel = report.subtree.funnel
    data = {
        "agency": nfc(report.agency.name_th),
        "code": report.agency.code,
        "fiscal_year": forms.thai_digits(report.fiscal_year),
        "snapshot": forms.thai_date(report.snapshot_date),
        "subtree": _kpi_rows(report.subtree),
        "own": _kpi_rows(report.own),
        "children": [
            {"name": nfc(c.name_th), "code": c.code, "kpis": _kpi_rows(c)} for c in report.children
        ],
        "funnel": [
            {"label": label, "value": "ไม่แสดง" if funnel.suppressed else _figure(value)}
            for label, value in (
                ("บุคลากรทั้งหมด", funnel.staff),
                ("ยังไม่เริ่ม", funnel.not_started),
                ("ประเมินตนเองแล้ว", funnel.self_assessed),
                ("ผู้บังคับบัญชายืนยันผลแล้ว", funnel.finalised),
                ("มีแผนพัฒนาที่ตกลงแล้ว", funnel.plan_agreed),
                ("ประเมินผลตามแผนแล้ว", funnel.plan_evaluated),
            )
        ],
        "heat": _heat(heat),
    }
    return await render("kpi_report.typ", data)
