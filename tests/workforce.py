"""A small organisation ready for assessments and plans, built through the real API:
frameworks loaded, an agency with a declared stage, and a line director > head > officer whose
officer has an approved staff-group assignment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients

FISCAL_YEAR = 2568
OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="operator", roles=frozenset({Role.CENTRAL_ADMIN})
)

PROPOSE = """mutation($person: ID!, $year: Int!, $groups: [GroupShareInput!]!) {
  proposeGroupAssignment(personId: $person, fiscalYear: $year, groups: $groups) { id state }
}"""
APPROVE = "mutation($id: ID!) { approveGroupAssignment(id: $id) { state } }"


async def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def _gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    body = await _ok(
        await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    )
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def build_workforce(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
    *,
    agency: str = "DGA",
    stage: str = "developing",
    groups: tuple[str | dict[str, Any], ...] = ("TECHNOLOGIST",),
    year: int = FISCAL_YEAR,
    subject_prefix: str = "",
) -> dict[str, Any]:
    """``groups`` are group names, or whole ``GroupShareInput`` objects (a partial group's
    ``items``). Returns ids and headers: ``officer`` (the person), ``head`` (first-line supervisor),
    ``director`` (second level), ``admin`` (agency_admin), ``outsider`` (another agency).
    ``subject_prefix`` sets their logins apart when two organisations are built."""
    tree = [
        {"code": f"{agency}-MIN", "name_th": "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "kind": "ministry"},
        {
            "code": agency,
            "name_th": "สำนักงานพัฒนารัฐบาลดิจิทัล",
            "kind": "department",
            "parent": f"{agency}-MIN",
        },
        {
            "code": f"{agency}-OUT",
            "name_th": "หน่วยงานอื่น",
            "kind": "department",
            "parent": f"{agency}-MIN",
        },
    ]
    await _ok(await client.post("/api/v1/agencies/bulk", json=tree, headers=admin_headers))
    await _ok(
        await client.put(
            f"/api/v1/agencies/{agency}/stages/{year}",
            json={"stage": stage, "announced_on": "2024-10-01"},
            headers=admin_headers,
        )
    )
    issued = await clients.create_client(
        session, OPERATOR, name="HRIS", agency=f"{agency}-MIN", scopes=["people:write"]
    )
    await session.flush()
    hris = {"X-API-Key": issued.api_key}

    def rec(ext: str, subject: str, supervisor: str | None, unit: str = agency) -> dict[str, Any]:
        r: dict[str, Any] = {
            "external_id": ext,
            "first_name_th": "สมศรี",
            "last_name_th": f"รักงาน{ext}",
            "agency": unit,
            "subject": subject,
            "position_title": "นักวิชาการคอมพิวเตอร์",
        }
        if supervisor:
            r["supervisor"] = supervisor
        return r

    p = subject_prefix
    people = [
        rec("DIR", f"{p}director", None),
        rec("HEAD", f"{p}head", "DIR"),
        rec("OFF", f"{p}officer", "HEAD"),
        rec("OTHER", f"{p}outsider", None, f"{agency}-OUT"),
    ]
    body = await _ok(await client.post("/api/v1/people/bulk", json=people, headers=hris))
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    line: dict[str, Any] = {
        "agency": agency,
        "year": year,
        "officer_id": ids["OFF"],
        "head_id": ids["HEAD"],
        "director_id": ids["DIR"],
        "outsider_id": ids["OTHER"],
        "officer": auth(f"{p}officer", "employee", agency=agency),
        "head": auth(f"{p}head", "employee", "supervisor", agency=agency),
        "director": auth(f"{p}director", "employee", "supervisor", agency=agency),
        "admin": auth(f"{agency.lower()}-admin", "agency_admin", agency=agency),
        "outsider": auth(f"{p}outsider", "employee", "supervisor", agency=f"{agency}-OUT"),
    }
    shares = [g if isinstance(g, dict) else {"group": g} for g in groups]
    proposal = (
        await _gql(client, PROPOSE, line["head"], person=ids["OFF"], year=year, groups=shares)
    )["proposeGroupAssignment"]
    if proposal["state"] != "APPROVED":
        await _gql(client, APPROVE, line["director"], id=proposal["id"])
    return line


WorkforceFactory = Callable[..., Awaitable[dict[str, Any]]]
