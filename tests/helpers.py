"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

import httpx


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert the response is an RFC 9457 problem with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    for key in ("type", "title", "status", "detail", "instance"):
        assert key in body, body
    assert body["status"] == status
    return body
