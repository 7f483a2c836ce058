"""The role matrix, a group's growth from stage to stage, and diffs between versions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.framework.diff import diff_versions
from app.domain.framework.matrix import role_matrix, stage_progression
from app.domain.framework.model import Component, FrameworkContent, StaffGroup, Stage
from app.domain.framework.profiles import resolve_profiles
from tests.unit.framework.seeded import ocsc
from tests.unit.framework.strategies import contents


def test_the_matrix_has_every_unit_in_order_and_six_groups() -> None:
    content = ocsc()
    resolved = resolve_profiles(content.items, content.role_profiles)
    for stage in Stage:
        matrix = role_matrix(content.items, resolved, stage.value)
        assert matrix.groups == tuple(g.value for g in StaffGroup)
        assert [r.code for r in matrix.rows] == [
            i.code for i in content.of_kind(Component.UNIT.item_kind)
        ]
        assert len(matrix.rows) == 39
        rows = {r.code: r.groups for r in matrix.rows}
        assert rows["DLit400"] == matrix.groups
        assert rows["DG100"] == matrix.groups
        for group in StaffGroup:
            required = {r.code for r in matrix.rows if group.value in r.groups}
            assert required == set(resolved[(stage.value, group.value)].codes(Component.UNIT))


def test_mature_technologists_need_dtr200_and_dtr300() -> None:
    content = ocsc()
    resolved = resolve_profiles(content.items, content.role_profiles)
    rows = {r.code: r.groups for r in role_matrix(content.items, resolved, "mature").rows}
    assert "technologist" in rows["DTr200"]
    assert "technologist" in rows["DTr300"]


def test_stage_steps_add_and_remove_exactly_the_difference() -> None:
    content = ocsc()
    resolved = resolve_profiles(content.items, content.role_profiles)
    for group in StaffGroup:
        steps = stage_progression(resolved, group.value)
        assert [(s.from_stage, s.to_stage) for s in steps] == [
            ("early", "developing"),
            ("developing", "mature"),
        ]
        for step in steps:
            before = resolved[(step.from_stage, group.value)]
            after = resolved[(step.to_stage, group.value)]
            for c in Component:
                assert set(after.codes(c)) == (set(before.codes(c)) - set(step.removed[c])) | set(
                    step.added[c]
                )
                assert not set(step.added[c]) & set(step.kept[c])


def test_the_technologist_gains_dtr200_and_dtr300_by_maturity() -> None:
    content = ocsc()
    steps = stage_progression(
        resolve_profiles(content.items, content.role_profiles), "technologist"
    )
    gained = set(steps[0].added[Component.UNIT]) | set(steps[1].added[Component.UNIT])
    assert {"DTr200", "DTr300"} <= gained


def test_a_version_compared_with_itself_has_no_difference() -> None:
    assert diff_versions(ocsc(), ocsc().with_version("9")).empty


def test_a_diff_lists_added_removed_and_changed_items_by_field() -> None:
    before = ocsc()
    items = list(before.items)
    removed = items.pop(10)
    n = next(i for i, it in enumerate(items) if it.code == "DS100")
    items[n] = items[n].model_copy(update={"name_en": "Connected service framework"})
    added = items[0].model_copy(update={"code": "DLit800", "kind": "unit", "parent": "DLit"})
    after = before.model_copy(update={"items": (*items, added)})
    diff = diff_versions(before, after)
    assert diff.items.added == ("DLit800",)
    assert diff.items.removed == (removed.code,)
    [change] = diff.items.changed
    assert change.key == "DS100"
    assert change.fields == ("name_en",)
    assert change.after == {"name_en": "Connected service framework"}
    assert diff.counts["items_changed"] == 1


@settings(max_examples=50, deadline=None)
@given(contents(with_crosswalk=True), contents(with_crosswalk=True))
def test_a_diff_read_backwards_swaps_added_and_removed(
    a: FrameworkContent, b: FrameworkContent
) -> None:
    forward, backward = diff_versions(a, b), diff_versions(b, a)
    for f, r in (
        (forward.items, backward.items),
        (forward.role_profiles, backward.role_profiles),
        (forward.crosswalk_links, backward.crosswalk_links),
    ):
        assert set(f.added) == set(r.removed)
        assert set(f.removed) == set(r.added)
        assert {c.key for c in f.changed} == {c.key for c in r.changed}
    assert forward.empty == (a.with_version(b.meta.version) == b)


@given(st.sampled_from(list(StaffGroup)))
def test_every_group_has_two_stage_steps(group: StaffGroup) -> None:
    content = ocsc()
    assert (
        len(stage_progression(resolve_profiles(content.items, content.role_profiles), group.value))
        == 2
    )
