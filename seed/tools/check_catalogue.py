#!/usr/bin/env python3
"""Self-check of the course catalogue extraction (seed/catalogue/*.json) against 004.

Checks, standard library only:
* shape: the keys of seed/FORMAT.md, NFC, codes that exist (OCSC units and knowledge in
  seed/ocsc/items.json, development methods in app/domain/planning/methods.py, staff groups in
  app/domain/roles.py, providers in providers.json);
* counts: 5 categories; units and topics per category; rows per curriculum and per section, as the
  source prints them;
* completeness: every topic row of the capability catalogue (004:1043-1131) and every row of the
  curricula (004:1135-1369) is in the data, found by walking the source lines;
* provenance: every cited text is at its line (texts compared after NFC without whitespace; a
  resolved text is also accepted with its resolutions undone), the groups of each topic are the
  ticks of its line, the methods of each row are the ticks of its line read through its page's
  first tick cell and its recorded shifts, every method column has the bucket of its method.

Seeds: ../shared/seeds relative to the repository root, or $THAKSA_SEEDS_DIR.
Usage: python seed/tools/check_catalogue.py   (exit status 0 when everything passes)
"""

import importlib.util
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
CATALOGUE = REPO / "seed" / "catalogue"
SEEDS = Path(os.environ.get("THAKSA_SEEDS_DIR") or HERE.parents[3] / "shared" / "seeds")
SRC_RE = re.compile(r"^(\d{3}):(\d+)(?:-(\d+))?$")
TH_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TH_NUMBER = re.compile(r"^[๐-๙]+(?:\.[๐-๙]+)*\.?$")
GROUP_COLUMNS = ["executive", "management", "academic", "service", "technologist", "others"]
# defects whose `printed` is text at the cited line (the others describe cell positions)
POSITIONAL = {"shifted-ticks", "no-source-column", "last-column-absent", "missing-page"}

# what the source prints: units per category with their topic counts (004:1043-1131)
UNITS = {
    1: {"DLit100": 3, "DLit200": 3, "DLit300": 3, "DLit400": 2, "DLit700": 2},
    2: {"DG100": 2, "DG400": 2},
    3: {"DT100": 2, "DT300": 2, "DT400": 2, "DT500": 2, "DT600": 2, "DS100": 2},
    4: {"SPM400": 6, "SPM500": 4},
    5: {"DTr100": 5, "DTr200": 4},
}
# rows per curriculum: per category, then the foundational section (None)
ROWS = {
    "executive-management": {1: 7, 2: 3, 3: 2, 4: 2, 5: 3, None: 3},
    "academic-others": {1: 14, 2: 3, 3: 3, 4: 2, 5: 3, None: 2},
    "service": {1: 19, 2: 3, 3: 3, 4: 2, 5: 2, None: 3},
    "technologist": {1: 12, 2: 4, 3: 7, 4: 3, 5: 2, None: 7},
}
PROVIDER_KINDS = {"national", "ministry", "agency"}

errors: list[str] = []


def fail(msg):
    errors.append(msg)


def squash(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s))


_files: dict[str, list[str]] = {}


def seed_lines(prefix):
    if prefix not in _files:
        found = sorted(SEEDS.glob(prefix + "_*.txt"))
        if not found:
            raise SystemExit(f"seed file {prefix}_*.txt not found in {SEEDS}")
        _files[prefix] = found[0].read_text(encoding="utf-8").split("\n")
    return _files[prefix]


def cited(ref):
    m = SRC_RE.match(ref or "")
    if not m:
        return None
    lines = seed_lines(m.group(1))
    a, b = int(m.group(2)), int(m.group(3) or m.group(2))
    if not 1 <= a <= b <= len(lines):
        return None
    return "".join(squash(x) for x in lines[a - 1 : b])


def at(text, ref):
    where = cited(ref)
    return where is not None and bool(squash(text)) and squash(text) in where


def undone(value, resolutions):
    for r in resolutions:
        if r["resolved"] and r["resolved"] in value:
            value = value.replace(r["resolved"], r["printed"])
    return value


def text_at(text, ref, resolutions, what):
    if not (at(text, ref) or at(undone(text, resolutions), ref)):
        fail(f"{what}: not at {ref}: {text[:50]}")


