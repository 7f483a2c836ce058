"""seed/ocsc/role_profiles.json: 18 profiles as printed in 001, each entry at its line.

(The same checks as seed/tools/check_ocsc_profiles.py, as tests.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.seed.sources import cited, is_at, is_nfc, seed_json, source_lines, squash

PROFILES: list[dict[str, Any]] = seed_json("ocsc/role_profiles.json")
ITEMS = {it["code"]: it for it in seed_json("ocsc/items.json")}
STAGES = ["early", "developing", "mature"]
GROUPS = ["executive", "management", "academic", "service", "technologist", "others"]
COMPONENTS = ["unit", "knowledge", "experience", "attribute", "competency"]
BY_KEY = {(p["stage"], p["group"]): p for p in PROFILES}


def name(p: dict[str, Any]) -> str:
    return f"{p['stage']}/{p['group']}"


def test_there_are_18_profiles_in_stage_by_group_order() -> None:
    assert [(p["stage"], p["group"]) for p in PROFILES] == [(s, g) for s in STAGES for g in GROUPS]
    assert is_nfc(PROFILES)


@pytest.mark.parametrize("profile", PROFILES, ids=name)
def test_profile_heading_title_and_description_are_at_their_lines(profile: dict[str, Any]) -> None:
    heading = cited(profile["source"])
    assert heading is not None
    assert squash("ทักษะด้านดิจิทัลของ") in heading
    role_line = source_lines("001")[int(profile["description_source"].split(":")[1]) - 1]
    assert role_line.startswith("บทบาทและพฤติกรรมที่คาดหวัง")
    title = squash(profile["role_title_th"])
    if title not in squash(role_line):
        # the title was resolved from another copy: a role-title resolution says so and 003
        # prints the title chosen
        assert any(r["defect"].startswith("role-title") for r in profile["resolutions"])
        assert any(title in squash(line) for line in source_lines("003"))
    for alias in profile["title_aliases"]:
        assert is_at(alias["text"], alias["source"]), alias
        assert squash(alias["text"]) != title


@pytest.mark.parametrize("profile", PROFILES, ids=name)
def test_printed_entries_are_at_their_lines_in_printed_order(profile: dict[str, Any]) -> None:
    assert list(profile["printed"]) == COMPONENTS
    previous = 0
    for component, entries in profile["printed"].items():
        for entry in entries:
            assert ITEMS[entry["code"]]["kind"] == component, entry
            assert is_at(entry["printed_text"], entry["source"]), entry
            line = int(entry["source"].split(":")[1])
            assert line > previous, entry
            previous = line
            if component == "unit":
                assert entry["printed_text"].startswith(entry["printed_code"])
                if entry["code"] != entry["printed_code"]:
                    assert any(
                        r["source"] == entry["source"] and r["resolved"] == entry["code"]
                        for r in profile["resolutions"]
                    ), entry
    units = [e["code"] for e in profile["printed"]["unit"]]
    assert len(units) == len(set(units))


@pytest.mark.parametrize("profile", PROFILES, ids=name)
def test_every_profile_prints_dlit400_dg100_and_all_five_attributes(
    profile: dict[str, Any],
) -> None:
    units = {e["code"] for e in profile["printed"]["unit"]}
    assert {"DLit400", "DG100"} <= units
    assert {e["code"] for e in profile["printed"]["attribute"]} == {f"A{i}" for i in range(1, 6)}


@pytest.mark.parametrize("profile", PROFILES, ids=name)
def test_foundational_headings_and_inheritance_references_are_at_their_lines(
    profile: dict[str, Any],
) -> None:
    for component, text in (("knowledge", "ความรู้พื้นฐาน²"), ("experience", "ประสบการณ์พื้นฐาน³")):
        heading = profile["foundational"][component]
        assert heading["printed_text"] == text
        assert is_at(heading["printed_text"], heading["source"])
    for ref in profile["inherits"]:
        assert is_at(ref["printed_text"], ref["source"]), ref
        assert ref["group"] == profile["group"]
        assert STAGES.index(ref["stage"]) == STAGES.index(profile["stage"]) - 1
        assert ref["component"] in ("knowledge", "experience")
    if profile["stage"] == "early":
        assert profile["inherits"] == []
    else:
        assert any(r["component"] == "knowledge" for r in profile["inherits"])


@pytest.mark.parametrize("profile", PROFILES, ids=name)
def test_profile_resolutions_cite_the_printed_text(profile: dict[str, Any]) -> None:
    for r in profile["resolutions"]:
        assert list(r) == ["defect", "printed", "resolved", "note", "source"]
        assert is_at(r["printed"], r["source"]), r
        if r["defect"] == "description-misspelling":
            assert squash(r["resolved"]) in squash(profile["description_th"])
        if r["defect"] in ("misprinted-unit-code", "glued-unit-line"):
            assert ITEMS[r["resolved"]]["kind"] == "unit"


def test_mature_technologist_prints_dt200_and_dt300_for_dtr200_and_dtr300() -> None:
    units = {
        (e["printed_code"], e["code"], e["source"])
        for e in BY_KEY[("mature", "technologist")]["printed"]["unit"]
    }
    assert ("DT200", "DTr200", "001:1205") in units
    assert ("DT300", "DTr300", "001:1212") in units
    assert ("DT200", "DT200", "001:1192") in units  # the genuine DT200 of the same list


def test_developing_academic_keeps_dg400_and_dg600_from_the_glued_lines() -> None:
    units = {
        (e["code"], e["source"]) for e in BY_KEY[("developing", "academic")]["printed"]["unit"]
    }
    assert {("DG400", "001:739"), ("DG600", "001:740")} <= units


def test_profile_wordings_are_at_every_line_they_cite() -> None:
    seen = set()
    for wording in seed_json("ocsc/unit_wordings_from_profiles.json"):
        assert wording["code"] in ITEMS
        for source in [wording["source"], *wording.get("other_sources", [])]:
            assert is_at(wording["text"], source), (wording["code"], source)
        key = (wording["code"], squash(wording["text"]))
        assert key not in seen
        seen.add(key)


def test_every_bulleted_line_of_each_001_profile_is_accounted_for() -> None:
    # Completeness: each "- ..." line between a profile heading and the next is a printed entry
    # or an inheritance reference, so no requirement of the print is lost.
    lines = source_lines("001")
    starts = [int(p["source"].split(":")[1]) for p in PROFILES] + [1287]
    for profile, start, end in zip(PROFILES, starts, starts[1:], strict=False):
        bullets = {n for n in range(start, end) if lines[n - 1].startswith("- ")}
        cited_lines = {
            int(e["source"].split(":")[1]) for es in profile["printed"].values() for e in es
        }
        cited_lines |= {int(r["source"].split(":")[1]) for r in profile["inherits"]}
        assert bullets == cited_lines, name(profile)


def test_the_bma_plan_lists_the_same_early_stage_units_for_every_group() -> None:
    # 004 (BMA, Early stage) repeats the six Early profiles (004:551-831): same units as 001.
    lines = source_lines("004")
    sections = [551, 604, 659, 702, 739, 803, 832]
    for group, start, end in zip(GROUPS, sections, sections[1:], strict=False):
        assert lines[start - 1].startswith("#")
        bma = {
            m.group(1)
            for n in range(start, end)
            if (m := re.match(r"^- ([A-Za-z]+\d+)", lines[n - 1]))
        }
        printed = {e["code"] for e in BY_KEY[("early", group)]["printed"]["unit"]}
        assert bma == printed, group
