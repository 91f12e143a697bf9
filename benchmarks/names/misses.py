"""Classify the fit split's missed aliases of the match tasks: by score band and by how the two names differ.

Run: ``python benchmarks/names/bench_dev.py --split fit --dump P.parquet`` then ``python
benchmarks/names/misses.py P.parquet --out benchmarks/names/dev/misses_fit.md``. A miss is a
(query, expected entity) whose best returned score is under the threshold. Its band: never
proposed by blocking (no name pair scored at any score), proposed under 0.5, or 0.5 up to the
threshold. Its reason compares the query with the entity's nearest list name (the best-scored
pair, else the nearest by words), the first class in ``REASONS`` order that applies.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dev import DEV, load, task_parts

from screening.names import DEFAULT_THRESHOLD, build_index, normalize_names, titles
from screening.names.match import name_pairs

TASKS = ("ofac_alias", "ofac_cons_alias", "ftm_multilingual", "csl_alias", "ofac_alias_qualified")
BANDS = ("not proposed", "under 0.5", "0.5 to threshold")
REASONS = (
    "script",
    "parenthetical qualifier",
    "abbreviation/acronym",
    "numbers",
    "legal form",
    "split/glued words",
    "word order",
    "dropped words",
    "added words",
    "transliteration/spelling",
    "words dropped and respelt",
    "words added and respelt",
    "some words other",
    "totally different name",
)
Tasks = dict[str, Any]
DUMP_COMMAND = "python benchmarks/names/bench_dev.py --split fit --out F.json --dump P.parquet"
SIMILAR = 0.85  # Jaro-Winkler of two words read as one respelt


def missed(dump: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Return the (task, query, expected entity) rows of the tasks whose best returned score is under threshold."""
    rows = dump.filter(pl.col("task").is_in(TASKS), pl.col("label"))
    best = rows.group_by("task", "query_id", "entity_id").agg(
        pl.col("score").max(), pl.col("name", "name_type", "script", "schema").first()
    )
    return best.filter(pl.col("score") < threshold)


def proposals(misses: pl.DataFrame, queries: pl.DataFrame, watch: pl.DataFrame, tasks: Tasks) -> pl.DataFrame:
    """Return each miss's scored pairs with its expected entity's names, at any name score."""
    out = []
    for task in TASKS:
        asked = queries.filter(pl.col("task") == task).join(misses.select("task", "query_id"), on=["task", "query_id"])
        for part, side in task_parts(asked, watch, tasks[task]):
            index = build_index(side)
            kinds = part.select("query_id", "name", kind=titles.kind("schema"))
            names = kinds.select("name", "kind").unique().sort("name", "kind")
            pairs = name_pairs(normalize_names(names["name"], names["kind"]), index, 0.0)
            pairs = pairs.select("q_raw", "q_kind", "wid", "name_score")
            named = index.by_wid.join(pairs, on="wid").join(index.names.select("wid", w_name="raw"), on="wid")
            joined = kinds.join(named, left_on=["name", "kind"], right_on=["q_raw", "q_kind"])
            out.append(joined.select("query_id", "entity_id", "w_name", "name_score").with_columns(task=pl.lit(task)))
    return pl.concat(out)


def words(names: list[str], kinds: list[str]) -> list[list[str]]:
    """Return each name's spelt words, its legal form left out, as the matcher normalises it (one call for all)."""
    asked = pl.DataFrame({"raw": names, "kind": kinds}, schema={"raw": pl.String, "kind": pl.String})
    norm = normalize_names(asked["raw"], asked["kind"]).select("raw", "kind", "spelt")
    return asked.join(norm, on=["raw", "kind"], how="left", maintain_order="left")["spelt"].to_list()


def matched(a: list[str], b: list[str]) -> tuple[int, int]:
    """Return how many words of ``a`` are in ``b`` (equal, then respelt), greedily one to one."""
    left = list(b)
    equal = respelt = 0
    rest = []
    for w in a:
        if w in left:
            left.remove(w)
            equal += 1
        else:
            rest.append(w)
    for w in rest:
        near = max(left, key=lambda x: JaroWinkler.similarity(w, x), default=None)
        if near is not None and JaroWinkler.similarity(w, near) >= SIMILAR:
            left.remove(near)
            respelt += 1
    return equal, respelt


def initials(tokens: list[str]) -> set[str]:
    """Return the initials of a name's words and of its runs of two words or more."""
    heads = "".join(t[0] for t in tokens if t)
    return {heads[i:j] for i in range(len(heads)) for j in range(i + 2, len(heads) + 1)}


def _acronym(a: list[str], b: list[str]) -> bool:
    """Return whether a word of ``a`` not in ``b`` writes the initials of two words of ``b`` or more."""
    runs = initials(b)
    return any(len(t) >= 2 and t not in b and t in runs for t in a)


