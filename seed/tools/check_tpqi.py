#!/usr/bin/env python3
"""Check the TPQI IT-executive seed (seed/tpqi-it-exec) and its crosswalk to OCSC.

Standard library only. Run: python3 seed/tools/check_tpqi.py
Source documents are read from <repo>/../shared/seeds, or from $THAKSA_SEEDS_DIR.

Asserts:
  * 44 units with unique codes (all item codes unique), kinds and parent kinds consistent;
  * the Digital-DNA unit (DL700, printed DL100 on the 002 sheet) has 3 elements and 11 criteria
    with system ids 191372..191382 in order;
  * every parent exists;
  * every cited source line contains the text it is cited for (whitespace removed, NFC): item
    name_th, aliases, examples, resolutions' printed text, {text, source} facts in attrs,
    framework components and title;
  * every crosswalk from_code is a TPQI unit, to_code is one of the 39 OCSC unit codes (001 §1),
    and the cited 000 line names the from_code;
  * JSON files are NFC and written as json.dump(..., ensure_ascii=False, indent=2).
"""

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(
    os.environ.get("THAKSA_SEEDS_DIR") or Path(__file__).resolve().parents[3] / "shared" / "seeds"
)
FW_DIR = SEED_DIR / "tpqi-it-exec"
CROSSWALK = SEED_DIR / "crosswalks" / "tpqi-it-exec__ocsc.json"

DNA_SYSTEM_IDS = [str(n) for n in range(191372, 191383)]
KINDS = {"key_role", "key_function", "unit", "element", "criterion"}
PARENT_KIND = {
    "key_role": {None},
    "key_function": {"key_role"},
    "unit": {"key_function", None},
    "element": {"unit"},
    "criterion": {"element"},
}
REF = re.compile(r"^(\d{3}):(\d+)(?:-(\d+))?$")

errors = []
_files = {}


def fail(msg):
    errors.append(msg)


def norm(s):
    return "".join(unicodedata.normalize("NFC", s).split())


def seed_lines(prefix):
    if prefix not in _files:
        found = sorted(SEEDS_DIR.glob(prefix + "_*.txt"))
        if len(found) != 1:
            raise SystemExit(f"source file {prefix}_*.txt not found (once) in {SEEDS_DIR}")
        _files[prefix] = found[0].read_text(encoding="utf-8").split("\n")
    return _files[prefix]


def cited_text(ref, where):
    """Text of the cited line or range, or None (and an error) if the reference is bad."""
    m = REF.match(ref or "")
    if not m:
        fail(f"{where}: bad source reference {ref!r}")
        return None
    prefix, a, b = m.group(1), int(m.group(2)), int(m.group(3) or m.group(2))
    lines = seed_lines(prefix)
    if not (1 <= a <= b <= len(lines)):
        fail(f"{where}: {ref} outside {prefix} (1-{len(lines)})")
        return None
    return "\n".join(lines[a - 1 : b])


def check_cited(text, ref, where):
    src = cited_text(ref, where)
    if src is None:
        return
    if not text or norm(text) not in norm(src):
        fail(f"{where}: {text!r} not found in {ref}: {src[:120]!r}")


