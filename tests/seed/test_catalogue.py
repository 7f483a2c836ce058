"""seed/catalogue: the BMA capability catalogue and curricula, tied to the lines of 004.

(The same checks as seed/tools/check_catalogue.py, as tests.)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from app.domain.planning.methods import METHODS_BY_CODE
from app.domain.roles import StaffGroup
from tests.seed.sources import REF, SEED, is_at, is_nfc, printed_form, seed_json, source_lines

PROVIDERS: list[dict[str, Any]] = seed_json("catalogue/providers.json")
CAPABILITIES: dict[str, Any] = seed_json("catalogue/capabilities.json")
CURRICULA: dict[str, Any] = seed_json("catalogue/curricula.json")
ITEMS: list[dict[str, Any]] = seed_json("ocsc/items.json")
UNITS = {it["code"]: it for it in ITEMS if it["kind"] == "unit"}
KNOWLEDGE = {it["code"] for it in ITEMS if it["kind"] == "knowledge"}
GROUP_COLUMNS = ["executive", "management", "academic", "service", "technologist", "others"]
TH_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TH_NUMBER = re.compile(r"^[๐-๙]+(?:\.[๐-๙]+)*\.?$")
POSITIONAL = {"shifted-ticks", "no-source-column", "last-column-absent", "missing-page"}

TOPICS = [
    (cat, unit, topic)
    for cat in CAPABILITIES["categories"]
    for unit in cat["units"]
    for topic in unit["topics"]
]
ROWS = [(cu, row) for cu in CURRICULA["curricula"] for row in cu["rows"]]


def line_no(ref: str) -> int:
    match = REF.match(ref)
    assert match, ref
    return int(match.group(2))


def cells(ref: str) -> list[str]:
    return [c.strip() for c in source_lines("004")[line_no(ref) - 1].split("\t")]


def at_or_printed(text: str, ref: str, resolutions: list[dict[str, Any]]) -> bool:
    return is_at(text, ref) or is_at(printed_form(text, resolutions), ref)


def all_resolutions() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for cat in CAPABILITIES["categories"]:
        out += cat["resolutions"]
        for unit in cat["units"]:
            out += unit["resolutions"]
            for topic in unit["topics"]:
                out += topic["resolutions"]
    for cu in CURRICULA["curricula"]:
        for page in cu["pages"]:
            out += page["resolutions"]
        for row in cu["rows"]:
            out += row["resolutions"]
    return out


def test_files_are_nfc_and_canonically_written() -> None:
    for name in ("providers.json", "capabilities.json", "curricula.json"):
        raw = (SEED / "catalogue" / name).read_text(encoding="utf-8")
        data = json.loads(raw)
        assert raw == json.dumps(data, ensure_ascii=False, indent=2) + "\n", name
        assert is_nfc(data), name


def test_the_catalogue_counts_are_those_the_source_prints() -> None:
    # 004:1043 announces 5 categories; units and topics as printed 004:1044-1131 (category 4
    # starts at unit 4 topic 4.3: its first page is not in the transcription).
    got = {
        cat["number"]: {u["unit"]: len(u["topics"]) for u in cat["units"]}
        for cat in CAPABILITIES["categories"]
    }
    assert got == {
        1: {"DLit100": 3, "DLit200": 3, "DLit300": 3, "DLit400": 2, "DLit700": 2},
        2: {"DG100": 2, "DG400": 2},
        3: {"DT100": 2, "DT300": 2, "DT400": 2, "DT500": 2, "DT600": 2, "DS100": 2},
        4: {"SPM400": 6, "SPM500": 4},
        5: {"DTr100": 5, "DTr200": 4},
    }
    assert [c["complete"] for c in CAPABILITIES["categories"]] == [True, True, True, False, True]
    assert len(TOPICS) == 48


def test_the_curricula_counts_are_those_the_source_prints() -> None:
    per = {
        cu["key"]: dict(Counter(row["category"] for row in cu["rows"]))
        for cu in CURRICULA["curricula"]
    }
    assert per == {
        "executive-management": {1: 7, 2: 3, 3: 2, 4: 2, 5: 3, None: 3},
        "academic-others": {1: 14, 2: 3, 3: 3, 4: 2, 5: 3, None: 2},
        "service": {1: 19, 2: 3, 3: 3, 4: 2, 5: 2, None: 3},
        "technologist": {1: 12, 2: 4, 3: 7, 4: 3, 5: 2, None: 7},
    }
    assert len(ROWS) == 114


def test_every_topic_row_of_the_catalogue_is_in_the_data() -> None:
    lines = source_lines("004")
    printed = [
        n
        for n in range(1043, 1132)
        if len(c := lines[n - 1].split("\t")) > 3
        and TH_NUMBER.match(c[2].strip().split(" ", 1)[0] or "-")
    ]
    assert len(printed) == 48
    assert sorted(line_no(t["source"]) for _, _, t in TOPICS) == printed


def test_every_curriculum_row_is_in_the_data() -> None:
    lines = source_lines("004")
    printed = [
        n
        for n in range(1135, 1370)
        if len(c := lines[n - 1].split("\t")) > 2 and TH_NUMBER.match(c[0].strip())
    ]
    assert len(printed) == 114
    assert sorted(line_no(row["source"]) for _, row in ROWS) == printed


def test_units_are_ocsc_units_in_their_category_with_their_printed_names() -> None:
    for cat in CAPABILITIES["categories"]:
        assert at_or_printed(cat["name_th"], cat["source"], cat["resolutions"])
        assert cat["name_en"] is None or is_at(cat["name_en"], cat["source"])
        for unit in cat["units"]:
            code = unit["unit"]
            assert UNITS[code]["parent"] in cat["domains"], code
            c = cells(unit["source"])
            assert c[0].translate(TH_DIGITS) == str(unit["number"]), code
            assert c[1].startswith(unit["printed_code"]), code
            assert is_at(unit["printed_name_th"], unit["source"]), code
            assert unit["name_th_001"] == UNITS[code]["name_th"], code
            differs = unit["printed_name_th"] != unit["name_th_001"]
            assert differs == bool(unit["resolutions"]) == (unit["name_difference"] is not None)


def test_topics_carry_their_line_number_text_and_ticks() -> None:
    for _, unit, topic in TOPICS:
        c = cells(topic["source"])
        assert c[2].split(" ", 1)[0] == topic["printed_number"]
        assert topic["printed_number"].translate(TH_DIGITS).rstrip(".") == topic["number"]
        assert topic["number"].startswith(f"{unit['number']}.")
        assert at_or_printed(topic["title_th"], topic["source"], topic["resolutions"])
        assert at_or_printed(topic["scope_th"], topic["source"], topic["resolutions"])
        ticked = [g for g, x in zip(GROUP_COLUMNS, c[4:10], strict=True) if x == "/"]
        assert topic["groups"] == ticked, topic["source"]
        assert {StaffGroup(g) for g in topic["groups"]}


def test_method_columns_map_to_methods_of_their_bucket() -> None:
    columns = CURRICULA["method_columns"]
    assert len(columns) == 10
    for col in columns:
        method = METHODS_BY_CODE[col["method"]]
        assert int(method.bucket) == col["bucket"], col["printed"]
        assert is_at(col["printed"], col["source"])
        for also in col.get("also", []):
            assert int(METHODS_BY_CODE[also].bucket) == col["bucket"]
    assert [c["bucket"] for c in columns] == [70] * 6 + [20] * 2 + [10] * 2


def test_the_methods_of_each_row_are_the_ticks_of_its_line() -> None:
    column_of = [c["method"] for c in CURRICULA["method_columns"]]
    for cu in CURRICULA["curricula"]:
        first_of: dict[int, int] = {}
        for page in cu["pages"]:
            match = REF.match(page["source"])
            assert match
            for n in range(int(match.group(2)), int(match.group(3)) + 1):
                first_of[n] = page["first_tick_cell"] - 1
        for row in cu["rows"]:
            n = line_no(row["source"])
            defects = {r["defect"] for r in row["resolutions"]}
            first = first_of[n] + (1 if "shifted-row" in defects else 0)
            ticked = [i - first for i, x in enumerate(cells(row["source"])) if x == "/"]
            if "shifted-ticks" in defects:
                ticked = [i - 1 for i in ticked]
            assert all(0 <= i < 10 for i in ticked), row["source"]
            assert row["methods"] == [column_of[i] for i in ticked], row["source"]


def test_rows_carry_their_line_number_title_and_learning_source() -> None:
    providers = {p["code"] for p in PROVIDERS}
    for _, row in ROWS:
        where = row["source"]
        assert cells(where)[0] == row["printed_number"], where
        assert row["printed_number"].translate(TH_DIGITS) == row["number"]
        assert (row["section"] == "foundational") == (row["category"] is None), where
        if row["category"] is not None:
            assert row["number"].startswith(f"{row['category']}."), where
        assert at_or_printed(row["title_th"], where, row["resolutions"]), where
        if row["learning_source_printed"] is None:
            assert row["provider"] is None, where
            assert not row["learning_source_cells"], where
            continue
        fragments = row["learning_source_cells"]
        assert " ".join(f["text"] for f in fragments) == row["learning_source_printed"]
        assert all(is_at(f["text"], f["source"]) for f in fragments), where
        span = REF.match(row["learning_source_rows"])
        assert span
        first, last = int(span.group(2)), int(span.group(3) or span.group(2))
        assert first <= line_no(where) <= last
        assert all(first <= line_no(f["source"]) <= last for f in fragments)
        merged = "merged-source-cell" in {r["defect"] for r in row["resolutions"]}
        assert merged == (last > first), where
        assert row["provider"] in providers, where


def test_rows_serve_ocsc_units_and_knowledge_with_a_basis() -> None:
    for _, row in ROWS:
        assert set(row["units"]) <= set(UNITS), row["source"]
        assert set(row["knowledge"]) <= KNOWLEDGE, row["source"]
        assert row["unit_basis"], row["source"]
    # the rows whose titles are catalogue topics serve that topic's unit
    topic_unit = {t["title_th"]: u["unit"] for _, u, t in TOPICS}
    for _, row in ROWS:
        if row["title_th"] in topic_unit:
            assert row["units"] == [topic_unit[row["title_th"]]], row["source"]


def test_curricula_groups_roles_and_focus_are_at_their_lines() -> None:
    keys = [cu["key"] for cu in CURRICULA["curricula"]]
    assert keys == ["executive-management", "academic-others", "service", "technologist"]
    groups = [g for cu in CURRICULA["curricula"] for g in cu["groups"]]
    assert sorted(groups) == sorted(g.value for g in StaffGroup)
    for cu in CURRICULA["curricula"]:
        assert is_at(cu["title_th"], cu["title_source"])
        assert all(is_at(a["text"], a["source"]) for a in cu["title_aliases"])
        assert [r["group"] for r in cu["roles"]] == cu["groups"]
        assert all(is_at(r["role_th"], r["source"]) for r in cu["roles"])
        assert is_at(cu["focus_th"], cu["focus_source"])
        for page in cu["pages"]:
            assert all(is_at(lb["printed"], page["heading"]) for lb in page["bucket_labels"])


def test_providers_are_named_where_they_cite() -> None:
    assert [p["code"] for p in PROVIDERS] == ["bma", "ocsc", "tdga", "thaimooc"]
    for p in PROVIDERS:
        assert list(p)[:5] == ["code", "name_th", "name_en", "kind", "source"]
        assert p["kind"] in {"national", "ministry", "agency"}
        assert all(is_at(t, p["source"]) for t in p["printed"] + p["urls"]), p["code"]


def test_every_resolution_is_complete_and_its_printed_text_at_its_line() -> None:
    resolutions = all_resolutions()
    assert resolutions
    for r in resolutions:
        assert list(r) == ["defect", "printed", "resolved", "note", "source"]
        assert r["defect"], r
        assert r["resolved"], r
        assert r["note"], r
        assert REF.match(r["source"]), r
        if r["defect"] not in POSITIONAL and r["printed"]:
            assert is_at(r["printed"], r["source"]), (r["defect"], r["source"])


def test_defects_md_counts_every_resolution() -> None:
    text = (SEED / "catalogue" / "DEFECTS.md").read_text(encoding="utf-8")
    counts = Counter(r["defect"] for r in all_resolutions())
    for defect, n in counts.items():
        assert f"| `{defect}` | {n} |" in text, defect
