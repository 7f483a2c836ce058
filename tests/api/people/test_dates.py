"""People and stage dates take both forms, Buddhist Era (year 2400 or more) and Gregorian, over
REST and GraphQL; the API answers ISO 8601 Gregorian dates (app/domain/dates.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.people.conftest import person, sync
from tests.helpers import problem_of

# the same days spelt both ways; BE 2567 = CE 2024, a leap year (though 2567 does not divide by 4)
BOTH = [("2024-10-01", "2024-10-01"), ("2567-10-01", "2024-10-01"), ("2567-02-29", "2024-02-29")]


@pytest.mark.parametrize(("sent", "kept"), BOTH)
async def test_people_dates_take_both_forms_in_sync_put_patch_and_deactivate(
    client: httpx.AsyncClient, tree: Any, api_key: Any, sent: str, kept: str
) -> None:
    hris = await api_key("RD", "people:write")
    synced = await sync(client, [person("E", start_date=sent)], hris)
    url = f"/api/v1/people/{synced['results'][0]['id']}"
    assert (await client.get(url, headers=hris)).json()["start_date"] == kept

    put = await client.put(url, json=person("E", start_date=sent), headers=hris)
    assert (put.status_code, put.json()["start_date"]) == (200, kept), put.text
    patched = await client.patch(
        url,
        json={"end_date": sent, "start_date": None},
        headers={**hris, "Content-Type": "application/merge-patch+json"},
    )
    assert (patched.status_code, patched.json()["end_date"]) == (200, kept), patched.text
    ended = await client.post(f"{url}/deactivate", json={"end_date": sent}, headers=hris)
    assert (ended.status_code, ended.json()["end_date"]) == (200, kept), ended.text


async def test_a_day_the_buddhist_era_year_does_not_have_is_refused_by_every_path(
    client: httpx.AsyncClient, tree: Any, api_key: Any
) -> None:
    hris = await api_key("RD", "people:write")
    # BE 2568 = CE 2025, which has no 29 February (though 2568 divides by 4)
    synced = await client.post(
        "/api/v1/people/bulk", json=[person("E", start_date="2568-02-29")], headers=hris
    )
    (outcome,) = synced.json()["results"]
    assert outcome["outcome"] == "rejected"
    assert [(e["pointer"], e["rule"]) for e in outcome["errors"]] == [("/0/start_date", "date")]
    good = await sync(client, [person("E")], hris)
    url = f"/api/v1/people/{good['results'][0]['id']}"
    refused = problem_of(
        await client.post(f"{url}/deactivate", json={"end_date": "2568-02-29"}, headers=hris),
        422,
    )
    assert [(e["pointer"], e["rule"]) for e in refused["errors"]] == [("/end_date", "date")]


@pytest.mark.parametrize(("sent", "kept"), BOTH)
async def test_stage_announcements_take_both_forms_over_rest_and_graphql(
    client: httpx.AsyncClient, admin_headers: dict[str, str], sent: str, kept: str
) -> None:
    tree = [{"code": "DT-MIN", "name_th": "กระทรวงทดสอบ", "kind": "ministry"}]
    assert (await client.post("/api/v1/agencies/bulk", json=tree, headers=admin_headers)).is_success
    rest = await client.put(
        "/api/v1/agencies/DT-MIN/stages/2568",
        json={"stage": "early", "announced_on": sent},
        headers=admin_headers,
    )
    assert rest.json()["announced_on"] == kept, rest.text
    graphql = await client.post(
        "/graphql",
        json={
            "query": """mutation($on: Date!) {
              declareStage(agencyCode: "DT-MIN", fiscalYear: 2569, stage: DEVELOPING,
                           announcedOn: $on) { announcedOn } }""",
            "variables": {"on": sent},
        },
        headers=admin_headers,
    )
    assert graphql.json()["data"]["declareStage"]["announcedOn"] == kept, graphql.text
