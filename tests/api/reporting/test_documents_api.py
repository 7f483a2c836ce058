"""Printed documents over HTTP: what an IDP1, IDP2 and assessment result PDF says, how its pages
are ruled like the form, who may print it, and the 503 without the font."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.domain.planning.methods import method_by_code
from app.services.reporting import documents_fonts
from tests.api.plans.bodies import in_force, plans_url
from tests.helpers import problem_of
from tests.pdf import need_font, pages, squeeze, text

OCSC_ITEMS = Path(__file__).resolve().parents[3] / "seed" / "ocsc" / "items.json"
MONTHS = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"
DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def printed_day(iso: str) -> str:
    """How the form prints an instant: the Bangkok day, Thai month, Buddhist Era, Thai digits."""
    day: date = (datetime.fromisoformat(iso).astimezone(UTC) + timedelta(hours=7)).date()
    month = MONTHS.split()[day.month - 1]
    return f"{day.day} {month} {day.year + 543}".translate(DIGITS)


def nfc(s: str) -> str:
    return squeeze(s)


async def test_idp1_says_the_name_items_methods_and_acknowledgement_dates(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    response = await client.get(f"{plans_url(line)}/{plan['id']}/idp1.pdf", headers=line["officer"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    said = text(response.content)
    assert nfc(plan["person_name"]) in said
    assert nfc(f"พ.ศ. {line['year']}".translate(DIGITS)) in said
    # each item's competencies by the OCSC framework's names, though another framework has a
    # DG100 of its own (the TPQI IT-executive framework, seeded beside it, names it otherwise)
    ocsc = {i["code"]: i["name_th"] for i in json.loads(OCSC_ITEMS.read_text(encoding="utf-8"))}
    assert any(c == "DG100" for item in plan["items"] for c in item["framework_items"])
    for item in plan["items"]:
        for code in item["framework_items"]:
            assert nfc(f"{code} {ocsc[code]}") in said, code
        assert nfc(item["topic"]) in said
        assert nfc(item["application"]) in said
        for activity in item["activities"]:
            method = method_by_code(activity["method"])
            assert method is not None
            assert nfc(method.name_th) in said
    assert nfc("วันที่ " + printed_day(plan["owner_ack"]["at"])) in said
    assert nfc("วันที่ " + printed_day(plan["supervisor_ack"]["at"])) in said
    head = (await client.get(f"/api/v1/people/{line['head_id']}", headers=line["head"])).json()
    assert nfc(f"({head['first_name_th']} {head['last_name_th']})") in said


async def test_idp1_pages_are_ruled_as_the_form(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    pdf = (
        await client.get(f"{plans_url(line)}/{plan['id']}/idp1.pdf", headers=line["head"])
    ).content
    found = pages(pdf)
    assert len(found) == 2  # four items and the acknowledgements: the header repeats on page 2
    assert all(p.width > p.height for p in found)  # landscape, as the form
    # the table's rules on every page: its top, under the method/quarter/evaluator headings and
    # under the header; then one rule under each item (an item whose period is given by dates
    # has a line of its own for them) and one under the acknowledgements
    dated = sum(1 for i in plan["items"] if "start" in (i["period"] or {}))
    rules = sum(len(p.rows) for p in found)
    assert rules == 3 * len(found) + len(plan["items"]) + dated + 1, [p.rows for p in found]
    # the first item's row is cut in the form's twelve columns (1, 2, three methods, 4, four
    # quarters, two evaluators): thirteen rules
    page = found[0]
    top, bottom = page.rows[2], page.rows[3]
    assert len(page.vertical_rules(top + 3, bottom - 2)) == 13


async def test_idp2_prints_each_outcome_and_the_evaluation_acknowledgements(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    url = f"{plans_url(line)}/{plan['id']}"
    rows = [
        {
            "item_id": i["id"],
            "outcome": "as_planned",
            "next_step": "continue",
            "narrative": f"ความก้าวหน้าข้อที่ {i['priority']}",
            "suggestions": "ศึกษาต่อเรื่องการวิเคราะห์ข้อมูล",
        }
        for i in plan["items"]
    ]
    assert (
        await client.put(f"{url}/evaluation", json={"items": rows}, headers=line["officer"])
    ).status_code == 200
    await client.post(f"{url}/evaluation/acknowledge", headers=line["officer"])
    done = (await client.post(f"{url}/evaluation/acknowledge", headers=line["head"])).json()
    response = await client.get(f"{url}/idp2.pdf", headers=line["officer"])
    assert response.status_code == 200, response.text
    said = text(response.content)
    for row in rows:
        assert nfc(row["narrative"]) in said
    assert said.count("☑") == 2 * len(rows)  # as planned, and continue
    assert said.count("☐") == 2 * len(rows)
    for ack in ("owner_ack", "supervisor_ack"):
        assert nfc("วันที่ " + printed_day(done["evaluation"][ack]["at"])) in said


async def test_a_document_is_read_with_the_scope_of_its_record(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    url = f"{plans_url(line)}/{plan['id']}"
    for form in ("idp1", "idp2"):
        assert (await client.get(f"{url}/{form}.pdf", headers=line["admin"])).status_code == 200
        problem_of(await client.get(f"{url}/{form}.pdf", headers=line["outsider"]), 404)
        problem_of(await client.get(f"{url}/{form}.pdf", headers=line["director"]), 404)
    other = await make_workforce(agency="OTHERAG", subject_prefix="o-")
    problem_of(await client.get(f"{url}/idp1.pdf", headers=other["admin"]), 404)


async def test_an_assessment_result_prints_the_person_and_their_readiness(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    assessment = plan["baseline_assessment_id"]
    url = f"/api/v1/people/{line['officer_id']}/assessments/{assessment}"
    response = await client.get(f"{url}/result.pdf", headers=line["head"])
    assert response.status_code == 200, response.text
    said = text(response.content)
    assert nfc(plan["person_name"]) in said
    assert "ความพร้อม" in said
    problem_of(await client.get(f"{url}/result.pdf", headers=line["outsider"]), 404)


async def test_without_the_font_documents_answer_503_saying_how_to_install_it(
    client: httpx.AsyncClient, make_workforce: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    line = await make_workforce()
    plan = await in_force(client, line)
    monkeypatch.setattr(documents_fonts, "fonts_dir", lambda: tmp_path)
    response = await client.get(f"{plans_url(line)}/{plan['id']}/idp1.pdf", headers=line["officer"])
    problem = problem_of(response, 503)
    assert "thaksa fonts install" in problem["detail"]


def test_the_font_installs_from_the_package_and_is_verified(tmp_path: Path) -> None:
    need_font()
    target = tmp_path / "fonts"
    assert documents_fonts.install(target).source in ("system", "download")
    assert documents_fonts.missing(target) is None
    (target / "Laksaman.otf").write_bytes(b"not the font")
    assert documents_fonts.install(target).source != "present"  # a changed file is replaced
    assert documents_fonts.missing(target) is None
    assert all(documents_fonts._sha256(target / n) == h for n, h in documents_fonts.FILES.items())


async def test_graphql_points_at_the_documents(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    need_font()
    line = await make_workforce()
    plan = await in_force(client, line)
    query = (
        "query($person: ID!, $plan: ID!) { plan(personId: $person, planId: $plan)"
        " { idp1Url idp2Url } }"
    )
    variables = {"person": line["officer_id"], "plan": plan["id"]}
    found = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=line["officer"]
    )
    urls = found.json()["data"]["plan"]
    for url in (urls["idp1Url"], urls["idp2Url"]):
        assert url.startswith(f"/api/v1/people/{line['officer_id']}/plans/{plan['id']}/")
        response = await client.get(url, headers=line["officer"])
        assert response.status_code == 200
        assert squeeze(plan["person_name"]) in text(response.content)
    outsider = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=line["outsider"]
    )
    assert outsider.json()["data"] is None or outsider.json()["data"]["plan"] is None


async def test_an_agency_kpi_report_prints_the_kpis_and_draws_the_heat_map(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    from tests.api.reporting.test_exports_api import finalised

    need_font()
    line = await make_workforce()
    await finalised(client, line, ("K-F3", "DLit400"))
    url = f"/api/v1/agencies/{line['agency']}/reports/kpis.pdf?fiscal_year={line['year']}"
    response = await client.get(url, headers=line["admin"])
    assert response.status_code == 200, response.text
    said = text(response.content)
    assert squeeze("สำนักงานพัฒนารัฐบาลดิจิทัล") in said
    for code in ("G1", "G2", "G3"):
        assert code in said
    assert squeeze("แผนภาพความร้อนช่องว่างทักษะ") in said
    # the heat map is drawn: cells filled with the colour scale (red over white), not only text
    assert pdfium_colour_pixels(response.content) > 0
    query = "query($c: String!, $y: Int!) { agencyKpis(code: $c, fiscalYear: $y) { pdfUrl } }"
    pointed = await client.post(
        "/graphql",
        json={"query": query, "variables": {"c": line["agency"], "y": line["year"]}},
        headers=line["admin"],
    )
    assert pointed.json()["data"]["agencyKpis"]["pdfUrl"] == url
    problem_of(await client.get(url, headers=line["outsider"]), 404)
    other = await make_workforce(agency="OTHERKP", subject_prefix="k-")
    problem_of(await client.get(url, headers=other["admin"]), 404)


def pdfium_colour_pixels(pdf: bytes) -> int:
    """Pixels of the heat map's colour scale (reddish: red well above green and blue)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    count = 0
    for i in range(len(doc)):
        bitmap = doc[i].render(scale=0.5)
        data, stride = bytes(bitmap.buffer), bitmap.stride
        channels = stride // bitmap.width if bitmap.width else 3
        for y in range(bitmap.height):
            row = data[y * stride : y * stride + bitmap.width * channels]
            for x in range(0, len(row), channels):
                b, g, r = row[x], row[x + 1], row[x + 2]  # PDFium writes BGR(A)
                if r > 150 and r - g > 40 and r - b > 40:
                    count += 1
    return count
