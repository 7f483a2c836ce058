#!/usr/bin/env python3
"""Self-check for seed/ocsc/items.json (standard library only).

Checks counts, unique codes, parents, NFC, and that every cited seed line really carries the cited text:
item names (and English names and descriptions), aliases, footnote examples and the "printed" side of every
resolution. Text is compared with all whitespace and footnote superscripts removed, after NFC. A text is
found when the first cited line contains it, or (for texts of 30+ characters) its first 15 characters, or,
for a cited range "NNN:A-B", when the joined lines A..B contain it. A name that was resolved away from the
printed text is also accepted when the line holds it with its resolutions undone (resolved -> printed).

Seeds: ../shared/seeds relative to the repository root, or $THAKSA_SEEDS_DIR.
Usage: python seed/tools/check_ocsc_items.py [--strict]   (exit status 0 when everything passes)
       --strict: the whole text must be at the cited line(s); a 15-character prefix is not enough.
"""

import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve()
ITEMS = HERE.parents[1] / "ocsc" / "items.json"
SEEDS = Path(os.environ.get("THAKSA_SEEDS_DIR") or HERE.parents[3] / "shared" / "seeds")
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SRC_RE = re.compile(r"^(\d{3}):(\d+)(?:-(\d+))?$")
STRICT = "--strict" in sys.argv[1:]

errors: list[str] = []
prefix_only: list[str] = []


