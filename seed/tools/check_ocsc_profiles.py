#!/usr/bin/env python3
"""Check seed/ocsc/role_profiles.json (and unit_wordings_from_profiles.json) against the seeds.

Standard library only. The seeds directory is ../../../shared/seeds relative to this file
(a `shared/seeds` folder beside the repository), or $THAKSA_SEEDS_DIR.

Usage: python3 seed/tools/check_ocsc_profiles.py   (exit status 0 = all checks passed)
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve()
SEEDS_DIR = Path(os.environ.get("THAKSA_SEEDS_DIR") or HERE.parents[3] / "shared" / "seeds")
OCSC_DIR = HERE.parents[1] / "ocsc"
PROFILES = OCSC_DIR / "role_profiles.json"
WORDINGS = OCSC_DIR / "unit_wordings_from_profiles.json"

# Valid codes, derived from 001 (001:16-97 units; 001:118-159 knowledge; 001:161-205 experience;
# 001:207-217 attributes; 001:219-227 competencies).
UNIT_CODES = (
    [f"DLit{n}00" for n in range(1, 8)]
    + [f"DG{n}00" for n in range(1, 7)]
    + [f"DT{n}00" for n in range(1, 8)]
    + [f"DS{n}00" for n in range(1, 8)]
    + [f"SPM{n}00" for n in range(1, 7)]
    + [f"DL{n}00" for n in range(1, 4)]
    + [f"DTr{n}00" for n in range(1, 4)]
)
KNOWLEDGE_CODES = [f"K-F{n}" for n in range(1, 6)] + [f"K-R{n}" for n in range(1, 19)]
EXPERIENCE_CODES = [f"E-F{n}" for n in range(1, 6)] + [f"E-R{n}" for n in range(1, 14)]
ATTRIBUTE_CODES = [f"A{n}" for n in range(1, 6)]
COMPETENCY_CODES = [f"C{n}" for n in range(1, 5)]
CODES_BY_COMPONENT = {
    "unit": set(UNIT_CODES),
    "knowledge": set(KNOWLEDGE_CODES),
    "experience": set(EXPERIENCE_CODES),
    "attribute": set(ATTRIBUTE_CODES),
    "competency": set(COMPETENCY_CODES),
}
ALL_CODES = set().union(*CODES_BY_COMPONENT.values())
assert len(UNIT_CODES) == 39
assert len(KNOWLEDGE_CODES) == 23
assert len(EXPERIENCE_CODES) == 18

STAGES = ["early", "developing", "mature"]
GROUPS = ["executive", "management", "academic", "service", "technologist", "others"]
PROFILE_KEYS = [
    "stage",
    "group",
    "role_title_th",
    "role_title_en",
    "description_th",
    "source",
    "description_source",
    "title_aliases",
    "printed",
    "foundational",
    "inherits",
    "resolutions",
]
SOURCE_RE = re.compile(r"^(\d{3}):(\d+)(?:-(\d+))?$")

errors: list[str] = []


def fail(msg: str) -> None:
    errors.append(msg)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", nfc(s))


_files: dict[str, list[str]] = {}


def seed_lines(prefix: str) -> list[str]:
    if prefix not in _files:
        matches = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        if len(matches) != 1:
            raise SystemExit(f"cannot find exactly one seed file {prefix}_*.txt in {SEEDS_DIR}")
        _files[prefix] = matches[0].read_text(encoding="utf-8").split("\n")
    return _files[prefix]


def cited_line(source: str, where: str) -> str | None:
    m = SOURCE_RE.match(source or "")
    if not m or m.group(3):
        fail(f"{where}: source {source!r} is not a single FILE:LINE")
        return None
    lines = seed_lines(m.group(1))
    n = int(m.group(2))
    if not 1 <= n <= len(lines):
        fail(f"{where}: source {source} is out of range")
        return None
    return lines[n - 1]


def check_in_line(text: str, source: str, where: str) -> None:
    line = cited_line(source, where)
    if line is not None and squash(text) not in squash(line):
        fail(f"{where}: {text!r} not found in {source}: {line[:120]!r}")


def check_nfc(obj, where: str) -> None:
    if isinstance(obj, str):
        if obj != nfc(obj):
            fail(f"{where}: text is not NFC")
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            check_nfc(x, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_nfc(v, f"{where}.{k}")


def main() -> int:
    profiles = json.loads(PROFILES.read_text(encoding="utf-8"))
    check_nfc(profiles, "role_profiles")

    # 18 unique (stage, group) profiles, in framework order
    pairs = [(p.get("stage"), p.get("group")) for p in profiles]
    expected = [(s, g) for s in STAGES for g in GROUPS]
    if len(profiles) != 18 or len(set(pairs)) != 18 or set(pairs) != set(expected):
        fail(f"expected 18 unique (stage, group) profiles, got {pairs}")
    if pairs != expected:
        fail("profiles are not in stage x group order")

    by_key = {}
    for p in profiles:
        name = f"{p.get('stage')}/{p.get('group')}"
        by_key[(p.get("stage"), p.get("group"))] = p
        if list(p.keys()) != PROFILE_KEYS:
            fail(f"{name}: keys {list(p.keys())} != {PROFILE_KEYS}")
        if not p.get("role_title_th") or not p.get("description_th"):
            fail(f"{name}: empty title or description")
        heading = cited_line(p["source"], f"{name}.source")
        if heading is not None and "ทักษะด้านดิจิทัลของ" not in heading:
            fail(f"{name}: source {p['source']} is not a profile heading")
        role_line = cited_line(p["description_source"], f"{name}.description_source")
        if role_line is not None and not role_line.startswith("บทบาทและพฤติกรรมที่คาดหวัง"):
            fail(f"{name}: description_source is not the expected-behaviour line")
        # the title is the one printed in the profile, or (if resolved) one printed in 003
        title = squash(p["role_title_th"])
        title_resolved = any(r["defect"].startswith("role-title") for r in p["resolutions"])
        if role_line is not None and title not in squash(role_line):
            if not title_resolved:
                fail(f"{name}: title differs from 001 heading but has no role-title resolution")
            if not any(title in squash(x) for x in seed_lines("003")):
                fail(f"{name}: resolved title not found anywhere in 003")
        for j, a in enumerate(p["title_aliases"]):
            check_in_line(a["text"], a["source"], f"{name}.title_aliases[{j}]")
            if squash(a["text"]) == title:
                fail(f"{name}: alias equals the title")

        printed = p["printed"]
        if list(printed.keys()) != list(CODES_BY_COMPONENT):
            fail(f"{name}: printed components {list(printed.keys())}")
        prev_line = 0
        for comp, entries in printed.items():
            for j, e in enumerate(entries):
                where = f"{name}.printed.{comp}[{j}]"
                if e.get("code") not in CODES_BY_COMPONENT[comp]:
                    fail(f"{where}: code {e.get('code')!r} is not a valid {comp} code")
                if comp == "unit":
                    if list(e.keys()) != ["code", "printed_code", "printed_text", "source"]:
                        fail(f"{where}: keys {list(e.keys())}")
                    if not e["printed_text"].startswith(e["printed_code"]):
                        fail(f"{where}: printed_text does not start with printed_code")
                    if e["code"] != e["printed_code"] and not any(
                        r["source"] == e["source"] and r["resolved"] == e["code"]
                        for r in p["resolutions"]
                    ):
                        fail(f"{where}: code differs from printed_code without a resolution")
                elif list(e.keys()) != ["code", "printed_text", "source"]:
                    fail(f"{where}: keys {list(e.keys())}")
                check_in_line(e["printed_text"], e["source"], where)
                line_no = int(e["source"].split(":")[1])
                if line_no <= prev_line:
                    fail(f"{where}: not in printed order ({e['source']})")
                prev_line = line_no
            if comp == "unit":
                codes = [e["code"] for e in entries]
                if len(codes) != len(set(codes)):
                    fail(f"{name}: duplicate resolved unit codes {codes}")

        units = {e["code"] for e in printed["unit"]}
        for must in ("DLit400", "DG100"):
            if must not in units:
                fail(f"{name}: {must} missing from units")
        if {e["code"] for e in printed["attribute"]} != set(ATTRIBUTE_CODES):
            fail(f"{name}: attributes are not exactly A1..A5")

        for comp, text in (("knowledge", "ความรู้พื้นฐาน²"), ("experience", "ประสบการณ์พื้นฐาน³")):
            f = p["foundational"].get(comp)
            if not f or f["printed_text"] != text:
                fail(f"{name}: foundational {comp} heading missing or wrong")
            else:
                check_in_line(f["printed_text"], f["source"], f"{name}.foundational.{comp}")

        for j, inh in enumerate(p["inherits"]):
            where = f"{name}.inherits[{j}]"
            check_in_line(inh["printed_text"], inh["source"], where)
            if (
                inh["group"] != p["group"]
                or STAGES.index(inh["stage"]) != STAGES.index(p["stage"]) - 1
            ):
                fail(f"{where}: must reference the previous stage of the same group")
            if inh["component"] not in ("knowledge", "experience"):
                fail(f"{where}: bad component")
        if p["stage"] == "early" and p["inherits"]:
            fail(f"{name}: early profiles cannot inherit")
        if p["stage"] != "early" and not any(i["component"] == "knowledge" for i in p["inherits"]):
            fail(f"{name}: later-stage profile without a knowledge inheritance reference")

        for j, r in enumerate(p["resolutions"]):
            where = f"{name}.resolutions[{j}]"
            if list(r.keys()) != ["defect", "printed", "resolved", "note", "source"]:
                fail(f"{where}: keys {list(r.keys())}")
                continue
            check_in_line(r["printed"], r["source"], where)
            if r["defect"] == "description-misspelling" and squash(r["resolved"]) not in squash(
                p["description_th"]
            ):
                fail(f"{where}: resolved wording not in description_th")
            if (
                r["defect"] in ("misprinted-unit-code", "glued-unit-line")
                and r["resolved"] not in UNIT_CODES
            ):
                fail(f"{where}: resolved unit code {r['resolved']!r} is not valid")

    # Mature-Technologist: DT200/DT300 printed where the names are DTr200/DTr300
    mt = by_key.get(("mature", "technologist"))
    if mt:
        got = {(e["printed_code"], e["code"], e["source"]) for e in mt["printed"]["unit"]}
        for want in (("DT200", "DTr200", "001:1205"), ("DT300", "DTr300", "001:1212")):
            if want not in got:
                fail(f"mature/technologist: expected unit entry {want}")
        if ("DT200", "DT200", "001:1192") not in got:
            fail("mature/technologist: genuine DT200 at 001:1192 missing")
    # Developing-Academic: both DG400 and DG600 from the glued lines 739-740
    da = by_key.get(("developing", "academic"))
    if da:
        got = {(e["code"], e["source"]) for e in da["printed"]["unit"]}
        if not {("DG400", "001:739"), ("DG600", "001:740")} <= got:
            fail("developing/academic: DG400 (001:739) and DG600 (001:740) expected")

    # wordings file
    wordings = json.loads(WORDINGS.read_text(encoding="utf-8"))
    check_nfc(wordings, "wordings")
    seen = set()
    for j, w in enumerate(wordings):
        where = f"wordings[{j}]"
        if w.get("code") not in ALL_CODES:
            fail(f"{where}: bad code {w.get('code')!r}")
        for s in [w["source"], *w.get("other_sources", [])]:
            check_in_line(w["text"], s, where)
        key = (w["code"], squash(w["text"]))
        if key in seen:
            fail(f"{where}: duplicate wording")
        seen.add(key)

    if errors:
        for e in errors:
            print("FAIL", e)
        print(f"{len(errors)} problem(s)")
        return 1
    counts = ", ".join(
        f"{p['stage']}/{p['group']}="
        + "/".join(str(len(p["printed"][c])) for c in CODES_BY_COMPONENT)
        for p in profiles
    )
    print(
        f"OK: 18 profiles, {len(wordings)} wordings (units/knowledge/experience/attributes/competencies: {counts})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
