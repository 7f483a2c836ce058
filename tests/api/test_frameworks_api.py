"""REST reads of the frameworks, tied to the seeds (the "Must show" list of the issue)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.helpers import problem_of

API = "/api/v1/frameworks"
Headers = dict[str, str]


@pytest.fixture
def reader(seeded: dict[str, Any], auth: Callable[..., Headers]) -> Headers:
    return auth("somsri", "employee", agency="MOF")


async def get(client: httpx.AsyncClient, path: str, headers: Headers, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_reads_need_credentials_and_clients_need_the_frameworks_read_scope(
    client: httpx.AsyncClient, seeded: dict[str, Any], admin_headers: Headers
) -> None:
    problem_of(await client.get(API), 401)
    mof = [{"code": "MOF", "name_th": "กระทรวงการคลัง", "kind": "ministry"}]
    await client.post("/api/v1/agencies/bulk", json=mof, headers=admin_headers)
    keys = {}
    for scopes in ([], ["frameworks:read"]):
        created = await client.post(
            "/api/v1/clients",
            json={"name": "HRIS", "agency": "MOF", "scopes": scopes},
            headers=admin_headers,
        )
        keys[bool(scopes)] = {"X-API-Key": created.json()["api_key"]}
    body = problem_of(await client.get(f"{API}/ocsc/units", headers=keys[False]), 403)
    assert body["required_scope"] == "frameworks:read"
    assert (await client.get(f"{API}/ocsc/units", headers=keys[True])).status_code == 200


async def test_frameworks_are_listed_with_their_current_published_versions(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    body = (await get(client, "", reader))["items"]
    assert [(f["key"], f["current_version"]) for f in body] == [
        ("ocsc", "2561"),
        ("tpqi-it-exec", "2563"),
    ]
    ocsc = body[0]
    assert ocsc["versions"][0]["status"] == "published"
    counts = ocsc["versions"][0]["counts"]
    assert (counts["domain"], counts["unit"], counts["knowledge"], counts["experience"]) == (
        7,
        39,
        23,
        18,
    )
    assert (counts["attribute"], counts["competency"], counts["dimension"]) == (5, 4, 5)


async def test_units_per_domain_are_those_of_001(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    units = (await get(client, "/ocsc/units", reader))["items"]
    assert len(units) == 39
    assert Counter(u["parent"] for u in units) == {
        "DLit": 7,
        "DG": 6,
        "DT": 7,
        "DS": 7,
        "SPM": 6,
        "DL": 3,
        "DTr": 3,
    }
    assert len((await get(client, "/ocsc/units", reader, domain="DTr"))["items"]) == 3
    dimension_3 = (await get(client, "/ocsc/units", reader, dimension=3))["items"]
    assert {u["parent"] for u in dimension_3} == {"DT", "DS"}
    assert len(dimension_3) == 14
    problem_of(await client.get(f"{API}/ocsc/units", params={"domain": "XX"}, headers=reader), 404)


async def test_ds100_has_two_elements_and_five_criteria(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    unit = await get(client, "/ocsc/units/DS100", reader)
    assert unit["parent_item"]["code"] == "DS"
    assert [e["code"] for e in unit["elements"]] == ["DS101", "DS102"]
    assert [[c["code"] for c in e["criteria"]] for e in unit["elements"]] == [
        ["DS101.1", "DS101.2"],
        ["DS102.1", "DS102.2", "DS102.3"],
    ]
    assert unit["source"] == "001:53"
    problem_of(await client.get(f"{API}/ocsc/units/K-R1", headers=reader), 404)


async def test_any_item_comes_with_children_examples_and_the_profiles_requiring_it(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    item = await get(client, "/ocsc/items/K-F1", reader)
    assert item["kind"] == "knowledge"
    assert item["attrs"]["group"] == "foundational"
    assert len(item["examples"]) == 5
    assert len(item["required_by"]) == 18
    assert {r["origin"] for r in item["required_by"]} == {"foundational"}
    domain = await get(client, "/ocsc/items/DS", reader)
    assert [c["code"] for c in domain["children"]] == [f"DS{n}00" for n in range(1, 8)]
    dlit400 = await get(client, "/ocsc/items/DLit400", reader)
    assert len(dlit400["required_by"]) == 18


async def test_every_resolved_profile_has_the_foundational_items_dlit400_and_dg100(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    profiles = (await get(client, "/ocsc/role-profiles", reader))["items"]
    assert len(profiles) == 18
    for p in profiles:
        resolved = {c: [r["code"] for r in rs] for c, rs in p["resolved"].items()}
        assert resolved["knowledge"][:5] == [f"K-F{i}" for i in range(1, 6)]
        assert resolved["experience"][:5] == [f"E-F{i}" for i in range(1, 6)]
        assert {"DLit400", "DG100"} <= set(resolved["unit"])
        assert resolved["attribute"] == [f"A{i}" for i in range(1, 6)]


async def test_mature_technologist_shows_printed_and_resolved_codes(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    profile = await get(client, "/ocsc/role-profiles/mature/technologist", reader)
    printed = [(e["printed_code"], e["code"]) for e in profile["printed"]["unit"]]
    assert ("DT200", "DTr200") in printed
    assert ("DT300", "DTr300") in printed
    resolved = {r["code"]: r for r in profile["resolved"]["unit"]}
    assert resolved["DTr200"]["printed_code"] == "DT200"
    assert resolved["DTr300"]["printed_code"] == "DT300"
    assert "DTr300" in resolved["DTr300"]["note"]
    assert resolved["DT200"]["printed_code"] is None
    knowledge = profile["resolved"]["knowledge"]
    assert {r["origin"] for r in knowledge} == {"foundational", "inherited"}
    assert {r["inherited_from"] for r in knowledge if r["origin"] == "inherited"} <= {
        "early/technologist",
        "developing/technologist",
    }
    assert [r["defect"] for r in profile["resolutions"]].count("misprinted-unit-code") == 2
    problem_of(
        await client.get(f"{API}/ocsc/role-profiles/ancient/technologist", headers=reader), 422
    )


async def test_the_tpqi_digital_dna_unit_keeps_its_sheet_codes_and_system_ids(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    unit = await get(client, "/tpqi-it-exec/units/DL700", reader)
    assert unit["attrs"]["book_code"] == "DL100"
    assert len(unit["elements"]) == 3
    criteria = [c for e in unit["elements"] for c in e["criteria"]]
    assert [c["attrs"]["system_id"] for c in criteria] == [str(n) for n in range(191372, 191383)]
    assert [c["attrs"]["book_code"] for c in criteria][:2] == ["DL101.01", "DL101.02"]


async def test_dl100_means_three_different_units_and_is_never_confused(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    ocsc = await get(client, "/ocsc/items/DL100", reader)
    tpqi = await get(client, "/tpqi-it-exec/items/DL100", reader)
    dna = await get(client, "/tpqi-it-exec/items/DL700", reader)
    assert "Digital DNA" in ocsc["name_th"]
    assert "Digital DNA" not in tpqi["name_th"]
    assert (tpqi["framework"], tpqi["parent"]) == ("tpqi-it-exec", "SPM")
    assert [
        (x["direction"], x["framework"], x["code"], x["relation"]) for x in ocsc["crosswalk"]
    ] == [("incoming", "tpqi-it-exec", "DL700", "exactMatchOf")]
    assert [(x["direction"], x["framework"], x["code"]) for x in dna["crosswalk"]] == [
        ("outgoing", "ocsc", "DL100")
    ]
    assert all(x["code"] != "DL100" or x["framework"] == "ocsc" for x in tpqi["crosswalk"])
    # both codes of the Digital-DNA unit stay findable in TPQI
    found = await get(client, "/tpqi-it-exec/search", reader, q="DL100")
    assert [(h["code"], h["matched"]) for h in found["items"][:2]] == [
        ("DL100", "code"),
        ("DL700", "alias"),
    ]


async def codes_found(client: httpx.AsyncClient, reader: Headers, key: str, q: str) -> list[str]:
    return [h["code"] for h in (await get(client, f"/{key}/search", reader, q=q))["items"]]


async def test_thai_search_finds_substrings_without_word_breaks(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    architecture = await codes_found(client, reader, "ocsc", "สถาปัตยกรรมองค์กร")
    assert architecture[:2] == ["DT200", "DT300"]
    assert await codes_found(client, reader, "ocsc", "enterprise architecture") == architecture
    assert await codes_found(client, reader, "ocsc", "Enterprise  Architecture") == architecture
    security = await codes_found(client, reader, "ocsc", "ความมั่นคงปลอดภัย")
    assert {"DT500", "K-R16"} <= set(security)
    tpqi_security = await codes_found(client, reader, "tpqi-it-exec", "ความมั่นคงปลอดภัย")
    assert {"CS100", "CS400", "CS500"} <= set(tpqi_security)


async def test_search_normalises_the_query_and_matches_aliases(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    decomposed = unicodedata.normalize("NFD", "สถาปัตยกรรม องค์กร")
    assert (await codes_found(client, reader, "ocsc", decomposed))[:2] == ["DT200", "DT300"]
    # "สมารถ" is a misprint of DS200 found only in the profiles (001:600): an alias
    hits = (await get(client, "/ocsc/search", reader, q="สมารถดิจิทัล"))["items"]
    assert [(h["code"], h["matched"]) for h in hits] == [("DS200", "alias")]
    body = problem_of(
        await client.get(f"{API}/ocsc/search", params={"q": "  "}, headers=reader), 422
    )
    assert body["errors"][0]["parameter"] == "q"


async def test_search_can_be_limited_to_kinds(client: httpx.AsyncClient, reader: Headers) -> None:
    hits = (await get(client, "/ocsc/search", reader, q="สถาปัตยกรรมองค์กร", kind="knowledge"))[
        "items"
    ]
    assert [h["code"] for h in hits] == ["K-R3"]


async def test_the_matrix_shows_units_by_staff_group_for_a_stage(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    matrix = await get(client, "/ocsc/matrix", reader, stage="mature")
    assert matrix["groups"] == [
        "executive",
        "management",
        "academic",
        "service",
        "technologist",
        "others",
    ]
    assert len(matrix["rows"]) == 39
    rows = {r["code"]: r for r in matrix["rows"]}
    assert all(rows["DLit400"]["cells"].values())
    assert rows["DTr300"]["cells"]["technologist"] is True
    knowledge = await get(client, "/ocsc/matrix", reader, stage="early", component="knowledge")
    assert len(knowledge["rows"]) == 23
    assert all(all(r["cells"].values()) for r in knowledge["rows"][:5])  # foundational


async def test_a_groups_stage_steps_list_what_it_gains(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    body = await get(client, "/ocsc/groups/technologist/stages", reader)
    assert [(s["from_stage"], s["to_stage"]) for s in body["steps"]] == [
        ("early", "developing"),
        ("developing", "mature"),
    ]
    gained = {u["code"] for s in body["steps"] for u in s["added"]["unit"]}
    assert {"DTr200", "DTr300"} <= gained


async def test_a_version_is_selected_by_label_and_unknown_ones_are_404(
    client: httpx.AsyncClient, reader: Headers
) -> None:
    unit = await get(client, "/ocsc/units/DS100", reader, version="2561")
    assert unit["version"] == "2561"
    body = problem_of(
        await client.get(f"{API}/ocsc/units/DS100", params={"version": "2599"}, headers=reader), 404
    )
    assert "2599" in body["detail"]
    problem_of(await client.get(f"{API}/nope", headers=reader), 404)