def fail(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = "".join(ch for ch in s if ch not in SUP)
    return re.sub(r"\s+", "", s)


_files: dict[str, list[str]] = {}


def seed_lines(prefix):
    if prefix not in _files:
        found = sorted(SEEDS.glob(prefix + "_*.txt"))
        if not found:
            raise SystemExit(f"seed file {prefix}_*.txt not found in {SEEDS}")
        _files[prefix] = found[0].read_text(encoding="utf-8").split("\n")
    return _files[prefix]


def where(text, source):
    """'full' when the whole text is at `source`, 'prefix' when only its first 15 characters are
    (texts of 30+ characters), else None."""
    m = SRC_RE.match(source or "")
    if not m:
        return None
    lines = seed_lines(m.group(1))
    a = int(m.group(2))
    b = int(m.group(3) or a)
    if not (1 <= a <= b <= len(lines)):
        return None
    t = norm(text)
    if not t:
        return None
    first = norm(lines[a - 1])
    joined = "".join(norm(x) for x in lines[a - 1 : b])
    if t in first or t in joined:
        return "full"
    if len(t) >= 30 and (t[:15] in first or t[:15] in joined):
        return "prefix"
    return None


def located(text, source):
    """True when `text` is found at `source`; prefix-only matches are listed, and fail with --strict."""
    w = where(text, source)
    if w == "prefix":
        prefix_only.append(f"{source}: {text[:40]}")
        return not STRICT
    return w == "full"


def unresolve(value, resolutions):
    """The value with its resolutions undone, i.e. as the source printed it."""
    out = value
    for r in resolutions:
        if r.get("resolved") and r["resolved"] in out:
            out = out.replace(r["resolved"], r["printed"])
    return out


def check_nfc(obj, where_):
    if isinstance(obj, str):
        if unicodedata.normalize("NFC", obj) != obj:
            fail(f"{where_}: text is not NFC: {obj[:40]!r}")
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            check_nfc(x, f"{where_}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_nfc(v, f"{where_}.{k}")


EXPECTED = {
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
DOMAINS = ["DLit", "DG", "DT", "DS", "SPM", "DL", "DTr"]
PER_DOMAIN = {"DLit": 7, "DG": 6, "DT": 7, "DS": 7, "SPM": 6, "DL": 3, "DTr": 3}
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
PARENT_KIND = {"unit": "domain", "element": "unit", "criterion": "element"}


def check_structure(items, by_code):
    kinds = Counter(it["kind"] for it in items)
    for k, n in EXPECTED.items():
        if kinds.get(k, 0) != n:
            fail(f"expected {n} items of kind {k}, found {kinds.get(k, 0)}")
    for k in kinds:
        if k not in EXPECTED:
            fail(f"unexpected kind {k}")

    units = Counter(it["parent"] for it in items if it["kind"] == "unit")
    for d, n in PER_DOMAIN.items():
        if units.get(d, 0) != n:
            fail(f"domain {d}: expected {n} units, found {units.get(d, 0)}")
    if [it["code"] for it in items if it["kind"] == "domain"] != DOMAINS:
        fail("domains are not DLit DG DT DS SPM DL DTr in order")
    if [it["attrs"].get("number") for it in items if it["kind"] == "domain"] != list(range(1, 8)):
        fail("domain attrs.number is not 1..7")
    dims = [it for it in items if it["kind"] == "dimension"]
    if [d["code"] for d in dims] != ["D1", "D2", "D3", "D4", "D5"]:
        fail("dimensions are not D1..D5")
    covered = [c for d in dims for c in d["attrs"].get("domains", [])]
    if sorted(covered) != sorted(DOMAINS):
        fail(f"dimensions do not cover each domain exactly once: {covered}")
    for it in items:
        if it["kind"] == "domain":
            dim = by_code.get(f"D{it['attrs'].get('dimension')}")
            if not dim or it["code"] not in dim["attrs"].get("domains", []):
                fail(f"domain {it['code']}: attrs.dimension does not match the dimension's domains")

    if [it["code"] for it in items if it["kind"] == "element"] != ["DS101", "DS102"]:
        fail("elements are not DS101, DS102")
    crit = sorted(it["code"] for it in items if it["kind"] == "criterion")
    if crit != ["DS101.1", "DS101.2", "DS102.1", "DS102.2", "DS102.3"]:
        fail(f"criteria: {crit}")

    def codes(kind, prefix):
        return [it["code"] for it in items if it["kind"] == kind and it["code"].startswith(prefix)]

    if codes("knowledge", "K-F") != [f"K-F{i}" for i in range(1, 6)]:
        fail("knowledge K-F1..K-F5 missing or out of order")
    if codes("knowledge", "K-R") != [f"K-R{i}" for i in range(1, 19)]:
        fail("knowledge K-R1..K-R18 missing or out of order")
    if codes("experience", "E-F") != [f"E-F{i}" for i in range(1, 6)]:
        fail("experience E-F1..E-F5 missing or out of order")
    if codes("experience", "E-R") != [f"E-R{i}" for i in range(1, 14)]:
        fail("experience E-R1..E-R13 missing or out of order")
    for it in items:
        if it["kind"] in ("knowledge", "experience"):
            want = "foundational" if it["code"][2] == "F" else "required"
            if it["attrs"].get("group") != want:
                fail(f"{it['code']}: attrs.group should be {want}")
        if it["kind"] == "experience" and "ประสิทธิภาพ" in it["name_th"]:
            fail(f"{it['code']}: name still carries the 'ประสิทธิภาพ' misprint")
    if [it["code"] for it in items if it["kind"] == "attribute"] != [f"A{i}" for i in range(1, 6)]:
        fail("attributes A1..A5 missing or out of order")
    if [it["code"] for it in items if it["kind"] == "competency"] != [f"C{i}" for i in range(1, 5)]:
        fail("competencies C1..C4 missing or out of order")

    for it in items:
        p = it.get("parent")
        if it["kind"] in PARENT_KIND:
            if p not in by_code:
                fail(f"{it['code']}: parent {p!r} does not exist")
            elif by_code[p]["kind"] != PARENT_KIND[it["kind"]]:
                want = PARENT_KIND[it["kind"]]
                fail(f"{it['code']}: parent {p} is a {by_code[p]['kind']}, expected {want}")
        elif p is not None and p not in by_code:
            fail(f"{it['code']}: parent {p!r} does not exist")
    if by_code.get("DS101", {}).get("parent") != "DS100":
        fail("DS101 parent must be DS100")
    return kinds


def check_citations(items):
    n = 0
    for it in items:
        c = it["code"]
        if list(it.keys()) != KEYS:
            fail(f"{c}: keys {list(it.keys())} are not {KEYS}")
        rs = it.get("resolutions") or []
        for r in rs:
            for k in ("defect", "printed", "resolved", "note", "source"):
                if not r.get(k):
                    fail(f"{c}: resolution without {k}")
        for field in ("name_th", "name_en", "description_th"):
            v = it.get(field)
            if v is None:
                if field == "name_th":
                    fail(f"{c}: no name_th")
                continue
            n += 1
            src = it["source"]
            found = where(v, src) == "full" or located(unresolve(v, rs), src) or located(v, src)
            if not found:
                fail(f"{c}: {field} not found at {src}: {v[:50]}")
        seen = set()
        for a in it.get("aliases") or []:
            n += 1
            if not located(a["text"], a["source"]):
                fail(f"{c}: alias not found at {a['source']}: {a['text'][:50]}")
            k = norm(a["text"])
            if k == norm(it["name_th"]):
                fail(f"{c}: alias identical to the name: {a['source']}")
            if k in seen:
                fail(f"{c}: duplicate alias text {a['source']}")
            seen.add(k)
        for e in it.get("examples") or []:
            n += 1
            if not located(e["text"], e["source"]):
                fail(f"{c}: example not found at {e['source']}: {e['text'][:50]}")
        for r in rs:
            n += 1
            if not located(r["printed"], r["source"]):
                fail(
                    f"{c}: resolution '{r['defect']}' printed text not at {r['source']}: {r['printed'][:50]}"
                )
    return n


def check_framework(path):
    n = 0
    if not path.exists():
        return n
    fw = json.loads(path.read_text(encoding="utf-8"))
    check_nfc(fw, "framework")
    if (fw.get("key"), fw.get("version")) != ("ocsc", "2561"):
        fail("framework.json: key/version is not ocsc/2561")
    comps = [c["code"] for c in fw.get("components", [])]
    if comps != ["capability", "knowledge", "experience", "attribute", "competency"]:
        fail(f"framework.json: components {comps}")
    for comp in fw.get("components", []):
        n += 1
        if not located(comp["name_th"], comp["source"]):
            fail(f"framework.json: component {comp['code']} not found at {comp['source']}")
    for note in fw.get("notes", []):
        if not SRC_RE.match(note.get("source", "")):
            fail(f"framework.json: note with a malformed source {note.get('source')!r}")
    return n


def main():
    items = json.loads(ITEMS.read_text(encoding="utf-8"))
    check_nfc(items, "items")
    by_code = {}
    for it in items:
        if it["code"] in by_code:
            fail(f"duplicate code {it['code']}")
        by_code[it["code"]] = it
    kinds = check_structure(items, by_code)
    n_checked = check_citations(items) + check_framework(ITEMS.parent / "framework.json")

    print(f"{len(items)} items: " + ", ".join(f"{k} {kinds[k]}" for k in EXPECTED))
    print(f"{n_checked} cited texts checked against {SEEDS}" + (" (strict)" if STRICT else ""))
    if prefix_only:
        print(f"{len(prefix_only)} text(s) matched by their 15-character prefix only:")
        for p in prefix_only:
            print("  ~ " + p)
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
