"""Generate the labelled name benchmark and its watchlist from real list entries.

Reads OFAC SDN (sdn.csv + alt.csv) and the UN consolidated XML from ../shared/data/lists and
writes ``fixtures/names/bench_watchlist.csv`` (entity_id,name,schema) and
``fixtures/names/name_bench.csv`` (name1,name2,is_match,quality,variant,entity_id) in the
nomenklatura name_bench pattern. Run: ``python benchmarks/names/make_bench.py``.
"""

from __future__ import annotations

import csv
import random
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import variants as v

ROOT = Path(__file__).resolve().parents[2]
LISTS = ROOT.parent / "shared" / "data" / "lists"
OUT = ROOT / "fixtures" / "names"
SCHEMAS = {"individual": "Person", "-0-": "Organization", "vessel": "Vessel", "aircraft": "Vessel"}


def ofac() -> list[tuple[str, str, str]]:
    """Return (entity_id, name, schema) rows of OFAC SDN primary and alias names."""
    base = LISTS / "ofac_sdn_csv_2021-07"
    rows, schema = [], {}
    for r in csv.reader((base / "sdn.csv").read_text(encoding="latin-1").splitlines()):
        if len(r) > 3:
            schema[r[0]] = SCHEMAS.get(r[2].strip(), "Organization")
            rows.append((f"ofac:{r[0]}", r[1].strip(), schema[r[0]]))
    for r in csv.reader((base / "alt.csv").read_text(encoding="latin-1").splitlines()):
        if len(r) > 3 and r[0] in schema:
            rows.append((f"ofac:{r[0]}", r[3].strip(), schema[r[0]]))
    return rows


def un() -> list[tuple[str, str, str]]:
    """Return (entity_id, name, schema) rows of the UN list excerpt."""
    rows = []
    root = ET.parse(LISTS / "un_consolidated_2026-02-27_excerpt.xml").getroot()
    for tag, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
        for node in root.iter(tag):
            eid = f"un:{node.findtext('DATAID')}"
            parts = [node.findtext(f) or "" for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
            names = [" ".join(p.strip() for p in parts if p.strip())]
            names += [a.findtext("ALIAS_NAME") or "" for a in node.iter(f"{tag}_ALIAS")]
            names.append(node.findtext("NAME_ORIGINAL_SCRIPT") or "")
            rows += [(eid, n.strip(), schema) for n in names if n.strip()]
    return rows


Variant = Callable[[str, random.Random], "str | None"]
PERSON: list[tuple[str, str, Variant]] = [
    ("STRONG", "reorder", v.reorder),
    ("STRONG", "romanisation", v.romanise),
    ("STRONG", "cyrillic", lambda n, r: v.to_cyrillic(n.replace(",", ""))),
    ("STRONG", "lookalike", v.lookalike),
    ("MEDIUM", "typo", v.typo),
    ("MEDIUM", "typo_reorder", lambda n, r: v.typo(v.reorder(n, r) or n, r)),
    ("MEDIUM", "drop_middle", v.drop_middle),
    ("WEAK", "initials", v.initials),
    ("WEAK", "two_typos", lambda n, r: v.typo(v.typo(n, r) or "", r)),
]
ORG: list[tuple[str, str, Variant]] = [
    ("STRONG", "reorder", v.reorder),
    ("STRONG", "legal_form", v.legal_swap),
    ("STRONG", "inn_glued", v.glue_inn),
    ("STRONG", "cyrillic", lambda n, r: v.to_cyrillic(n)),
    ("STRONG", "lookalike", v.lookalike),
    ("STRONG", "romanisation", v.romanise),
    ("MEDIUM", "typo", v.typo),
    ("MEDIUM", "typo_legal", lambda n, r: v.typo(v.legal_swap(n, r) or n, r)),
    ("WEAK", "two_typos", lambda n, r: v.typo(v.typo(n, r) or "", r)),
]


def positives(rows: list[tuple[str, str, str]], rng: random.Random, n: int) -> list[list[str]]:
    """Return labelled positive pairs: variants of sampled list names."""
    latin = [r for r in rows if r[1].isascii() and len(r[1]) >= 6]
    out = []
    for eid, name, schema in rng.sample(latin, n):
        quality, variant, fn = rng.choice(PERSON if schema == "Person" else ORG)
        made = fn(name, rng)
        if made and made.strip() and made != name:
            out.append([made, name, "true", quality, variant, eid])
    return out


def negatives(rows: list[tuple[str, str, str]], rng: random.Random, n: int) -> list[list[str]]:
    """Return hard negatives: shared surname, shared first name, shared first company word."""
    import pools  # noqa: PLC0415

    known = {r[1].upper() for r in rows}
    persons = [r for r in rows if r[2] == "Person" and "," in r[1] and r[1].isascii()]
    orgs = [r for r in rows if r[2] == "Organization" and len(r[1].split()) >= 2 and r[1].isascii()]
    out = []
    while len(out) < n:
        kind = rng.choice(["surname", "first_name", "org_word"])
        eid, name, _ = rng.choice(orgs if kind == "org_word" else persons)
        last, _, first = name.partition(",")
        made = {
            "surname": f"{rng.choice(pools.FIRST)} {last.strip()}",
            "first_name": f"{first.strip()} {rng.choice(pools.LAST)}",
            "org_word": f"{name.split()[0]} {rng.choice(pools.SECTOR)} {rng.choice(pools.WORDS)}",
        }[kind]
        if made.upper() not in known:
            out.append([made, name, "false", "STRONG", kind, eid])
    return out


def main() -> None:
    """Write the benchmark watchlist and labelled pairs."""
    rng = random.Random(20240223)
    rows = sorted(set(ofac() + un()))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "bench_watchlist.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["entity_id", "name", "schema"])
        w.writerows(rows)
    pairs = positives(rows, rng, 3000) + negatives(rows, rng, 1500)
    with open(OUT / "name_bench.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name1", "name2", "is_match", "quality", "variant", "entity_id"])
        w.writerows(pairs)
    print(f"{len(rows)} list names, {len(pairs)} labelled pairs written to {OUT}")


if __name__ == "__main__":
    main()
