"""Course records read with every problem at once, and the seed's curricula as courses, each
tied to its seed line."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.domain.learning.catalogue import parse_course
from app.domain.learning.catalogue_seed import DEFAULT_PROVIDER, course_code, seed_catalogue
from app.domain.text import search_key
from tests.seed.sources import seed_json


def record(**extra: Any) -> dict[str, Any]:
    return {"code": "C-1", "title_th": "การใช้ข้อมูล", "methods": ["coaching"], **extra}


def test_a_plain_record_reads_with_its_defaults() -> None:
    found, errors = parse_course(record(hours=6))
    assert errors == []
    assert found is not None
    assert found.hours == Decimal(6)
    assert found.language == "th"
    assert found.framework.key == "ocsc"
    assert found.framework.version is None


def test_every_problem_of_a_record_is_reported_with_its_pointer() -> None:
    bad = record(
        code="no spaces",
        hours=0,
        methods=["telepathy"],
        groups=["kings"],
        url="ftp://x",
        activity_ids=["not an iri"],
        extra=1,
    )
    found, errors = parse_course(bad, "/4")
    assert found is None
    assert {e.pointer for e in errors} == {
        "/4/code",
        "/4/hours",
        "/4/methods/0",
        "/4/groups/0",
        "/4/url",
        "/4/activity_ids/0",
        "/4/extra",
    }


def test_a_record_without_methods_is_refused() -> None:
    _, errors = parse_course(record(methods=[]))
    assert [e.pointer for e in errors] == ["/methods"]


@given(st.text(max_size=30), st.text(max_size=30))
def test_the_search_text_holds_the_keys_of_the_title_and_the_scope(title: str, scope: str) -> None:
    found, _ = parse_course(record(title_th=title or "x", scope_th=scope))
    if found is None:  # a title of white space only
        return
    text = found.search_text()
    assert search_key(found.title_th) in text
    assert search_key(found.scope_th) in text


def test_every_curriculum_row_becomes_one_course_at_its_seed_line() -> None:
    curricula = seed_json("catalogue/curricula.json")
    seed = seed_catalogue(
        seed_json("catalogue/providers.json"), seed_json("catalogue/capabilities.json"), curricula
    )
    rows = [(c, r) for c in curricula["curricula"] for r in c["rows"]]
    courses = [(p, c) for p, cs in seed.courses.items() for c in cs]
    assert len(courses) == len(rows) == 114
    keys = Counter((p, c["code"]) for p, c in courses)
    assert max(keys.values()) == 1
    by_key = {(p, c["code"]): c for p, c in courses}
    for curriculum, row in rows:
        provider = row["provider"] or DEFAULT_PROVIDER
        course = by_key[(provider, course_code(curriculum["key"], row))]
        assert course["source"] == row["source"]
        assert course["title_th"] == row["title_th"]
        assert course["methods"] == row["methods"]
        assert course["groups"] == curriculum["groups"]
        assert course["items"] == row["units"] + row["knowledge"]
        found, errors = parse_course(course)
        assert errors == [], (course["code"], errors)
        assert found is not None
