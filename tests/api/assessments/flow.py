"""Steps of the assessment workflow through the REST API, shared by the assessment tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

Line = dict[str, Any]


def base(line: Line, who: str = "officer") -> str:
    return f"/api/v1/people/{line[f'{who}_id']}/assessments"


def url(line: Line, assessment: dict[str, Any], tail: str = "") -> str:
    return f"{base(line)}/{assessment['id']}{tail}"


async def open_(
    client: httpx.AsyncClient, line: Line, kind: str = "baseline", by: str = "officer"
) -> dict[str, Any]:
    r = await client.post(
        base(line), json={"fiscal_year": line["year"], "kind": kind}, headers=line[by]
    )
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = r.json()
    return body


def rated_items(form: dict[str, Any]) -> list[dict[str, Any]]:
    """Every rated item of a form, in form order."""
    out: list[dict[str, Any]] = []
    for section in form["sections"]:
        out.extend(section["items"])
        for domain in section["domains"]:
            for unit in domain["units"]:
                if unit["item"] is not None:
                    out.append(unit["item"])
                for element in unit["elements"]:
                    out.extend(element["criteria"])
    return out


async def form_of(client: httpx.AsyncClient, line: Line, a: dict[str, Any]) -> dict[str, Any]:
    r = await client.get(url(line, a, "/form"), headers=line["officer"])
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def rate(
    client: httpx.AsyncClient,
    line: Line,
    a: dict[str, Any],
    values: dict[str, str],
    *,
    by: str = "officer",
    path: str = "/ratings",
) -> httpx.Response:
    ratings = [{"code": c, "value": v} for c, v in values.items()]
    if path == "/ratings":
        return await client.patch(url(line, a, path), json={"ratings": ratings}, headers=line[by])
    return await client.post(url(line, a, path), json={"ratings": ratings}, headers=line[by])


def all_has(codes: Iterable[str], *, except_: Iterable[str] = ()) -> dict[str, str]:
    skip = set(except_)
    return {c: ("has_not" if c in skip else "has") for c in codes}
