from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.merge_patch import merge_patch
from app.domain.people.stage import effective_stage
from app.domain.roles import MaturityStage

stages = st.sampled_from(list(MaturityStage))


@given(st.lists(st.one_of(st.none(), stages), min_size=1, max_size=6))
def test_the_nearest_declaration_up_the_tree_applies(declared: list[MaturityStage | None]) -> None:
    lineage = list(range(len(declared)))  # the agency first, then its ancestors
    found = effective_stage(lineage, {a: s for a, s in zip(lineage, declared, strict=True) if s})
    nearest = next((i for i, s in enumerate(declared) if s is not None), None)
    if nearest is None:
        assert found is None
    else:
        assert found is not None
        assert (found.declared_by, found.stage) == (nearest, declared[nearest])
        assert found.inherited == (nearest > 0)
        assert found.future_target == declared[nearest].next()


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [  # examples from RFC 7396, appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ],
)
def test_merge_patch_follows_rfc_7396(target: Any, patch: Any, result: Any) -> None:
    assert merge_patch(target, patch) == result