def reason(query: str, listed: str, q: list[str], w: list[str], script: str) -> str:
    """Return the first class of ``REASONS`` that tells how ``query`` (words ``q``) differs from ``listed`` (``w``)."""
    if script not in ("LATIN", "ASCII"):
        return "script"
    checks = (
        ("parenthetical qualifier", "(" in query or "(" in listed),
        ("abbreviation/acronym", _acronym(q, w) or _acronym(w, q)),
        ("numbers", {t for t in q if t.isdigit()} != {t for t in w if t.isdigit()}),
        ("legal form", q == w),
        ("split/glued words", "".join(q) == "".join(w)),
        ("word order", sorted(q) == sorted(w)),
    )
    return next((name for name, hit in checks if hit), None) or _by_words(q, w)


def _by_words(q: list[str], w: list[str]) -> str:
    """Return the class of two names that differ in their words: dropped, added, respelt or other."""
    equal, respelt = matched(q, w)
    both = equal + respelt
    if both == 0 or fuzz.token_set_ratio(" ".join(q), " ".join(w)) < 50:
        return "totally different name"
    if both < min(len(q), len(w)):
        return "some words other"
    if len(q) == len(w):
        return "transliteration/spelling"
    shorter = "dropped" if len(q) < len(w) else "added"
    return f"words {shorter} and respelt" if respelt else f"{shorter} words"


def classified(misses: pl.DataFrame, pairs: pl.DataFrame, watch: pl.DataFrame, tasks: Tasks) -> pl.DataFrame:
    """Return the misses with ``band``, ``listed`` (the nearest list name) and ``reason``."""
    own = pairs.join(misses.select("task", "query_id", "entity_id"), on=["task", "query_id", "entity_id"])
    best = own.sort("name_score", descending=True).unique(["task", "query_id"], keep="first")
    rows = misses.join(best, on=["task", "query_id", "entity_id"], how="left")
    names: dict[tuple[str, str], list[str]] = {}
    for task in TASKS:
        spec = tasks[task]
        side = watch.filter(pl.col("list").is_in(spec["lists"]), pl.col("name_type").is_in(spec["name_types"]))
        for entity, name in side.select("entity_id", "name").iter_rows():
            names.setdefault((task, entity), []).append(name)
    listed = [
        row["w_name"]
        or max(names.get((row["task"], row["entity_id"]), [""]), key=lambda n: fuzz.token_set_ratio(n, row["name"]))
        for row in rows.iter_rows(named=True)
    ]
    kinds = [titles.PERSON if schema == "Person" else titles.OTHER for schema in rows["schema"]]
    q_words, w_words = words(rows["name"].to_list(), kinds), words(listed, kinds)
    out = []
    for row, name, q, w in zip(rows.iter_rows(named=True), listed, q_words, w_words, strict=True):
        score = row["name_score"]
        band = BANDS[0] if score is None else BANDS[1] if max(score, row["score"]) < 0.5 else BANDS[2]
        out.append(row | {"listed": name, "band": band, "reason": reason(row["name"], name, q, w, row["script"])})
    return pl.DataFrame(out, infer_schema_length=None)


def markdown(rows: pl.DataFrame, threshold: float, command: str, examples: int) -> str:
    """Return the classified misses as Markdown: counts by reason and band, per task, with real examples."""
    lines = [f"# Missed aliases of the fit split at {threshold}", ""]
    lines += [f"Made by `{DUMP_COMMAND}` then `{command}` (the dump's scorer at {threshold}).", ""]
    lines += [f"{rows.height} misses of the tasks {', '.join(TASKS)}.", ""]
    head = ["reason", *BANDS, "total", "people", *TASKS]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in REASONS:
        sub = rows.filter(pl.col("reason") == r)
        cells = [str(sub.filter(pl.col("band") == b).height) for b in BANDS]
        per_task = [str(sub.filter(pl.col("task") == t).height) for t in TASKS]
        people = str(sub.filter(pl.col("schema") == "Person").height)
        lines.append(f"| {r} | " + " | ".join([*cells, str(sub.height), people, *per_task]) + " |")
    lines += ["", "## Examples (query ~ nearest listed name of the expected entity, best score)", ""]
    for r in REASONS:
        sub = rows.filter(pl.col("reason") == r)
        if not sub.height:
            continue
        lines += [f"### {r} ({sub.height})", ""]
        for band in BANDS:
            some = sub.filter(pl.col("band") == band).sort("query_id").head(examples)
            for e in some.iter_rows(named=True):
                lines.append(f"- {band}, {e['task']}: `{e['name']}` ~ `{e['listed']}` ({e['score']:.2f})")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Classify the misses of a ``bench_dev.py --dump`` file and write the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--rows", type=Path, help="also write the classified misses to this Parquet file")
    args = parser.parse_args()
    misses = missed(pl.read_parquet(args.dump), args.threshold)
    queries, watch, tasks = load(DEV)
    rows = classified(misses, proposals(misses, queries, watch, tasks), watch, tasks)
    # the dump's own path is scratch: the command names it as the dump command above does
    given = ["P.parquet" if arg == str(args.dump) else arg for arg in sys.argv[1:]]
    command = " ".join(["python benchmarks/names/misses.py", *given])
    text = markdown(rows, args.threshold, command, args.examples)
    if args.rows:
        rows.write_parquet(args.rows)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
