"""A finalised assessment keeps its scored result as rows (reports never re-score); reopening
removes them; the rows agree with the result the API scores."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.assessments.flow import rate, url
from tests.api.assessments.test_assessment_flow import submitted


async def test_finalising_stores_the_scored_result_and_reopening_removes_it(
    client: httpx.AsyncClient, session: AsyncSession, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await submitted(client, line, not_had=("DS102.2", "K-F3"))
    assert (
        await rate(client, line, a, {"DLit400": "has_not"}, by="head", path="/review")
    ).status_code == 200
    r = await client.post(url(line, a, "/finalize"), headers=line["head"])
    assert r.status_code == 200, r.text
    scored = (await client.get(url(line, a, "/results"), headers=line["head"])).json()

    summary = (
        await session.execute(
            text(
                "SELECT fiscal_year, kind, groups, present_met, present_required"
                " FROM assessment_result WHERE assessment_id = :a"
            ),
            {"a": a["id"]},
        )
    ).one()
    assert summary.fiscal_year == line["year"]
    assert summary.kind == "baseline"
    assert summary.groups == ["technologist"]
    present = scored["present"]["overall"]
    assert (summary.present_met, summary.present_required) == (present["met"], present["required"])
    rows = (
        await session.execute(
            text("SELECT code, met FROM assessment_result_requirement WHERE assessment_id = :a"),
            {"a": a["id"]},
        )
    ).all()
    stored_gaps = {code for code, met in rows if not met}
    assert stored_gaps == {g["code"] for g in scored["gaps"]}
    assert {code for code, met in rows if met} == {s["code"] for s in scored["strengths"]}

    r = await client.post(url(line, a, "/reopen"), json={"reason": "ผิดพลาด"}, headers=line["admin"])
    assert r.status_code == 200, r.text
    left = await session.scalar(
        text("SELECT count(*) FROM assessment_result_requirement WHERE assessment_id = :a"),
        {"a": a["id"]},
    )
    assert left == 0
