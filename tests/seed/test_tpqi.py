"""seed/tpqi-it-exec and its crosswalk to ocsc, against seeds 000 and 002.

(The same checks as seed/tools/check_tpqi.py, as tests.)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from tests.seed.sources import SEED, cited, is_at, is_nfc, seed_json, source_lines

FRAMEWORK = seed_json("tpqi-it-exec/framework.json")
ITEMS: list[dict[str, Any]] = seed_json("tpqi-it-exec/items.json")
CROSSWALK = seed_json("crosswalks/tpqi-it-exec__ocsc.json")
BY_CODE = {it["code"]: it for it in ITEMS}
PARENT_KIND = {
    "key_role": {None},
    "key_function": {"key_role"},
    "unit": {"key_function", None},
    "element": {"unit"},
    "criterion": {"element"},
}


def test_files_are_nfc_and_canonically_written() -> None:
    for name in (
        "tpqi-it-exec/framework.json",
        "tpqi-it-exec/items.json",
        "crosswalks/tpqi-it-exec__ocsc.json",
    ):
        raw = (SEED / name).read_text(encoding="utf-8")
        data = json.loads(raw)
        assert raw == json.dumps(data, ensure_ascii=False, indent=2) + "\n", name
        assert is_nfc(data), name


def test_the_standard_has_44_units_in_its_own_code_scheme() -> None:
    units = [it for it in ITEMS if it["kind"] == "unit"]
    assert len(units) == 44 == len({u["code"] for u in units})
    prefixes = Counter(re.match(r"^[A-Za-z]+", u["code"]).group(0) for u in units)  # type: ignore[union-attr]
    assert prefixes == {"CS": 5, "DG": 9, "DL": 10, "DLit": 3, "DS": 7, "DT": 5, "DUS": 5}
    for u in units:
        assert u["attrs"]["prefix"] == re.match(r"^[A-Za-z]+", u["code"]).group(0)  # type: ignore[union-attr]


def test_key_roles_and_functions_form_the_functional_map() -> None:
    assert [it["code"] for it in ITEMS if it["kind"] == "key_role"] == [
        f"0{i}" for i in range(1, 8)
    ]
    functions = [it for it in ITEMS if it["kind"] == "key_function"]
    assert {f["code"] for f in functions} == {
        "DLit",
        "DG",
        "DS",
        "DT",
        "DL",
        "SPM",
        "DTR",
        "DUS",
        "CS",
    }
    assert len(BY_CODE) == len(ITEMS)
    for it in ITEMS:
        parent = BY_CODE[it["parent"]]["kind"] if it["parent"] is not None else None
        assert parent in PARENT_KIND[it["kind"]], it["code"]


def test_the_digital_dna_unit_has_3_elements_and_11_criteria_with_system_ids() -> None:
    dna = [u for u in ITEMS if u["kind"] == "unit" and u["attrs"].get("book_code") == "DL100"]
    assert [u["code"] for u in dna] == ["DL700"]
    assert "Digital DNA" in dna[0]["name_th"]
    assert any(a["text"] == "DL100" for a in dna[0]["aliases"])
    elements = [it for it in ITEMS if it["kind"] == "element" and it["parent"] == "DL700"]
    criteria = [
        it
        for it in ITEMS
        if it["kind"] == "criterion" and it["parent"] in {e["code"] for e in elements}
    ]
    assert len(elements) == 3
    assert len(criteria) == 11
    assert [c["attrs"]["system_id"] for c in criteria] == [str(n) for n in range(191372, 191383)]
    for node in elements + criteria:
        book = node["attrs"]["book_code"]
        assert any(a["text"] == book for a in node["aliases"]), node["code"]
    for c in criteria:
        assert c["code"].startswith(c["parent"] + ".")
        assert is_at(c["attrs"]["book_code"] + c["attrs"]["system_id"], c["attrs"]["code_source"])


def test_tpqi_dl100_is_another_unit_than_the_digital_dna_sheet() -> None:
    # 000:97 lists DL100 as "กำหนดนโยบายเพื่อการบูรณาการ..."; 002:13 prints DL100 for Digital DNA.
    assert "Digital DNA" not in BY_CODE["DL100"]["name_th"]
    assert is_at("DL100", "000:97")
    assert is_at("DL100", "002:13")


def _facts(obj: Any) -> list[tuple[str, str]]:
    found = []
    if isinstance(obj, dict):
        if isinstance(obj.get("text"), str) and isinstance(obj.get("source"), str):
            found.append((obj["text"], obj["source"]))
        for value in obj.values():
            found += _facts(value)
    elif isinstance(obj, list):
        for value in obj:
            found += _facts(value)
    return found


@pytest.mark.parametrize("item", ITEMS, ids=lambda it: it["code"])
def test_every_tpqi_text_is_printed_at_the_line_it_cites(item: dict[str, Any]) -> None:
    assert is_at(item["name_th"], item["source"])
    if item["name_en"]:
        assert is_at(item["name_en"], item["source"])
    if item["description_th"]:
        assert is_at(
            item["description_th"], item["attrs"].get("description_source", item["source"])
        )
    for alias in item["aliases"]:
        assert is_at(alias["text"], alias["source"]), alias
    for resolution in item["resolutions"]:
        assert is_at(resolution["printed"], resolution["source"]), resolution
    for text, source in _facts(item["attrs"]):
        assert is_at(text, source), (text, source)


def test_framework_record_is_printed_where_it_cites() -> None:
    assert FRAMEWORK["key"] == "tpqi-it-exec"
    assert FRAMEWORK["version"]
    assert is_at(FRAMEWORK["title_th"], FRAMEWORK["source"])
    for component in FRAMEWORK["components"]:
        assert is_at(component["name_th"], component["source"])
    for note in FRAMEWORK["notes"]:
        assert cited(note["source"]) is not None


def ocsc_unit_codes() -> set[str]:
    lines = source_lines("001")[15:97]  # 001:16-97
    found = [m.group(1) for m in (re.match(r"^- ([A-Za-z]+\d+) ", s) for s in lines) if m]
    assert len(found) == 39
    return set(found)


def test_crosswalk_links_tpqi_units_to_ocsc_units_with_a_note_and_a_line() -> None:
    assert CROSSWALK["from"] == {"key": "tpqi-it-exec", "version": FRAMEWORK["version"]}
    assert CROSSWALK["to"] == {"key": "ocsc", "version": "2561"}
    ocsc = ocsc_unit_codes()
    pairs = set()
    for link in CROSSWALK["links"]:
        assert BY_CODE[link["from_code"]]["kind"] == "unit", link
        assert link["to_code"] in ocsc, link
        assert link["relation"] in ("exactMatchOf", "isRelatedTo")
        assert link["note"]
        assert link["source"].startswith("000:")
        line = cited(link["source"])
        assert line is not None
        assert re.search(rf"(?<![A-Za-z0-9]){re.escape(link['from_code'])}(?![0-9])", line)
        assert (link["from_code"], link["to_code"]) not in pairs
        pairs.add((link["from_code"], link["to_code"]))
    assert ("DL700", "DL100") in {(x["from_code"], x["to_code"]) for x in CROSSWALK["links"]}
