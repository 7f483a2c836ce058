"""Resolution of role profiles: foundational items added, earlier stages inherited, misprinted
codes resolved. Seed facts first, then invariants on generated profiles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.framework.model import (
    Component,
    FrameworkContent,
    FrameworkMeta,
    Inheritance,
    Item,
    Printed,
    PrintedEntry,
    PrintedUnit,
    RoleProfile,
    StaffGroup,
    Stage,
)
from app.domain.framework.profiles import Origin, resolve_profiles
from tests.unit.framework.seeded import ocsc

FOUNDATIONAL_K = [f"K-F{i}" for i in range(1, 6)]
FOUNDATIONAL_E = [f"E-F{i}" for i in range(1, 6)]


def test_there_are_18_resolved_profiles() -> None:
    content = ocsc()
    profiles = resolve_profiles(content.items, content.role_profiles)
    assert set(profiles) == {(s.value, g.value) for s in Stage for g in StaffGroup}


def test_every_resolved_profile_contains_the_foundational_knowledge_and_experience() -> None:
    content = ocsc()
    for profile in resolve_profiles(content.items, content.role_profiles).values():
        assert profile.codes(Component.KNOWLEDGE)[:5] == FOUNDATIONAL_K, profile.key
        assert profile.codes(Component.EXPERIENCE)[:5] == FOUNDATIONAL_E, profile.key
        for req in profile.requirements:
            if req.code in FOUNDATIONAL_K + FOUNDATIONAL_E:
                assert req.origin is Origin.FOUNDATIONAL
                assert req.note is not None


def test_dlit400_and_dg100_are_required_by_every_profile() -> None:
    content = ocsc()
    for profile in resolve_profiles(content.items, content.role_profiles).values():
        assert {"DLit400", "DG100"} <= set(profile.codes(Component.UNIT)), profile.key


def test_mature_technologist_resolves_to_dtr200_and_dtr300_where_the_print_says_dt200_dt300() -> (
    None
):
    content = ocsc()
    profile = resolve_profiles(content.items, content.role_profiles)[("mature", "technologist")]
    units = {r.code: r for r in profile.of(Component.UNIT)}
    assert units["DTr200"].printed_code == "DT200"
    assert units["DTr200"].source == "001:1205"
    assert units["DTr300"].printed_code == "DT300"
    assert units["DTr300"].source == "001:1212"
    assert "DTr200" in (units["DTr200"].note or "")
    # the genuine DT200 printed earlier in the same list stays, unresolved
    assert units["DT200"].printed_code is None
    assert units["DT200"].source == "001:1192"
    assert "DT300" not in units


def test_later_stages_inherit_the_earlier_stage_knowledge_and_experience() -> None:
    content = ocsc()
    profiles = resolve_profiles(content.items, content.role_profiles)
    references = 0
    for printed in content.role_profiles:
        for ref in printed.inherits:
            component = Component(ref.component)
            earlier = set(profiles[(ref.stage, ref.group)].codes(component))
            assert earlier <= set(profiles[printed.key].codes(component)), (printed.key, ref)
            references += 1
    assert references == 22  # 12 later-stage profiles; Others prints no experience reference


def test_mature_executive_knowledge_comes_from_the_developing_and_early_profiles() -> None:
    # Mature-Executive prints no knowledge item of its own: only the reference to the
    # developing profile (001:984), which refers to the early one (001:621).
    content = ocsc()
    profiles = resolve_profiles(content.items, content.role_profiles)
    mature = profiles[("mature", "executive")]
    printed_early = {e.code for e in content.role_profiles[0].printed.knowledge}
    inherited = [r for r in mature.of(Component.KNOWLEDGE) if r.origin is Origin.INHERITED]
    assert printed_early <= {r.code for r in inherited}
    assert {r.inherited_from for r in inherited} <= {
        ("early", "executive"),
        ("developing", "executive"),
    }
    assert all(r.source for r in inherited)


def test_a_code_appears_once_per_component() -> None:
    content = ocsc()
    for profile in resolve_profiles(content.items, content.role_profiles).values():
        for component in Component:
            codes = profile.codes(component)
            assert len(codes) == len(set(codes))


# --- invariants on generated profiles --------------------------------------------------------

KNOWLEDGE = [f"K{i}" for i in range(8)]
UNITS = [f"U{i}" for i in range(8)]


def _items() -> list[Item]:
    def item(code: str, kind: str, group: str | None = None) -> Item:
        attrs = {"group": group} if group else {}
        return Item(
            code=code,
            kind=kind,
            parent=None,
            name_th=code,
            name_en=None,
            description_th=None,
            attrs=attrs,
            source=None,
        )

    return [item(u, "unit") for u in UNITS] + [
        item(k, "knowledge", "foundational" if n < 2 else "required")
        for n, k in enumerate(KNOWLEDGE)
    ]


profile_lists = st.fixed_dictionaries(
    {
        "units": st.lists(st.sampled_from(UNITS), max_size=6),
        "knowledge": st.lists(st.sampled_from(KNOWLEDGE), max_size=6),
        "inherit": st.booleans(),
    }
)


@settings(deadline=None)
@given(st.lists(profile_lists, min_size=3, max_size=3))
def test_resolved_lists_are_foundational_then_printed_then_inherited_without_repeats(
    stages: list[dict[str, object]],
) -> None:
    profiles = []
    for stage, spec in zip(Stage, stages, strict=True):
        inherits = ()
        if stage is not Stage.EARLY and spec["inherit"]:
            earlier = list(Stage)[stage.rank - 1]
            inherits = (
                Inheritance(
                    component="knowledge",
                    stage=earlier.value,
                    group="others",
                    printed_text="-",
                    source=None,
                ),
            )
        profiles.append(
            RoleProfile(
                stage=stage.value,
                group="others",
                role_title_th="t",
                role_title_en=None,
                description_th=None,
                source=None,
                description_source=None,
                printed=Printed(
                    unit=tuple(
                        PrintedUnit(code=u, printed_code=u, printed_text=u, source=None)
                        for u in spec["units"]
                    ),  # type: ignore[attr-defined]
                    knowledge=tuple(
                        PrintedEntry(code=k, printed_text=k, source=None) for k in spec["knowledge"]
                    ),  # type: ignore[attr-defined]
                ),
                inherits=inherits,
            )
        )
    content = FrameworkContent(
        meta=FrameworkMeta(
            key="x",
            version="1",
            title_th="x",
            title_en=None,
            publisher=None,
            issued=None,
            source=None,
        ),
        items=tuple(_items()),
        role_profiles=tuple(profiles),
    )
    out = resolve_profiles(content.items, content.role_profiles)
    for n, (profile, spec) in enumerate(zip(profiles, stages, strict=True)):
        r = out[profile.key]
        knowledge = r.codes(Component.KNOWLEDGE)
        assert len(knowledge) == len(set(knowledge))
        assert knowledge[:2] == ["K0", "K1"]  # the foundational ones, always first
        expected = set(KNOWLEDGE[:2]) | set(spec["knowledge"])  # type: ignore[arg-type]
        if n > 0 and spec["inherit"]:
            expected |= set(out[profiles[n - 1].key].codes(Component.KNOWLEDGE))
        assert set(knowledge) == expected
        assert r.codes(Component.UNIT) == list(dict.fromkeys(spec["units"]))  # type: ignore[call-overload]
        for req in r.of(Component.KNOWLEDGE):
            if req.origin is Origin.INHERITED:
                assert req.code not in spec["knowledge"]  # type: ignore[operator]