def check_facts(obj, where):
    """Every dict with both 'text' and 'source' inside attrs is a quoted fact."""
    if isinstance(obj, dict):
        if isinstance(obj.get("text"), str) and isinstance(obj.get("source"), str):
            check_cited(obj["text"], obj["source"], where)
            if "term" in obj:
                check_cited(obj["term"], obj["source"], where + " term")
        for k, v in obj.items():
            if k.endswith("source") and isinstance(v, str) and k != "source":
                cited_text(v, f"{where}.{k}")
            check_facts(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for n, v in enumerate(obj):
            check_facts(v, f"{where}[{n}]")


def all_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from all_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from all_strings(v)


def load(path):
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    if raw != json.dumps(data, ensure_ascii=False, indent=2) + "\n":
        fail(f"{path.name}: not written as json.dump(ensure_ascii=False, indent=2) + newline")
    for s in all_strings(data):
        if s != unicodedata.normalize("NFC", s):
            fail(f"{path.name}: string not NFC: {s[:60]!r}")
    return data


def ocsc_unit_codes():
    lines = seed_lines("001")[15:97]  # 001:16-97
    codes = [m.group(1) for m in (re.match(r"^- ([A-Za-z]+\d+) ", s) for s in lines) if m]
    assert len(codes) == 39 and len(set(codes)) == 39, f"OCSC unit list: {len(codes)} codes"
    return set(codes)


def check_framework(fw):
    if fw.get("key") != "tpqi-it-exec":
        fail("framework.json: key must be tpqi-it-exec")
    if not isinstance(fw.get("version"), str) or not fw["version"]:
        fail("framework.json: version missing")
    check_cited(fw.get("title_th"), fw.get("source"), "framework.title_th")
    for c in fw.get("components", []):
        check_cited(c["name_th"], c["source"], f"framework.components[{c['code']}]")
    for n, note in enumerate(fw.get("notes", [])):
        cited_text(note.get("source"), f"framework.notes[{n}]")


def check_items(items):
    by_code = {}
    for it in items:
        if it["code"] in by_code:
            fail(f"duplicate item code {it['code']}")
        by_code[it["code"]] = it
        if it["kind"] not in KINDS:
            fail(f"{it['code']}: unknown kind {it['kind']}")

    units = [i for i in items if i["kind"] == "unit"]
    if len(units) != 44:
        fail(f"expected 44 units, found {len(units)}")
    if len({u["code"] for u in units}) != len(units):
        fail("unit codes not unique")
    for u in units:
        if u["attrs"].get("prefix") != re.match(r"^[A-Za-z]+", u["code"]).group(0):
            fail(f"{u['code']}: attrs.prefix does not match code")

    for it in items:
        p = it["parent"]
        if p is not None and p not in by_code:
            fail(f"{it['code']}: parent {p} does not exist")
            continue
        pk = by_code[p]["kind"] if p is not None else None
        if pk not in PARENT_KIND.get(it["kind"], set()):
            fail(f"{it['code']}: {it['kind']} cannot have a {pk} parent")

    # sources
    for it in items:
        w = f"{it['kind']} {it['code']}"
        check_cited(it["name_th"], it["source"], w)
        if it.get("name_en"):
            check_cited(it["name_en"], it["source"], w + " name_en")
        if it.get("description_th"):
            dsrc = it["attrs"].get("description_source", it["source"])
            check_cited(it["description_th"], dsrc, w + " description_th")
        for a in it.get("aliases", []):
            check_cited(a["text"], a["source"], w + " alias")
        for e in it.get("examples", []):
            check_cited(e["text"], e["source"], w + " example")
        for r in it.get("resolutions", []):
            check_cited(r["printed"], r["source"], w + f" resolution {r['defect']}")
        check_facts(it["attrs"], w + " attrs")

    # the Digital-DNA unit
    dna = [u for u in units if u["attrs"].get("book_code") == "DL100"]
    if len(dna) != 1 or dna[0]["code"] != "DL700":
        fail("Digital-DNA unit (book code DL100) must exist once with code DL700")
        return
    dna = dna[0]
    if "Digital DNA" not in dna["name_th"]:
        fail("DL700 name_th should be the Digital-DNA title")
    if not any(a["text"] == "DL100" for a in dna["aliases"]):
        fail("DL700: printed code DL100 must be an alias")
    els = [i for i in items if i["kind"] == "element" and i["parent"] == "DL700"]
    crit = [
        i for i in items if i["kind"] == "criterion" and i["parent"] in {e["code"] for e in els}
    ]
    if len(els) != 3:
        fail(f"DL700: expected 3 elements, found {len(els)}")
    if len(crit) != 11:
        fail(f"DL700: expected 11 criteria, found {len(crit)}")
    if [c["attrs"].get("system_id") for c in crit] != DNA_SYSTEM_IDS:
        fail(f"DL700: system ids {[c['attrs'].get('system_id') for c in crit]} != 191372..191382")
    for x in els + crit:
        book = x["attrs"].get("book_code")
        if not book or not any(a["text"] == book for a in x["aliases"]):
            fail(f"{x['code']}: book_code missing or not kept as alias")
    for c in crit:
        src = c["attrs"].get("code_source")
        if src:
            check_cited(
                c["attrs"]["book_code"] + c["attrs"]["system_id"], src, c["code"] + " code_source"
            )
        if not c["code"].startswith(c["parent"] + "."):
            fail(f"{c['code']}: criterion code does not extend its element code")
    return by_code


def check_crosswalk(cw, fw, by_code):
    ocsc = ocsc_unit_codes()
    if cw["from"] != {"key": "tpqi-it-exec", "version": fw["version"]}:
        fail(f"crosswalk.from {cw['from']} does not match framework.json")
    if cw["to"] != {"key": "ocsc", "version": "2561"}:
        fail(f"crosswalk.to {cw['to']} must be ocsc 2561")
    seen = set()
    for n, l in enumerate(cw["links"]):
        w = f"crosswalk link {n} {l.get('from_code')}->{l.get('to_code')}"
        if (l["from_code"], l["to_code"]) in seen:
            fail(w + ": duplicate")
        seen.add((l["from_code"], l["to_code"]))
        it = by_code.get(l["from_code"])
        if not it or it["kind"] != "unit":
            fail(w + ": from_code is not a TPQI unit")
        if l["to_code"] not in ocsc:
            fail(w + ": to_code is not an OCSC unit code (001:16-97)")
        if l["relation"] not in {"exactMatchOf", "isRelatedTo"}:
            fail(w + f": relation {l['relation']}")
        if not l.get("note"):
            fail(w + ": note missing")
        if not (l.get("source") or "").startswith("000:"):
            fail(w + ": source must be a line of 000")
        src = cited_text(l.get("source"), w)
        if src is not None and not re.search(
            r"(?<![A-Za-z0-9])" + re.escape(l["from_code"]) + r"(?![0-9])", src
        ):
            fail(w + f": {l['source']} does not name {l['from_code']}")
    return len(cw["links"])


def main():
    fw = load(FW_DIR / "framework.json")
    items = load(FW_DIR / "items.json")
    cw = load(CROSSWALK)
    check_framework(fw)
    by_code = check_items(items) or {i["code"]: i for i in items}
    n_links = check_crosswalk(cw, fw, by_code)
    if errors:
        print("\n".join("FAIL " + e for e in errors))
        print(f"{len(errors)} problem(s)")
        return 1
    kinds = {}
    for i in items:
        kinds[i["kind"]] = kinds.get(i["kind"], 0) + 1
    rels = {}
    for l in cw["links"]:
        rels[l["relation"]] = rels.get(l["relation"], 0) + 1
    print(f"OK tpqi-it-exec {fw['version']}: {kinds}; crosswalk {n_links} links {rels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
