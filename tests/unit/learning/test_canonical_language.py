"""Accept-Language ranges and the language kept in a map by ``format=canonical``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.learning.statements import language_ranges, pick_language

TAGS = st.sampled_from(["th", "th-TH", "en", "en-US", "en-GB", "fr", "zh-Hant-TW"])


def test_ranges_are_ordered_by_weight_then_as_sent_and_zero_or_malformed_dropped() -> None:
    assert language_ranges("en;q=0.5, th, fr;q=0, *;q=0.1, x y, de;q=abc") == [
        ("th", 1.0),
        ("en", 0.5),
        ("*", 0.1),
    ]
    assert language_ranges(None) == []


def test_a_range_matches_its_tag_and_longer_tags_only() -> None:
    value = {"en-US": "a", "th-TH": "b"}
    assert pick_language(value, [("th", 1.0)]) == {"th-TH": "b"}
    assert pick_language(value, [("t", 1.0)]) == {"en-US": "a"}  # no prefix match mid-subtag
    assert pick_language(value, [("fr", 1.0), ("*", 0.5)]) == {"en-US": "a"}


@given(st.dictionaries(TAGS, st.text(max_size=5), min_size=1), st.lists(TAGS, max_size=3))
def test_exactly_one_entry_of_the_map_is_kept(value: dict[str, str], wanted: list[str]) -> None:
    ranges = [(t.lower(), 1.0) for t in wanted]
    kept = pick_language(value, ranges)
    assert len(kept) == 1
    ((tag, text),) = kept.items()
    assert value[tag] == text
    fitting = [
        t for t in value if any(t.lower() == w or t.lower().startswith(w + "-") for w, _ in ranges)
    ]
    if fitting:
        assert tag in fitting
