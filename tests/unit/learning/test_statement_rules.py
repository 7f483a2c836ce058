"""The LRS's statement rules (xAPI-Data §2.4) and comparison (§2.3.1), over generated statements."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.domain.learning import statements as xapi

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
iris = st.builds(lambda host, path: f"https://{host}.example/{path}", names, names)
languages = st.sampled_from(["en-US", "th", "th-TH", "en", "zh-Hant-TW", "x-private"])
language_maps = st.dictionaries(languages, st.text(max_size=20), max_size=3)


@st.composite
def agents(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["mbox", "mbox_sha1sum", "openid", "account"]))
    value: Any = {
        "mbox": f"mailto:{draw(names)}@{draw(names)}.go.th",
        "mbox_sha1sum": draw(st.text(alphabet="0123456789abcdef", min_size=40, max_size=40)),
        "openid": draw(iris),
        "account": {"homePage": draw(iris), "name": draw(names)},
    }[kind]
    agent: dict[str, Any] = {kind: value}
    if draw(st.booleans()):
        agent["objectType"] = "Agent"
    if draw(st.booleans()):
        agent["name"] = draw(st.text(max_size=20))
    return agent


@st.composite
def scores(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(-100, 100))
    high = draw(st.integers(low + 1, low + 200))
    return {
        "scaled": draw(st.floats(-1, 1)),
        "min": low,
        "max": high,
        "raw": draw(st.integers(low, high)),
    }


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    actor: dict[str, Any]
    if draw(st.booleans()):
        actor = draw(agents())
    else:
        actor = {"objectType": "Group", "member": draw(st.lists(agents(), min_size=1, max_size=4))}
    statement: dict[str, Any] = {
        "actor": actor,
        "verb": {"id": draw(iris), "display": draw(language_maps)},
        "object": {
            "id": draw(iris),
            "definition": {"name": draw(language_maps), "type": draw(iris)},
        },
    }
    if draw(st.booleans()):
        statement["id"] = str(draw(st.uuids()))
    if draw(st.booleans()):
        statement["result"] = {
            "score": draw(scores()),
            "success": draw(st.booleans()),
            "completion": draw(st.booleans()),
            "duration": f"PT{draw(st.integers(0, 99))}H{draw(st.integers(0, 59))}M",
        }
    if draw(st.booleans()):
        statement["context"] = {
            "registration": str(draw(st.uuids())),
            "platform": draw(st.text(max_size=10)),
            "language": draw(languages),
            "contextActivities": {"parent": [{"id": draw(iris)}]},
            "extensions": {draw(iris): draw(st.integers())},
        }
    if draw(st.booleans()):
        moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
        statement["timestamp"] = moment.replace(tzinfo=UTC).isoformat()
    return statement


def rules_at(statement: object) -> set[tuple[str, str]]:
    return {(e.pointer, e.rule) for e in xapi.check_statement(statement)}


@given(statements())
def test_a_well_formed_statement_passes(statement: dict[str, Any]) -> None:
    assert xapi.check_statement(statement) == []


@given(statements(), agents())
def test_an_agent_with_two_identifiers_is_refused(
    statement: dict[str, Any], other: dict[str, Any]
) -> None:
    kind = next(k for k in xapi.IFIS if k in other)
    second = "openid" if kind != "openid" else "mbox"
    statement["actor"] = {
        **other,
        second: {"openid": "https://id.example/a"}.get(second, "mailto:a@b.go.th"),
    }
    assert ("/actor", "one-identifier") in rules_at(statement)
    statement["actor"] = {"name": "nobody"}
    assert ("/actor", "one-identifier") in rules_at(statement)


@given(statements(), st.floats(allow_nan=False).filter(lambda x: not -1 <= x <= 1))
def test_a_scaled_score_outside_minus_one_to_one_is_refused(
    statement: dict[str, Any], scaled: float
) -> None:
    statement["result"] = {"score": {"scaled": scaled}}
    assert ("/result/score/scaled", "range") in rules_at(statement)


@given(statements(), st.integers(-100, 100), st.integers(1, 50))
def test_a_raw_score_outside_min_and_max_is_refused(
    statement: dict[str, Any], low: int, above: int
) -> None:
    statement["result"] = {"score": {"min": low, "max": low + 10, "raw": low + 10 + above}}
    assert ("/result/score/raw", "range") in rules_at(statement)
    statement["result"] = {"score": {"min": low, "max": low}}
    assert ("/result/score/min", "range") in rules_at(statement)


@given(statements(), st.text(max_size=40).filter(lambda t: not xapi.is_uuid(t)))
def test_an_id_that_is_no_uuid_is_refused(statement: dict[str, Any], bad: str) -> None:
    statement["id"] = bad
    assert ("/id", "uuid") in rules_at(statement)


@given(statements(), st.text(alphabet="abc def/", max_size=20))
def test_a_verb_id_that_is_no_iri_is_refused(statement: dict[str, Any], bad: str) -> None:
    statement["verb"]["id"] = bad
    assert ("/verb/id", "iri") in rules_at(statement)


@given(statements(), names)
def test_extension_keys_and_language_tags_are_checked(statement: dict[str, Any], key: str) -> None:
    statement["result"] = {"extensions": {key: 1}}
    statement["verb"]["display"] = {"not a tag": "x"}
    found = rules_at(statement)
    assert (f"/result/extensions/{key}", "iri") in found
    assert ("/verb/display/not a tag", "language-tag") in found


@given(statements(), agents())
def test_revision_and_platform_are_for_activities_only(
    statement: dict[str, Any], agent: dict[str, Any]
) -> None:
    statement["object"] = {**agent, "objectType": "Agent"}
    statement["context"] = {"platform": "LMS"}
    assert ("/context/platform", "context-activity-only") in rules_at(statement)


@given(statements())
def test_a_voiding_statement_targets_a_statement_ref(statement: dict[str, Any]) -> None:
    statement["verb"] = {"id": xapi.VOIDED}
    assert ("/object", "voiding-target") in rules_at(statement)
    statement["object"] = {"objectType": "StatementRef", "id": str(uuid.uuid4())}
    statement.pop("context", None)
    assert xapi.check_statement(statement) == []


@given(statements(), st.sampled_from(["stored", "authority", "version", "junk"]))
def test_unknown_members_are_refused_and_lrs_members_accepted(
    statement: dict[str, Any], member: str
) -> None:
    values = {
        "stored": "2024-01-01T00:00:00Z",
        "authority": {"mbox": "mailto:lrs@x.go.th"},
        "version": "1.0.3",
        "junk": 1,
    }
    statement[member] = values[member]
    found = rules_at(statement)
    assert (("/junk", "unknown-property") in found) == (member == "junk")


@given(statements(), st.integers(-14 * 60, 14 * 60))
def test_the_same_statement_compares_equal_whatever_the_spec_ignores(
    statement: dict[str, Any], offset_minutes: int
) -> None:
    statement["id"] = str(uuid.uuid4())
    other = copy.deepcopy(statement)
    other["verb"]["display"] = {"th": "อื่น"}
    other["object"].pop("definition", None)
    other["authority"] = {"mbox": "mailto:someone@else.go.th"}
    other["stored"] = "2020-01-01T00:00:00Z"
    other["version"] = "1.0.0"
    if "member" in other["actor"]:
        other["actor"]["member"].reverse()
    elif "mbox" in other["actor"]:
        local, domain = other["actor"]["mbox"].split("@")
        other["actor"]["mbox"] = f"{local}@{domain.upper()}"
    if "timestamp" in other:
        moment = datetime.fromisoformat(other["timestamp"])
        zone = timedelta(minutes=offset_minutes)
        other["timestamp"] = moment.astimezone(timezone(zone)).isoformat()
    assert xapi.content_hash(statement) == xapi.content_hash(other)
    changed = copy.deepcopy(statement)
    changed["verb"]["id"] += "x"
    assert xapi.content_hash(statement) != xapi.content_hash(changed)
    if "result" in statement:
        changed = copy.deepcopy(statement)
        changed["result"]["duration"] = "PT0H61M"  # a duration compares as text
        assert xapi.content_hash(statement) != xapi.content_hash(changed)


@given(st.datetimes(min_value=datetime(1900, 1, 1)), st.integers(-23 * 60, 23 * 60))
def test_timestamps_read_as_the_instant_they_name(moment: datetime, offset: int) -> None:
    zone = timezone(timedelta(minutes=offset))
    aware = moment.replace(tzinfo=UTC)
    text = aware.astimezone(zone).isoformat()
    assert xapi.parse_timestamp(text) == aware
    assert xapi.parse_timestamp(text.replace("+00:00", "Z")) == aware
    if text.endswith("+00:00"):
        assert xapi.parse_timestamp(text[:-6] + "-00:00") is None


@given(st.integers(0, 500), st.integers(0, 59), st.integers(0, 59), st.integers(0, 30))
def test_durations_read_as_hours(hours: int, minutes: int, seconds: int, days: int) -> None:
    found = xapi.duration_hours(f"P{days}DT{hours}H{minutes}M{seconds}S")
    assert found == days * 24 + hours + Decimal(minutes) / 60 + Decimal(seconds) / 3600
    assert xapi.duration_hours(f"P{days + 1}M") is None  # months have no fixed length
    assert xapi.duration_hours("PT") is None


@given(agents())
def test_the_agent_filter_reads_the_identifier_a_statement_is_indexed_by(
    agent: dict[str, Any],
) -> None:
    import orjson

    key = xapi.parse_agent_filter(orjson.dumps(agent).decode())
    assert key is not None
    assert key in xapi.actor_keys({"actor": agent})


@given(
    statements(),
    st.lists(names, min_size=1, max_size=4),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
)
def test_a_number_that_is_not_finite_is_refused_wherever_it_is(
    statement: dict[str, Any], path: list[str], bad: float, finite: list[float]
) -> None:
    """NaN and infinity (which a lenient reader lets through) are named by their pointer, however
    deep in an extension, among finite numbers that are not named."""
    value: Any = [*finite, bad]
    for key in reversed(path):
        value = {key: value}
    statement["context"] = {"extensions": {"https://x.example/e": value}}
    pointer = "/context/extensions/https:~1~1x.example~1e/" + "/".join(path) + f"/{len(finite)}"
    assert [e.pointer for e in xapi.check_statement(statement) if e.rule == "number"] == [pointer]
    value = finite
    for key in reversed(path):
        value = {key: value}
    statement["context"] = {"extensions": {"https://x.example/e": value}}
    assert not [e for e in xapi.check_statement(statement) if e.rule == "number"]
