"""The client contract: the OpenAPI document and the GraphQL SDL, as committed in openapi/."""

from __future__ import annotations

import json
from pathlib import Path

from strawberry.printer import print_schema

from app.settings import Settings


def openapi_document() -> str:
    from app.main import create_app

    app = create_app(Settings(), database_url="postgresql+asyncpg://contract@localhost/contract")
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def graphql_sdl() -> str:
    from app.api.graphql.schema import schema

    return print_schema(schema) + "\n"


def write_contract(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("openapi.json", openapi_document()), ("schema.graphql", graphql_sdl())):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