def cells(ref):
    m = SRC_RE.match(ref)
    return [c.strip() for c in seed_lines(m.group(1))[int(m.group(2)) - 1].split("\t")]


def line_no(ref):
    return int(SRC_RE.match(ref).group(2))


def nfc_ok(obj, where):
    if isinstance(obj, str):
        if unicodedata.normalize("NFC", obj) != obj:
            fail(f"{where}: not NFC")
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            nfc_ok(x, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            nfc_ok(v, f"{where}.{k}")


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def check_resolutions(rs, what):
    for r in rs:
        if list(r) != ["defect", "printed", "resolved", "note", "source"]:
            fail(f"{what}: resolution keys {list(r)}")
            continue
        if not (r["defect"] and r["resolved"] and r["note"] and SRC_RE.match(r["source"])):
            fail(f"{what}: resolution {r['defect']!r} incomplete")
        if r["defect"] in POSITIONAL or r["printed"] == "":
            continue
        if not at(r["printed"], r["source"]):
            fail(f"{what}: resolution {r['defect']!r} printed text not at {r['source']}")


def check_providers(providers):
    codes = [p["code"] for p in providers]
    if len(set(codes)) != len(codes):
        fail("providers: duplicate code")
    for p in providers:
        if list(p)[:5] != ["code", "name_th", "name_en", "kind", "source"]:
            fail(f"provider {p['code']}: keys {list(p)}")
        if p["kind"] not in PROVIDER_KINDS:
            fail(f"provider {p['code']}: kind {p['kind']}")
        for t in p["printed"]:
            if not at(t, p["source"]):
                fail(f"provider {p['code']}: {t} not at {p['source']}")
        for url in p["urls"]:
            if not at(url, p["source"]):
                fail(f"provider {p['code']}: {url} not at {p['source']}")
    return set(codes)


def check_capabilities(cap, units_001, groups_ok):
    found = set()
    cats = cap["categories"]
    if [c["number"] for c in cats] != [1, 2, 3, 4, 5]:
        fail("capabilities: categories are not 1..5")
    for cat in cats:
        what = f"category {cat['number']}"
        text_at(cat["name_th"], cat["source"], cat["resolutions"], what)
        if cat["name_en"]:
            text_at(cat["name_en"], cat["source"], [], what)
        check_resolutions(cat["resolutions"], what)
        got = {u["unit"]: len(u["topics"]) for u in cat["units"]}
        if got != UNITS[cat["number"]]:
            fail(f"{what}: units/topics {got}, the source prints {UNITS[cat['number']]}")
        for u in cat["units"]:
            w = f"{what} {u['unit']}"
            if u["unit"] not in units_001:
                fail(f"{w}: not an OCSC unit")
            if units_001.get(u["unit"], {}).get("parent") not in cat["domains"]:
                fail(f"{w}: not in the category's domains {cat['domains']}")
            c = cells(u["source"])
            if c[0].translate(TH_DIGITS) != str(u["number"]):
                fail(f"{w}: number {u['number']} is not {c[0]!r} at {u['source']}")
            if not c[1].startswith(u["printed_code"]):
                fail(f"{w}: printed code not at {u['source']}")
            text_at(u["printed_name_th"], u["source"], [], w)
            if u["name_th_001"] != units_001[u["unit"]]["name_th"]:
                fail(f"{w}: name_th_001 is not items.json's name")
            differs = u["printed_name_th"] != u["name_th_001"]
            if differs != bool(u["resolutions"]) or differs != (u["name_difference"] is not None):
                fail(f"{w}: a name differing from 001 must carry its resolution, and only then")
            check_resolutions(u["resolutions"], w)
            for t in u["topics"]:
                tw = f"{w} {t['number']}"
                found.add(line_no(t["source"]))
                c = cells(t["source"])
                printed_number = c[2].split(" ", 1)[0]
                if printed_number != t["printed_number"]:
                    fail(f"{tw}: printed number {t['printed_number']!r} is not {printed_number!r}")
                arabic = t["printed_number"].translate(TH_DIGITS).rstrip(".")
                if arabic != t["number"] or not t["number"].startswith(f"{u['number']}."):
                    fail(f"{tw}: number does not follow the printed number and the unit")
                text_at(t["title_th"], t["source"], t["resolutions"], tw)
                text_at(t["scope_th"], t["source"], t["resolutions"], tw)
                ticks = [g for g, x in zip(GROUP_COLUMNS, c[4:10], strict=True) if x == "/"]
                if t["groups"] != ticks:
                    fail(f"{tw}: groups {t['groups']} are not the ticks {ticks}")
                if not set(t["groups"]) <= groups_ok:
                    fail(f"{tw}: unknown group")
                check_resolutions(t["resolutions"], tw)
    # every topic row of the source is in the data
    lines = seed_lines("004")
    for n in range(1043, 1132):
        c = lines[n - 1].split("\t")
        is_topic = len(c) > 3 and TH_NUMBER.match(c[2].strip().split(" ", 1)[0] or "-")
        if is_topic and n not in found:
            fail(f"capabilities: the topic row 004:{n} is missing")
    n_topics = sum(len(u["topics"]) for c in cats for u in c["units"])
    return n_topics


def check_curricula(cur, methods, groups_ok, providers, units_001, knowledge):
    cols = cur["method_columns"]
    if len(cols) != 10:
        fail("curricula: 10 method columns expected")
    for col in cols:
        m = methods.get(col["method"])
        if m is None:
            fail(f"method column {col['printed']}: unknown method {col['method']}")
        elif int(m.bucket) != col["bucket"]:
            fail(f"method column {col['printed']}: bucket {col['bucket']} is not {int(m.bucket)}")
        if not at(col["printed"], col["source"]):
            fail(f"method column {col['printed']}: not at {col['source']}")
        for also in col.get("also", []):
            if also not in methods or int(methods[also].bucket) != col["bucket"]:
                fail(f"method column {col['printed']}: also {also} unknown or in another bucket")
    if [c["bucket"] for c in cols] != sorted((c["bucket"] for c in cols), reverse=True):
        fail("method columns are not in 70 / 20 / 10 order")
    column_of = [c["method"] for c in cols]
    found = set()
    n_rows = 0
    for cu in cur["curricula"]:
        k = cu["key"]
        if not set(cu["groups"]) <= groups_ok:
            fail(f"{k}: unknown group")
        text_at(cu["title_th"], cu["title_source"], [], k)
        for a in cu["title_aliases"]:
            text_at(a["text"], a["source"], [], f"{k} title alias")
        for r in cu["roles"]:
            text_at(r["role_th"], r["source"], [], f"{k} role")
        if [r["group"] for r in cu["roles"]] != cu["groups"]:
            fail(f"{k}: one role per group, in order")
        text_at(cu["focus_th"], cu["focus_source"], [], f"{k} focus")
        page_of = {}
        for p in cu["pages"]:
            check_resolutions(p["resolutions"], f"{k} page {p['source']}")
            m = SRC_RE.match(p["source"])
            for n in range(int(m.group(2)), int(m.group(3)) + 1):
                page_of[n] = p
            for label in p["bucket_labels"]:
                if not at(label["printed"], p["heading"]):
                    fail(f"{k} page {p['source']}: bucket label not in the heading")
        per = Counter()
        for row in cu["rows"]:
            n = line_no(row["source"])
            w = f"{k} {row['source']}"
            found.add(n)
            n_rows += 1
            per[row["category"]] += 1
            c = cells(row["source"])
            if (
                c[0] != row["printed_number"]
                or row["printed_number"].translate(TH_DIGITS) != row["number"]
            ):
                fail(f"{w}: number {row['number']!r} is not the printed {c[0]!r}")
            if (row["section"] == "foundational") != (row["category"] is None):
                fail(f"{w}: a foundational row has no category, a category row has one")
            if row["category"] is not None and not row["number"].startswith(f"{row['category']}."):
                fail(f"{w}: number {row['number']} outside category {row['category']}")
            text_at(row["title_th"], row["source"], row["resolutions"], w)
            check_resolutions(row["resolutions"], w)
            defects = {r["defect"] for r in row["resolutions"]}
            # the learning source: every fragment at its line, within the merged rows
            if row["learning_source_printed"] is not None:
                frags = row["learning_source_cells"]
                if " ".join(f["text"] for f in frags) != row["learning_source_printed"]:
                    fail(f"{w}: learning_source_printed is not its cells joined")
                for f in frags:
                    if not at(f["text"], f["source"]):
                        fail(f"{w}: source cell {f['text']!r} not at {f['source']}")
                span = SRC_RE.match(row["learning_source_rows"])
                a, b = int(span.group(2)), int(span.group(3) or span.group(2))
                if not a <= n <= b or any(not a <= line_no(f["source"]) <= b for f in frags):
                    fail(f"{w}: the merged source cell does not cover the row and its fragments")
                if (b > a) != ("merged-source-cell" in defects):
                    fail(f"{w}: a merged source cell is recorded as a resolution, and only then")
            elif row["provider"] is not None:
                fail(f"{w}: a provider without a learning source")
            if row["provider"] is not None and row["provider"] not in providers:
                fail(f"{w}: unknown provider {row['provider']}")
            if row["learning_source_printed"] and row["provider"] is None:
                fail(f"{w}: a learning source that names no provider")
            # the methods are the ticks of the line
            first = page_of[n]["first_tick_cell"] - 1 + (1 if "shifted-row" in defects else 0)
            ticked = [i - first for i, x in enumerate(c) if x == "/"]
            if "shifted-ticks" in defects:
                ticked = [i - 1 for i in ticked]
            if any(not 0 <= i < 10 for i in ticked):
                fail(f"{w}: a tick outside the method columns")
            elif row["methods"] != [column_of[i] for i in ticked]:
                fail(f"{w}: methods {row['methods']} are not the ticks of the line")
            for u in row["units"]:
                if u not in units_001:
                    fail(f"{w}: unit {u} is not an OCSC unit")
            for kk in row["knowledge"]:
                if kk not in knowledge:
                    fail(f"{w}: knowledge {kk} is not an OCSC knowledge item")
            if not row["unit_basis"]:
                fail(f"{w}: no unit_basis")
        want = ROWS.get(k)
        if dict(per) != want:
            fail(f"{k}: rows per category {dict(per)}, the source prints {want}")
    lines = seed_lines("004")
    for n in range(1135, 1370):
        c = lines[n - 1].split("\t")
        if len(c) > 2 and TH_NUMBER.match(c[0].strip()) and n not in found:
            fail(f"curricula: the row 004:{n} is missing")
    return n_rows


def main():
    providers = json.loads((CATALOGUE / "providers.json").read_text(encoding="utf-8"))
    cap = json.loads((CATALOGUE / "capabilities.json").read_text(encoding="utf-8"))
    cur = json.loads((CATALOGUE / "curricula.json").read_text(encoding="utf-8"))
    for name, obj in (("providers", providers), ("capabilities", cap), ("curricula", cur)):
        nfc_ok(obj, name)
    items = json.loads((REPO / "seed" / "ocsc" / "items.json").read_text(encoding="utf-8"))
    units_001 = {it["code"]: it for it in items if it["kind"] == "unit"}
    knowledge = {it["code"] for it in items if it["kind"] == "knowledge"}
    methods_mod = load_module("_methods", REPO / "app" / "domain" / "planning" / "methods.py")
    methods = {m.code: m for m in methods_mod.METHODS}
    roles_src = (REPO / "app" / "domain" / "roles.py").read_text(encoding="utf-8")
    groups_ok = set(re.findall(r'^\s+[A-Z]+ = "([a-z]+)"$', roles_src, re.M))
    if set(GROUP_COLUMNS) - groups_ok:
        fail(f"staff groups of app/domain/roles.py: {sorted(groups_ok)}")
    provider_codes = check_providers(providers)
    n_topics = check_capabilities(cap, units_001, groups_ok)
    n_rows = check_curricula(cur, methods, groups_ok, provider_codes, units_001, knowledge)
    print(f"{len(providers)} providers, {n_topics} catalogue topics, {n_rows} curriculum rows")
    print(f"checked against {SEEDS}")
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
