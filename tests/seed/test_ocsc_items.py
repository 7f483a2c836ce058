"""seed/ocsc: the counts the source documents state, and every text at the line it cites.

(The same checks as seed/tools/check_ocsc_items.py --strict, as tests.)
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from tests.seed.sources import is_at, is_nfc, printed_form, seed_json, squash

ITEMS: list[dict[str, Any]] = seed_json("ocsc/items.json")
BY_CODE = {it["code"]: it for it in ITEMS}
KEYS = [
    "code",
    "kind",
    "parent",
    "name_th",
    "name_en",
    "description_th",
    "attrs",
    "source",
    "aliases",
    "examples",
    "resolutions",
]


def codes(kind: str, prefix: str = "") -> list[str]:
    return [it["code"] for it in ITEMS if it["kind"] == kind and it["code"].startswith(prefix)]


def test_the_counts_are_those_the_source_states() -> None:
    # 001:16 (7 domains, 39 units), 001:118 (23 knowledge), 001:161 (18 experience),
    # 001:207 (5 attributes), 001:219 (4 competencies), 003:663 (5 dimensions), 001:103-112.
    assert Counter(it["kind"] for it in ITEMS) == {
        "dimension": 5,
        "domain": 7,
        "unit": 39,
        "element": 2,
        "criterion": 5,
        "knowledge": 23,
        "experience": 18,
        "attribute": 5,
        "competency": 4,
    }


def test_units_per_domain_follow_001_section_1() -> None:
    per_domain = Counter(it["parent"] for it in ITEMS if it["kind"] == "unit")
    assert per_domain == {"DLit": 7, "DG": 6, "DT": 7, "DS": 7, "SPM": 6, "DL": 3, "DTr": 3}
    assert codes("domain") == ["DLit", "DG", "DT", "DS", "SPM", "DL", "DTr"]
    assert [BY_CODE[d]["attrs"]["number"] for d in codes("domain")] == list(range(1, 8))


def test_dimensions_group_the_domains_as_003_says() -> None:
    dims = {d: BY_CODE[d]["attrs"]["domains"] for d in codes("dimension")}
    assert dims == {
        "D1": ["DLit"],
        "D2": ["DG"],
        "D3": ["DT", "DS"],
        "D4": ["SPM", "DL"],
        "D5": ["DTr"],
    }
    for number, (code, domains) in enumerate(dims.items(), start=1):
        assert code == f"D{number}"
        assert all(BY_CODE[d]["attrs"]["dimension"] == number for d in domains)


def test_ds100_has_two_elements_and_five_criteria() -> None:
    assert [c for c in codes("element") if BY_CODE[c]["parent"] == "DS100"] == ["DS101", "DS102"]
    assert sorted(codes("criterion")) == ["DS101.1", "DS101.2", "DS102.1", "DS102.2", "DS102.3"]
    assert all(BY_CODE[c]["parent"] == c.split(".")[0] for c in codes("criterion"))


def test_knowledge_experience_attributes_competencies_are_coded_in_seed_order() -> None:
    assert codes("knowledge", "K-F") == [f"K-F{i}" for i in range(1, 6)]
    assert codes("knowledge", "K-R") == [f"K-R{i}" for i in range(1, 19)]
    assert codes("experience", "E-F") == [f"E-F{i}" for i in range(1, 6)]
    assert codes("experience", "E-R") == [f"E-R{i}" for i in range(1, 14)]
    assert codes("attribute") == [f"A{i}" for i in range(1, 6)]
    assert codes("competency") == [f"C{i}" for i in range(1, 5)]
    for it in ITEMS:
        if it["kind"] in ("knowledge", "experience"):
            expected = "foundational" if it["code"][2] == "F" else "required"
            assert it["attrs"]["group"] == expected, it["code"]
            assert it["attrs"]["number"] == int(it["code"][3:]), it["code"]


def test_experience_names_do_not_carry_the_prasitthiphap_misprint() -> None:
    # 001 §3 prints "ประสิทธิภาพ" where every other copy says "ประสบการณ์" (DESIGN §2).
    for code in codes("experience"):
        item = BY_CODE[code]
        if item["name_th"].startswith("เคย"):
            continue  # E-R7 "เคยเป็นกรรมการ..." has no heading word
        assert item["name_th"].startswith("ประสบการณ์"), code
        assert "ประสิทธิภาพ" not in item["name_th"]


def test_footnote_examples_are_attached_to_the_items_they_explain() -> None:
    with_examples = {it["code"]: it["attrs"].get("footnote") for it in ITEMS if it["examples"]}
    assert with_examples == {
        "K-F1": 4,
        "K-F4": 5,
        "K-R2": 6,
        "K-R4": 7,
        "K-R9": 8,
        "K-R15": 9,
        "K-R18": 10,
    }


def test_codes_are_unique_and_parents_exist_with_the_right_kind() -> None:
    assert len(BY_CODE) == len(ITEMS)
    parent_kind = {"unit": "domain", "element": "unit", "criterion": "element"}
    for it in ITEMS:
        if it["kind"] in parent_kind:
            assert BY_CODE[it["parent"]]["kind"] == parent_kind[it["kind"]], it["code"]
        else:
            assert it["parent"] is None, it["code"]


def test_every_item_has_the_format_keys_in_order_and_is_nfc() -> None:
    for it in ITEMS:
        assert list(it) == KEYS, it["code"]
    assert is_nfc(ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=lambda it: it["code"])
def test_item_names_are_printed_at_the_line_they_cite(item: dict[str, Any]) -> None:
    for field in ("name_th", "name_en", "description_th"):
        value = item[field]
        if value is None:
            continue
        printed = printed_form(value, item["resolutions"])
        assert is_at(value, item["source"]) or is_at(printed, item["source"]), (field, value)


@pytest.mark.parametrize("item", ITEMS, ids=lambda it: it["code"])
def test_aliases_examples_and_resolutions_are_printed_where_they_cite(item: dict[str, Any]) -> None:
    for alias in item["aliases"]:
        assert is_at(alias["text"], alias["source"]), alias
    for example in item["examples"]:
        assert is_at(example["text"], example["source"]), example
    for resolution in item["resolutions"]:
        assert set(resolution) == {"defect", "printed", "resolved", "note", "source"}
        assert all(resolution.values()), resolution
        assert is_at(resolution["printed"], resolution["source"]), resolution


def test_no_alias_repeats_the_name_or_another_alias() -> None:
    for it in ITEMS:
        texts = [squash(a["text"]) for a in it["aliases"]]
        assert squash(it["name_th"]) not in texts, it["code"]
        assert len(texts) == len(set(texts)), it["code"]


def test_framework_record_components_are_printed_where_they_cite() -> None:
    framework = seed_json("ocsc/framework.json")
    assert (framework["key"], framework["version"]) == ("ocsc", "2561")
    assert [c["code"] for c in framework["components"]] == [
        "capability",
        "knowledge",
        "experience",
        "attribute",
        "competency",
    ]
    for component in framework["components"]:
        assert is_at(component["name_th"], component["source"]), component["code"]
    assert is_nfc(framework)


def test_every_profile_wording_is_kept_as_an_alias_of_its_item() -> None:
    # seed/ocsc/unit_wordings_from_profiles.json lists the variant wordings the profiles print;
    # each is the item's name or one of its aliases (C4's profile wording is the alias
    # "สอนงานและมอบหมายงาน" followed by the English name).
    for wording in seed_json("ocsc/unit_wordings_from_profiles.json"):
        item = BY_CODE[wording["code"]]
        known = {squash(item["name_th"])} | {squash(a["text"]) for a in item["aliases"]}
        text = squash(wording["text"])
        assert text in known or re.sub(r"\([^()]*\)$", "", text) in known, wording
