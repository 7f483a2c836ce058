"""The rules of xAPI documents: the agent parameter, the merge, the entity tag and the
preconditions (xAPI-Communication §2.2 - 2.7, §3.1)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.domain.learning import documents as docs
from app.domain.learning.documents import Precondition

TAGS = st.sampled_from(['"a"', '"b"', "*", 'W/"a"', '"a", "b"'])
CURRENT = st.one_of(st.none(), st.sampled_from(['"a"', '"b"']))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)
OBJECTS = st.dictionaries(st.text(max_size=3), JSON_VALUES)
MAYBE_TAGS = st.one_of(st.none(), TAGS)


@given(agent=st.one_of(st.text(max_size=30), JSON_VALUES.map(json.dumps)))
def test_an_agent_parameter_is_an_agent_with_one_identifier_or_nothing(agent: str) -> None:
    found = docs.parse_agent(agent)
    if found is not None:
        assert isinstance(found, dict)
        assert sum(k in found for k in ("mbox", "mbox_sha1sum", "openid", "account")) == 1
        assert docs.agent_key(found)


def test_agents_are_filed_by_identifier_with_the_email_domain_in_any_case() -> None:
    one = docs.parse_agent('{"mbox": "mailto:Somchai@A.GO.TH", "name": "x"}')
    other = docs.parse_agent('{"objectType": "Agent", "mbox": "mailto:Somchai@a.go.th"}')
    assert one is not None
    assert other is not None
    assert docs.agent_key(one) == docs.agent_key(other)
    assert docs.parse_agent('{"objectType": "Group", "mbox": "mailto:g@a.go.th"}') is None
    two = '{"mbox": "mailto:a@b.th", "openid": "https://id.example/1"}'
    assert docs.parse_agent(two) is None


@given(
    old=st.dictionaries(st.text(max_size=3), JSON_VALUES),
    new=st.dictionaries(st.text(max_size=3), JSON_VALUES),
)
def test_a_merge_keeps_the_old_properties_and_takes_every_new_one(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    merged = docs.merged(json.dumps(old).encode(), json.dumps(new).encode())
    assert merged is not None
    assert json.loads(merged) == {**old, **new}


@given(value=JSON_VALUES)
def test_only_json_objects_merge(value: Any) -> None:
    text = json.dumps(value).encode()
    expected_ok = isinstance(value, dict)
    assert (docs.merged(b"{}", text) is not None) == expected_ok
    assert (docs.merged(text, b"{}") is not None) == expected_ok
    assert docs.merged(b"not json", b"{}") is None


def test_the_etag_is_the_quoted_sha1_of_the_content() -> None:
    assert docs.etag(b"abc") == '"' + hashlib.sha1(b"abc").hexdigest() + '"'  # noqa: S324


@given(
    current=CURRENT, if_match=st.one_of(st.none(), TAGS), if_none_match=st.one_of(st.none(), TAGS)
)
def test_preconditions_follow_rfc_9110(
    current: str | None, if_match: str | None, if_none_match: str | None
) -> None:
    decided = docs.precondition(current, if_match, if_none_match)
    matches = if_match is None or (current is not None and ("*" in if_match or current in if_match))
    none_matches = (
        if_none_match is None
        or current is None
        or not ("*" in if_none_match or current in if_none_match)
    )
    assert (decided is Precondition.MET) == (matches and none_matches)


def test_a_profile_put_needs_a_precondition() -> None:
    assert docs.precondition('"a"', None, None, put_needs_one=True) is Precondition.REQUIRED
    assert docs.precondition(None, None, None, put_needs_one=True) is Precondition.MISSING
    assert docs.precondition(None, None, None) is Precondition.MET
    assert docs.precondition('"a"', None, None) is Precondition.MET
    assert docs.precondition('"a"', '"a"', None, put_needs_one=True) is Precondition.MET
    assert docs.precondition(None, None, "*", put_needs_one=True) is Precondition.MET
    assert docs.precondition('"a"', None, "*", put_needs_one=True) is Precondition.FAILED


def test_json_content_types() -> None:
    assert docs.is_json_type("application/json")
    assert docs.is_json_type("Application/JSON; charset=utf-8")
    assert not docs.is_json_type("application/jsonx")
    assert not docs.is_json_type("text/plain")
    assert not docs.is_json_type(None)


def test_an_activity_takes_the_newest_definition_anywhere_in_a_statement() -> None:
    aid = "https://lms.example/a"
    context = {"contextActivities": {"parent": {"id": aid, "definition": {"type": "urn:t"}}}}
    statements = [
        {"object": {"id": "urn:other"}, "context": context},
        {"object": {"id": aid, "definition": {"name": {"th": "เก่า"}}}},
    ]
    found = docs.activity(aid, statements)
    assert found == {"objectType": "Activity", "id": aid, "definition": {"type": "urn:t"}}
    assert docs.activity("urn:none", statements) == {"objectType": "Activity", "id": "urn:none"}


def test_a_person_lists_each_identifier_and_name_as_an_array() -> None:
    agent = {"mbox": "mailto:a@b.th", "name": "A"}
    assert docs.person(agent, ["B", "A"]) == {
        "objectType": "Person",
        "name": ["A", "B"],
        "mbox": ["mailto:a@b.th"],
    }
