"""Every KPI, funnel step and heat-map cell of a ten-person agency equals a hand count
(tests/api/reports/known_agency.py lists each person's state), and what outside viewers get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.reports.known_agency import YEAR, build

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
async def known(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
) -> dict[str, Any]:
    return await build(client, session, auth, admin_headers)


def kpi(figures: dict[str, Any], code: str) -> dict[str, Any]:
    return next(k for k in figures["kpis"] if k["code"] == code)


async def test_every_kpi_and_funnel_step_equals_the_hand_count(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/kpis?fiscal_year={YEAR}",
        headers=known["headers"]["dep_admin"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["individual"] is True
    assert body["g3_plan_year"] == YEAR - 1
    sub = body["subtree"]
    # G1: P1 P2 P3 P4 P5 P9 are civil servants; P1 P2 P9 self-assessed with an agreed plan.
    assert (kpi(sub, "G1")["numerator"], kpi(sub, "G1")["denominator"]) == (3, 6)
    assert kpi(sub, "G1")["percent"] == 50
    assert kpi(sub, "G1")["meets_target"] is False
    assert kpi(sub, "G1")["target_percent"] == 80
    # G2: P6 and P8 designated (P7 is not); P6 self-assessed with an agreed plan.
    assert (kpi(sub, "G2")["numerator"], kpi(sub, "G2")["denominator"]) == (1, 2)
    # G3: plans of 2567 agreed for P1 P6 P8 P9; as planned for P1 and P9.
    assert (kpi(sub, "G3")["numerator"], kpi(sub, "G3")["denominator"]) == (2, 4)
    assert sub["funnel"] == {
        "staff": 10,
        "not_started": 2,  # P5, P8
        "self_assessed": 7,  # P1 P2 P3 P6 P7 P9 P10
        "finalised": 5,  # P1 P3 P6 P7 P9
        "plan_agreed": 5,  # P1 P2 P6 P7 P9
        "plan_evaluated": 1,  # P1
        "suppressed": False,
    }
    children = {c["code"]: c for c in body["children"]}
    a, b = children["REP-A"], children["REP-B"]
    assert (kpi(a, "G1")["numerator"], kpi(a, "G1")["denominator"]) == (2, 5)
    assert (kpi(b, "G1")["numerator"], kpi(b, "G1")["denominator"]) == (1, 1)
    assert (a["funnel"]["staff"], b["funnel"]["staff"]) == (7, 3)
    assert body["own"]["funnel"]["staff"] == 0


async def test_every_heat_map_cell_equals_the_hand_count(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/heat-map?fiscal_year={YEAR}",
        headers=known["headers"]["dep_admin"],
    )
    assert r.status_code == 200, r.text
    cells = {(c["staff_group"], c["domain_code"]): c for c in r.json()["cells"]}
    picked = {k: (c["required"], c["not_met"], c["people"]) for k, c in cells.items()}
    assert picked == {
        ("technologist", "DS"): (6, 3, 3),  # P1 DS102, P3 DS101 DS102
        ("technologist", "DL"): (3, 1, 3),  # P9 DL101
        ("executive", "DS"): (2, 0, 1),
        ("executive", "DL"): (1, 1, 1),
    }
    assert cells["technologist", "DS"]["not_met_percent"] == 50
    assert cells["technologist", "DL"]["not_met_percent"] == 33.3


async def test_effort_mix_and_top_gaps_equal_the_hand_count(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    h = known["headers"]["dep_admin"]
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/effort-mix?fiscal_year={YEAR}", headers=h
    )
    assert r.status_code == 200, r.text
    mix = r.json()
    # P1: 14 h on-the-job (70) + 4 h feedback (20); P9: 2 h classroom (10). Ten people.
    assert mix["hours_by_bucket"] == {"70": 14, "20": 4, "10": 2}
    assert mix["percent_by_bucket"] == {"70": 70, "20": 20, "10": 10}
    assert mix["hours_per_person"] == 2
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/top-requirements?fiscal_year={YEAR}&limit=1", headers=h
    )
    top = r.json()
    # DS102: 2 of 3 not met; DL101 and DS101: 1 of 3. Strength: DL101 and DS101 met by 2 of 3
    # (DL101 first by code).
    assert [(g["code"], g["required"], g["met"]) for g in top["gaps"]] == [("DS102", 3, 1)]
    assert [s["code"] for s in top["strengths"]] == ["DL101"]
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/readiness?fiscal_year={YEAR}", headers=h
    )
    bands = {(b["staff_group"], b["band"]): b["people"] for b in r.json()["items"]}
    # P1 2/3 and P9 2/3 (50-75), P3 1/3 (25-50); P9 also executive.
    assert bands == {
        ("executive", "50-75"): 1,
        ("technologist", "25-50"): 1,
        ("technologist", "50-75"): 2,
    }


async def test_a_unit_of_three_shows_no_figure_to_an_outside_viewer(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/kpis?fiscal_year={YEAR}",
        headers=known["headers"]["dep_employee"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["individual"] is False
    children = {c["code"]: c for c in body["children"]}
    b = children["REP-B"]
    assert b["funnel"]["suppressed"]
    assert b["funnel"]["staff"] is None
    assert all(k["numerator"] is None and k["denominator"] is None for k in b["kpis"])
    # The department (10 people) is shown; so parent minus REP-A must not give REP-B: REP-A's
    # funnel is hidden as well (and the department's own staff are none).
    dep = body["subtree"]["funnel"]
    assert dep["staff"] == 10
    a = children["REP-A"]["funnel"]
    assert a["staff"] is None
    own = body["own"]["funnel"]
    known_parts = [x for x in (a["staff"], own["staff"]) if x is not None]
    assert len(known_parts) < 2  # at most one part shown: REP-B cannot be subtracted out
    # Asking for REP-B itself gives the same answer (the same suppression, whatever is asked).
    r = await client.get(
        f"/api/v1/agencies/REP-B/reports/kpis?fiscal_year={YEAR}",
        headers=known["headers"]["dep_employee"],
    )
    assert r.json()["subtree"]["funnel"]["suppressed"] is True
    # No people for an outside viewer.
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/people?fiscal_year={YEAR}",
        headers=known["headers"]["dep_employee"],
    )
    assert r.status_code == 403
    # Heat map: every cell is over three people or fewer.
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/heat-map?fiscal_year={YEAR}",
        headers=known["headers"]["dep_employee"],
    )
    assert all(c["suppressed"] and c["required"] is None for c in r.json()["cells"])


async def test_an_agency_admin_never_receives_a_figure_about_another_agency(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    h = known["headers"]["other_admin"]
    for tail in (
        f"kpis?fiscal_year={YEAR}",
        f"kpi-trend?from_year={YEAR - 1}&to_year={YEAR}",
        f"people?fiscal_year={YEAR}",
        f"heat-map?fiscal_year={YEAR}",
        f"readiness?fiscal_year={YEAR}",
        f"top-requirements?fiscal_year={YEAR}",
        f"effort-mix?fiscal_year={YEAR}",
        f"completions?fiscal_year={YEAR}",
    ):
        for code in ("REP-DEP", "REP-A", "REP-MIN"):
            r = await client.get(f"/api/v1/agencies/{code}/reports/{tail}", headers=h)
            assert r.status_code == 404, (code, tail, r.text)
    r = await client.post(
        "/graphql",
        json={"query": f'{{ agencyKpis(code: "REP-DEP", fiscalYear: {YEAR}) {{ agency }} }}'},
        headers=h,
    )
    body = r.json()
    assert body["data"] is None or body["data"].get("agencyKpis") is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_people_behind_a_figure_page_through_for_an_administrator(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    h = known["headers"]["dep_admin"]
    seen: list[dict[str, Any]] = []
    url = f"/api/v1/agencies/REP-DEP/reports/people?fiscal_year={YEAR}&limit=4"
    next_url: str | None = url
    while next_url:
        page = (await client.get(next_url, headers=h)).json()
        seen.extend(page["items"])
        next_url = f"{url}&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert len(seen) == 10
    g1 = [p for p in seen if p["g1_population"] and p["self_assessed"] and p["plan_agreed"]]
    assert sorted(p["last_name_th"] for p in g1) == ["ทดสอบP1", "ทดสอบP2", "ทดสอบP9"]


async def test_the_trend_names_each_year(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/kpi-trend?from_year={YEAR - 1}&to_year={YEAR}",
        headers=known["headers"]["central"],
    )
    assert r.status_code == 200, r.text
    years = [(i["fiscal_year"], kpi(i["subtree"], "G1")["numerator"]) for i in r.json()["items"]]
    assert years == [(YEAR - 1, 0), (YEAR, 3)]


async def test_the_target_is_inherited_agency_policy(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    central = known["headers"]["central"]
    r = await client.patch(
        "/api/v1/agencies/REP-MIN/reporting-policy",
        json={"g1_target_percent": 50},
        headers={**central, "Content-Type": "application/merge-patch+json"},
    )
    assert r.status_code == 200, r.text
    r = await client.get("/api/v1/agencies/REP-DEP/reporting-policy", headers=central)
    body = r.json()
    assert body["effective"]["g1_target_percent"] == 50
    assert body["sources"]["g1_target_percent"] == {"origin": "inherited", "agency": "REP-MIN"}
    assert body["sources"]["min_group_size"] == {"origin": "default", "agency": None}
    r = await client.get(
        f"/api/v1/agencies/REP-DEP/reports/kpis?fiscal_year={YEAR}", headers=central
    )
    assert kpi(r.json()["subtree"], "G1")["meets_target"] is True
