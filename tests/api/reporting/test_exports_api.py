"""Exports over HTTP: Thai headers, Buddhist Era years, XLSX date cells, jobs with progress,
and the reports' scope (an agency administrator of A never gets a row about B)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.domain.reporting.exports import COLUMNS, ExportKind
from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.api.plans.bodies import in_force
from tests.helpers import problem_of


def bangkok_day_be(iso: str) -> str:
    day = (datetime.fromisoformat(iso).astimezone(UTC) + timedelta(hours=7)).date()
    return f"{day.year + 543}-{day.month:02d}-{day.day:02d}"


async def finalised(client: httpx.AsyncClient, line: dict[str, Any], gaps: tuple[str, ...]) -> Any:
    a = await open_(client, line)
    codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
    assert (await rate(client, line, a, all_has(codes, except_=gaps))).status_code == 200
    assert (await client.post(url(line, a, "/submit"), headers=line["officer"])).status_code == 200
    done = await client.post(url(line, a, "/finalize"), headers=line["head"])
    assert done.status_code == 200, done.text
    return done.json()


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_people_readiness_csv_has_thai_headers_be_years_and_the_persons_gaps(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    done = await finalised(client, line, ("K-F3",))
    results = (await client.get(url(line, done, "/results"), headers=line["head"])).json()
    response = await client.get(
        "/api/v1/exports/people_readiness",
        params={"agency": line["agency"], "fiscal_year": line["year"]},
        headers=line["admin"],
    )
    rows = read_csv(response)
    assert rows[0] == [c.header_th for c in COLUMNS[ExportKind.PEOPLE_READINESS]]
    by_name = {r[3]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    officer = by_name["สมศรี รักงานOFF"]
    assert officer["ปีงบประมาณ (พ.ศ.)"] == str(line["year"])
    assert officer["วันที่ยืนยันผล"] == bangkok_day_be(done["finalized_at"])
    present = results["present"]["overall"]
    assert officer["ผ่าน (เป้าหมายปัจจุบัน)"] == str(present["met"])
    assert officer["ที่กำหนด (เป้าหมายปัจจุบัน)"] == str(present["required"])
    gap_codes = sorted(
        g["code"] for g in results["gaps"] if "present" in g.get("targets", ["present"])
    )
    assert officer["รายการช่องว่างทักษะ"].split() == gap_codes
    assert by_name["สมศรี รักงานHEAD"]["ผ่าน (เป้าหมายปัจจุบัน)"] == ""  # not assessed
    assert int(response.headers["X-Total-Rows"]) == len(rows) - 1


async def test_plans_xlsx_has_thai_headers_and_real_date_cells_shown_in_the_buddhist_era(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await in_force(client, line)
    response = await client.get(
        "/api/v1/exports/plans",
        params={"agency": line["agency"], "fiscal_year": line["year"], "format": "xlsx"},
        headers=line["admin"],
    )
    assert response.status_code == 200, response.text
    book = zipfile.ZipFile(io.BytesIO(response.content))
    strings = (
        book.read("xl/sharedStrings.xml").decode()
        if "xl/sharedStrings.xml" in book.namelist()
        else ""
    )
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    styles = book.read("xl/styles.xml").decode()
    inline = "".join(re.findall(r"<t[^>]*>([^<]*)</t>", sheet + strings))
    for column in COLUMNS[ExportKind.PLANS]:
        assert column.header_th in inline
    assert "[$-th-TH,107]" in styles  # dates shown in the Thai Buddhist calendar
    # the acknowledgement dates are numbers (serial days) in cells styled as dates
    ack = datetime.fromisoformat(plan["owner_ack"]["at"]).astimezone(UTC) + timedelta(hours=7)
    serial = (ack.date() - datetime(1899, 12, 30).date()).days
    cells = re.findall(r'<c r="([A-Z]+)2"[^>]*?(?: s="(\d+)")?[^>]*><v>([^<]*)</v></c>', sheet)
    numbers = {col: value for col, _, value in cells}
    assert numbers.get("J") == str(serial)  # วันที่ผู้รับการพัฒนารับทราบ
    assert numbers.get("E") == str(line["year"])  # the fiscal year, Buddhist Era


async def test_an_admin_of_a_never_gets_a_row_about_b(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    a = await make_workforce()
    b = await make_workforce(agency="AGB", subject_prefix="b-")
    await in_force(client, b)
    for kind in ("people_readiness", "plans", "kpis"):
        params = {"agency": b["agency"], "fiscal_year": b["year"]}
        problem_of(
            await client.get(f"/api/v1/exports/{kind}", params=params, headers=a["admin"]), 404
        )
        mine = await client.get(
            f"/api/v1/exports/{kind}", params={**params, "agency": a["agency"]}, headers=a["admin"]
        )
        assert "AGB" not in mine.content.decode("utf-8-sig")
    job = await client.post(
        "/api/v1/export-jobs",
        json={"kind": "plans", "agency": b["agency"], "fiscal_year": b["year"]},
        headers=a["admin"],
    )
    problem_of(job, 404)
    # people rows need someone who may see the people: a supervisor may not
    problem_of(
        await client.get(
            "/api/v1/exports/people_readiness",
            params={"agency": a["agency"], "fiscal_year": a["year"]},
            headers=a["head"],
        ),
        403,
    )


async def test_a_job_reports_progress_and_gives_its_file_to_its_owner_only(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    await in_force(client, line)
    made = await client.post(
        "/api/v1/export-jobs",
        json={
            "kind": "plans",
            "format": "csv",
            "agency": line["agency"],
            "fiscal_year": line["year"],
        },
        headers=line["admin"],
    )
    assert made.status_code == 202, made.text
    assert made.json()["rows_total"] == 1
    status = await client.get(made.headers["Location"], headers=line["admin"])
    body = status.json()
    assert (body["state"], body["rows_done"], body["progress"]) == ("done", 1, 1.0)
    rows = read_csv(await client.get(body["download_url"], headers=line["admin"]))
    assert rows[0][0] == "รหัสหน่วยงาน"
    assert len(rows) == 2
    problem_of(await client.get(made.headers["Location"], headers=line["head"]), 404)
    problem_of(await client.get(body["download_url"], headers=line["head"]), 404)


async def test_a_direct_export_over_the_limit_points_at_jobs(
    client: httpx.AsyncClient, make_workforce: Any, runtime: Any, monkeypatch: Any
) -> None:
    line = await make_workforce()
    monkeypatch.setattr(runtime.settings, "export_stream_max_rows", 2)
    problem = problem_of(
        await client.get(
            "/api/v1/exports/people_readiness",
            params={"agency": line["agency"], "fiscal_year": line["year"]},
            headers=line["admin"],
        ),
        413,
    )
    assert "export-jobs" in problem["detail"]


async def test_the_kpi_table_exports_each_kpi_of_the_report(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    await finalised(client, line, ("K-F3",))
    params = {"agency": line["agency"], "fiscal_year": line["year"]}
    report = await client.get(
        f"/api/v1/agencies/{line['agency']}/reports/kpis",
        params={"fiscal_year": line["year"]},
        headers=line["admin"],
    )
    assert report.status_code == 200, report.text
    rows = read_csv(await client.get("/api/v1/exports/kpis", params=params, headers=line["admin"]))
    assert rows[0] == [c.header_th for c in COLUMNS[ExportKind.KPIS]]
    subtree = [r for r in rows[1:] if r[0] == line["agency"] and r[2] == "รวมหน่วยงานในสังกัด"]
    expected = {k["code"]: k for k in report.json()["subtree"]["kpis"]}
    assert [r[4] for r in subtree] == list(expected)
    for r in subtree:
        k = expected[r[4]]
        assert r[3] == str(line["year"])
        assert r[5] == ("" if k["numerator"] is None else str(k["numerator"]))
        assert r[6] == ("" if k["denominator"] is None else str(k["denominator"]))
