"""An assessment keeps the framework version current when it opened: publishing a new version
changes what new assessments ask, never an old one."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import form_of, open_, rated_items, url

NEW_TITLE = "เข้าใจและใช้ข้อมูลดิจิทัล (ฉบับปรับปรุง)"


async def test_an_old_assessment_is_unchanged_after_a_new_framework_version_is_published(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    old = await open_(client, line)
    before = await form_of(client, line, old)
    old_title = next(i for i in rated_items(before) if i["code"] == "DLit400")["title"]

    exported = await client.get("/api/v1/frameworks/ocsc/export", headers=admin_headers)
    assert exported.status_code == 200, exported.text
    document = exported.json()
    for item in document["items"]:
        if item["code"] == "DLit400":
            item["name_th"] = NEW_TITLE
    document["framework"]["version"] = "2561.9"
    r = await client.post(
        "/api/v1/frameworks/import",
        params={"publish": "true"},
        json=document,
        headers=admin_headers,
    )
    assert r.status_code == 201, r.text

    after = await form_of(client, line, old)
    assert after["sections"] == before["sections"]
    assert next(i for i in rated_items(after) if i["code"] == "DLit400")["title"] == old_title
    again = (await client.get(url(line, old), headers=line["officer"])).json()
    assert again["framework_version_id"] == old["framework_version_id"]

    new = await open_(client, line, "reflection")
    assert new["framework_version_id"] != old["framework_version_id"]
    assert new["targets"]["version_label"] != old["targets"]["version_label"]
    fresh = next(i for i in rated_items(await form_of(client, line, new)) if i["code"] == "DLit400")
    assert fresh["title"]["th"] == NEW_TITLE
