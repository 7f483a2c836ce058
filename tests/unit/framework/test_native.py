"""The native format: the seed files read and written back unchanged, to the byte."""

from __future__ import annotations

import json

from hypothesis import given, settings

from app.domain.framework.model import FrameworkContent
from app.domain.framework.native import content_hash, dump_document, parse_document
from tests.unit.framework.seeded import ocsc_document, tpqi_document
from tests.unit.framework.strategies import contents


def test_the_seed_documents_round_trip_to_the_byte() -> None:
    for document in (ocsc_document(), tpqi_document()):
        parsed = parse_document(document)
        assert parsed.errors == []
        again = dump_document(parsed.content)
        assert json.dumps(again, ensure_ascii=False, indent=2) == json.dumps(
            document, ensure_ascii=False, indent=2
        )


@settings(max_examples=60, deadline=None)
@given(contents(with_crosswalk=True))
def test_any_version_round_trips_through_its_document(content: FrameworkContent) -> None:
    document = json.loads(json.dumps(dump_document(content)))
    parsed = parse_document(document)
    assert parsed.errors == []
    assert parsed.content == content
    assert dump_document(parsed.content) == document


def test_the_content_hash_ignores_the_version_label_but_not_the_content() -> None:
    parsed = parse_document(ocsc_document()).content
    relabelled = parsed.with_version("2561.7")
    assert content_hash(relabelled) == content_hash(parsed)
    first = parsed.items[0]
    changed = parsed.model_copy(
        update={"items": (first.model_copy(update={"name_en": "changed"}), *parsed.items[1:])}
    )
    assert content_hash(changed) != content_hash(parsed)


def test_shape_problems_are_reported_with_pointers_and_the_rest_still_read() -> None:
    document = ocsc_document()
    document["items"][3] = {**document["items"][3], "name_th": 7}
    del document["items"][5]["code"]
    document["items"][6]["colour"] = "red"
    document["format"] = "something-else"
    parsed = parse_document(document)
    found = {(e.pointer, e.rule) for e in parsed.errors}
    assert ("/format", "format") in found
    assert ("/items/3/name_th", "string_type") in found
    assert ("/items/5/code", "missing") in found
    assert ("/items/6/colour", "extra_forbidden") in found
    assert len(parsed.content.items) == len(document["items"]) - 3


def test_a_document_that_is_not_an_object_is_one_problem() -> None:
    parsed = parse_document(["not", "a", "framework"])
    assert [(e.pointer, e.rule) for e in parsed.errors] == [("", "type")]
    assert not parsed.meta_ok
