"""The committed client contract must be what the app produces (run `make contract`)."""

from __future__ import annotations

from app.contract import graphql_sdl, openapi_document
from app.settings import REPO_ROOT


def test_committed_openapi_matches_the_app() -> None:
    committed = (REPO_ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_document(), "openapi/openapi.json is stale: run `make contract`"


def test_committed_graphql_schema_matches_the_app() -> None:
    committed = (REPO_ROOT / "openapi" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == graphql_sdl(), "openapi/schema.graphql is stale: run `make contract`"
