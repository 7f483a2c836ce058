"""The seed's framework contents, built without a database."""

from __future__ import annotations

from functools import cache
from typing import Any

from app.domain.framework.model import FrameworkContent
from app.domain.framework.native import seed_document
from app.domain.framework.validation import read_document
from tests.seed.sources import seed_json


def ocsc_document() -> dict[str, Any]:
    return seed_document(
        seed_json("ocsc/framework.json"),
        seed_json("ocsc/items.json"),
        seed_json("ocsc/role_profiles.json"),
    )


def tpqi_document() -> dict[str, Any]:
    crosswalk = seed_json("crosswalks/tpqi-it-exec__ocsc.json")
    return seed_document(
        seed_json("tpqi-it-exec/framework.json"),
        seed_json("tpqi-it-exec/items.json"),
        [],
        [crosswalk],
    )


@cache
def ocsc() -> FrameworkContent:
    parsed = read_document(ocsc_document())
    assert parsed.errors == []
    return parsed.content


@cache
def tpqi() -> FrameworkContent:
    parsed = read_document(tpqi_document())
    assert parsed.errors == []
    return parsed.content
