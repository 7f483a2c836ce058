"""A person's assessments, listed for whoever may see the person."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import base, open_
from tests.helpers import problem_of


async def test_a_person_and_their_supervisor_list_the_persons_assessments_newest_first(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    baseline = await open_(client, line, "baseline")
    reflection = await open_(client, line, "reflection")
    for who in ("officer", "head", "admin"):
        response = await client.get(base(line), headers=line[who])
        assert response.status_code == 200, response.text
        assert [a["id"] for a in response.json()["items"]] == [reflection["id"], baseline["id"]]


async def test_someone_who_cannot_see_the_person_gets_404(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    await open_(client, line, "baseline")
    problem_of(await client.get(base(line), headers=line["outsider"]), 404)
    problem_of(await client.get(base(line)), 401)


async def test_a_person_with_no_assessment_has_an_empty_list(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    response = await client.get(base(line), headers=line["officer"])
    assert response.json() == {"items": [], "next_cursor": None}
