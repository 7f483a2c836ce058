"""The corners of the xAPI Statement resource: HEAD, the StatementRef filter conditions,
``format=canonical`` by ``Accept-Language``."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.xapi.conftest import COMPLETED, statement

SAME = ("X-Experience-API-Version", "Content-Type", "Content-Length", "Last-Modified")


async def test_head_answers_the_headers_of_get_without_a_body(
    client: httpx.AsyncClient, lrs: dict[str, Any]
) -> None:
    a = lrs["keys"]["a"]
    sent = statement()
    assert (await client.post("/xapi/statements", json=sent, headers=a)).status_code == 200
    for params in ({"statementId": sent["id"]}, {"verb": COMPLETED}):
        got = await client.get("/xapi/statements", params=params, headers=a)
        head = await client.head("/xapi/statements", params=params, headers=a)
        assert got.status_code == head.status_code == 200, head.text
        assert got.content
        assert head.content == b""
        for name in SAME:
            assert head.headers[name] == got.headers[name], name
        assert "X-Experience-API-Consistent-Through" in head.headers
    got, head = await client.get("/xapi/about"), await client.head("/xapi/about")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.headers["X-Experience-API-Version"] == "1.0.3"
    # errors too: the status and headers, no body
    missing = await client.head(
        "/xapi/statements", params={"statementId": statement()["id"]}, headers=a
    )
    assert missing.status_code == 404
    assert missing.content == b""
    unversioned = await client.head("/xapi/statements", params={"verb": COMPLETED}, headers={})
    assert unversioned.status_code in (400, 401)
    assert unversioned.content == b""
