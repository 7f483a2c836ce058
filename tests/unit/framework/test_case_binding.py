"""The CASE 1.1 REST binding's getAllCFDocuments parameters (filter, sort, paging, field
selection), the imsx_StatusInfo body and the switch that leaves extensions out."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.framework.case_binding import (
    DocumentQuery,
    InvalidSelection,
    InvalidUuid,
    apply,
    check_identifier,
    parse_fields,
    parse_filter,
    status_info,
    without_extensions,
)
from tests import case_schemas

FIELDS = ["title", "version", "creator", "adoptionStatus", "publisher"]
values = st.text(
    st.characters(exclude_characters="'", exclude_categories=["Cs"]), max_size=12
) | st.sampled_from(["a AND b", " OR ", "x' ", "AND"]).filter(lambda v: "'" not in v)
records = st.lists(st.fixed_dictionaries({}, optional={f: values for f in FIELDS}), max_size=12)


@given(records, st.sampled_from(FIELDS), values)
def test_equals_and_contains_compare_case_insensitively(
    documents: list[dict[str, Any]], field: str, value: str
) -> None:
    equal = parse_filter(f"{field}='{value}'")
    contains = parse_filter(f"{field}~'{value}'")
    for d in documents:
        has = field in d
        assert equal.matches(d) is (has and d[field].casefold() == value.casefold())
        assert contains.matches(d) is (has and value.casefold() in d[field].casefold())


@given(records, st.sampled_from(FIELDS), values, st.sampled_from(FIELDS), values)
def test_and_needs_both_conditions_and_or_either(
    documents: list[dict[str, Any]], f1: str, v1: str, f2: str, v2: str
) -> None:
    one, two = parse_filter(f"{f1}='{v1}'"), parse_filter(f"{f2}!='{v2}'")
    both = parse_filter(f"{f1}='{v1}' AND {f2}!='{v2}'")
    either = parse_filter(f"{f1}='{v1}' OR {f2}!='{v2}'")
    for d in documents:
        assert both.matches(d) is (one.matches(d) and two.matches(d))
        assert either.matches(d) is (one.matches(d) or two.matches(d))


def test_a_quoted_value_may_hold_the_logical_words() -> None:
    parsed = parse_filter("title='Cats AND dogs' OR version='1 OR 2'")
    assert [c.value for c in parsed.conditions] == ["Cats AND dogs", "1 OR 2"]
    assert parsed.logical == "OR"
    assert parsed.matches({"title": "cats and DOGS"})


def test_arrays_compare_as_their_comma_separated_values() -> None:
    document = {"subject": ["subject1", "subject2", "subject3"]}
    assert not parse_filter("subject='subject1'").matches(document)
    assert parse_filter("subject='subject1,subject2,subject3'").matches(document)
    assert parse_filter("subject~'subject1,subject2'").matches(document)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "shoeSize='42'",
        "title=x",
        "title=='x'",
        "title='x' AND",
        "title='x' AND version='1' OR creator='y'",
        "title='x' and version='1'",
    ],
)
def test_filters_that_cannot_be_applied_are_refused(text: str) -> None:
    with pytest.raises(InvalidSelection) as refused:
        parse_filter(text)
    assert refused.value.extensions["parameter"] == "filter"


@given(records, st.integers(1, 5), st.sampled_from([*FIELDS, "shoeSize"]), st.booleans())
def test_pages_cover_the_sorted_documents_exactly_once(
    documents: list[dict[str, Any]], limit: int, sort: str, descending: bool
) -> None:
    order = "desc" if descending else "asc"
    whole = apply(DocumentQuery(limit=1000, sort=sort, order_by=order), documents)
    assert whole.total == len(documents)
    paged = []
    for offset in range(0, len(documents) + limit, limit):
        page = apply(
            DocumentQuery(limit=limit, offset=offset, sort=sort, order_by=order), documents
        )
        assert page.total == len(documents)
        paged.extend(page.records)
    assert paged == whole.records
    if sort != "shoeSize":
        keys = [d[sort].casefold() for d in whole.records if sort in d]
        assert keys == sorted(keys, reverse=descending)


def test_field_selection_keeps_the_named_fields_unless_one_is_outside_the_model() -> None:
    documents = [{"identifier": "a", "title": "t", "version": "1"}]
    assert apply(DocumentQuery(fields=("identifier", "title")), documents).records == [
        {"identifier": "a", "title": "t"}
    ]
    assert apply(DocumentQuery(fields=("title", "shoeSize")), documents).records == documents
    assert parse_fields(["identifier, title", "version"]) == ("identifier", "title", "version")
    with pytest.raises(InvalidSelection):
        parse_fields(["identifier,,title"])


def test_identifiers_must_be_uuids() -> None:
    check_identifier("6f1f8a52-3c1e-5a8e-9d0b-7468616b7361")
    for bad in ("DS100", "6F1F8A52-3C1E-5A8E-9D0B-7468616B7361", ""):
        with pytest.raises(InvalidUuid):
            check_identifier(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "extensions", "b"]), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(json_values)
def test_without_extensions_removes_them_at_every_depth_and_nothing_else(payload: Any) -> None:
    pure = without_extensions(payload)
    assert "'extensions'" not in repr(pure)
    assert without_extensions(pure) == pure


@pytest.mark.parametrize(
    ("status", "code", "major", "minor"),
    [
        (400, "invalid-selection-field", "failure", "invalid_selection_field"),
        (401, "unauthenticated", "failure", "unauthorised_request"),
        (403, "forbidden", "failure", "forbidden"),
        (404, "not-found", "failure", "unknownobject"),
        (404, "invalid-uuid", "failure", "invalid_uuid"),
        (405, "method-not-allowed", "unsupported", None),
        (422, "validation-failed", "failure", None),
        (429, "rate-limited", "failure", "server_busy"),
        (500, "internal-error", "failure", "internal_server_error"),
    ],
)
def test_status_info_follows_the_binding_vocabulary(
    status: int, code: str, major: str, minor: str | None
) -> None:
    body = status_info(status, code, "what happened", "sourcedId")
    assert case_schemas.problems(case_schemas.STATUS_INFO, body) == []
    assert (body["imsx_codeMajor"], body["imsx_severity"]) == (major, "error")
    assert body["imsx_description"] == "what happened"
    fields = body.get("imsx_codeMinor", {}).get("imsx_codeMinorField", [{}])
    assert fields[0].get("imsx_codeMinorFieldValue") == minor


filter_texts = st.lists(
    st.sampled_from(["title", "version", ".", "'", "=", "!", "<", ">", "~", " AND ", " OR ", "x"]),
    max_size=12,
).map("".join) | st.text(max_size=40)


@given(filter_texts, records)
def test_any_filter_text_is_read_or_refused_as_a_selection_error_never_crashes(
    text: str, documents: list[dict[str, Any]]
) -> None:
    try:
        parsed = parse_filter(text)
    except InvalidSelection:
        return
    for d in documents:
        parsed.matches(d)
