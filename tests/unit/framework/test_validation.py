"""Whole-version validation: every problem reported at once, each with a pointer and a rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.framework.model import FrameworkContent, Item, Printed, PrintedUnit
from app.domain.framework.validation import read_document, validate_content
from tests.unit.framework.seeded import ocsc, ocsc_document, tpqi
from tests.unit.framework.strategies import contents


def rules(content: FrameworkContent) -> set[tuple[str, str]]:
    return {(e.pointer, e.rule) for e in validate_content(content)}


def test_the_seeds_are_valid() -> None:
    assert validate_content(ocsc()) == []
    assert validate_content(tpqi()) == []


def _replace(content: FrameworkContent, index: int, **changes: object) -> FrameworkContent:
    items = list(content.items)
    items[index] = items[index].model_copy(update=changes)
    return content.model_copy(update={"items": tuple(items)})


def test_every_kind_of_problem_is_reported_in_one_pass() -> None:
    content = ocsc()
    codes = [i.code for i in content.items]
    ds101, ds1011 = codes.index("DS101"), codes.index("DS101.1")
    broken = _replace(content, codes.index("DLit200"), code="DLit100")  # duplicate code
    broken = _replace(broken, codes.index("DT300"), parent="DX")  # dangling parent
    broken = _replace(broken, codes.index("K-R3"), kind="skill")  # unknown type
    broken = _replace(broken, ds101, parent="DS101.1")  # cycle DS101 -> DS101.1 -> DS101
    broken = _replace(broken, codes.index("DS102.1"), parent="DS100")  # criterion under a unit
    found = rules(broken)
    assert (f"/items/{codes.index('DLit200')}/code", "duplicate-code") in found
    assert (f"/items/{codes.index('DT300')}/parent", "dangling-reference") in found
    assert (f"/items/{codes.index('K-R3')}/kind", "unknown-type") in found
    assert (f"/items/{min(ds101, ds1011)}/parent", "hierarchy-cycle") in found
    assert (f"/items/{codes.index('DS102.1')}/parent", "parent-kind") in found


def test_a_profile_pointing_at_a_missing_or_wrong_item_is_reported() -> None:
    content = ocsc()
    first = content.role_profiles[0]
    units = (
        PrintedUnit(code="DZ999", printed_code="DZ999", printed_text="x", source=None),
        PrintedUnit(code="K-R1", printed_code="K-R1", printed_text="x", source=None),
    )
    changed = first.model_copy(update={"printed": Printed(unit=units), "stage": "someday"})
    broken = content.model_copy(update={"role_profiles": (changed, *content.role_profiles[1:])})
    found = rules(broken)
    assert ("/role_profiles/0/printed/unit/0/code", "dangling-reference") in found
    assert ("/role_profiles/0/printed/unit/1/code", "wrong-kind") in found
    assert ("/role_profiles/0/stage", "unknown-type") in found


def test_inheriting_from_a_later_stage_is_refused() -> None:
    content = ocsc()
    profiles = list(content.role_profiles)
    developing = next(i for i, p in enumerate(profiles) if p.key == ("developing", "executive"))
    ref = profiles[developing].inherits[0].model_copy(update={"stage": "mature"})
    profiles[developing] = profiles[developing].model_copy(update={"inherits": (ref,)})
    found = rules(content.model_copy(update={"role_profiles": tuple(profiles)}))
    assert (f"/role_profiles/{developing}/inherits/0", "inheritance-order") in found


def test_crosswalk_links_need_a_known_relation_and_an_existing_source_unit() -> None:
    content = tpqi()
    crosswalk = content.crosswalks[0]
    links = list(crosswalk.links)
    links[0] = links[0].model_copy(update={"relation": "sameAs"})
    links[1] = links[1].model_copy(update={"from_code": "ZZ100"})
    links.append(links[2])
    broken = content.model_copy(
        update={"crosswalks": (crosswalk.model_copy(update={"links": tuple(links)}),)}
    )
    found = rules(broken)
    assert ("/crosswalks/0/links/0/relation", "unknown-type") in found
    assert ("/crosswalks/0/links/1/from_code", "dangling-reference") in found
    assert (f"/crosswalks/0/links/{len(links) - 1}", "duplicate-link") in found


def test_read_document_reports_shape_and_content_problems_together() -> None:
    document = ocsc_document()
    document["items"][0]["name_th"] = ""  # shape: too short
    document["items"][20]["code"] = document["items"][21]["code"]  # content: duplicate
    parsed = read_document(document)
    assert {e.rule for e in parsed.errors} >= {"string_too_short", "duplicate-code"}


DEFECTS = ("duplicate", "dangling", "unknown", "cycle")


@settings(deadline=None)
@given(contents(), st.sets(st.sampled_from(DEFECTS)))
def test_each_injected_defect_is_found_and_a_clean_version_has_none(
    content: FrameworkContent, defects: set[str]
) -> None:
    items = list(content.items)
    expected = set()
    if "duplicate" in defects:
        items.append(items[0])
        expected.add("duplicate-code")
    if "dangling" in defects:
        items.append(_orphan("ORPHAN", "element", "NOWHERE"))
        expected.add("dangling-reference")
    if "unknown" in defects:
        items.append(_orphan("STRANGE", "mystery", None))
        expected.add("unknown-type")
    if "cycle" in defects:
        items.append(_orphan("LOOP1", "element", "LOOP2"))
        items.append(_orphan("LOOP2", "criterion", "LOOP1"))
        expected.add("hierarchy-cycle")
    found = {e.rule for e in validate_content(content.model_copy(update={"items": tuple(items)}))}
    assert expected <= found
    if not defects:
        assert found == set()


def _orphan(code: str, kind: str, parent: str | None) -> Item:
    return Item(
        code=code,
        kind=kind,
        parent=parent,
        name_th=code,
        name_en=None,
        description_th=None,
        attrs={},
        source=None,
    )
