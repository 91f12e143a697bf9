"""The offline demo: a seeded synthetic ledger with planted cases and a few bad rows, screened."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl
from rich.console import Console

from screening.kinds import rule_ids
from screening.pipeline import scan
from screening.report.html import render_html
from screening.report.terminal import render
from screening.rules import RuleSet
from screening.store import open_store
from screening.synth import Ledger, generate_ledger, plant_cases, write_ledger, write_planted
from screening.synth.truth import rule_scores

# Rows a real extract would contain: a mistyped HS code, an impossible date, a short line,
# a negative value. The short line ends up in quarantine with its line and reason; the others
# keep their row (parties still screened) with the bad field nulled and noted.
# The kinds whose hits say a record carries dual-use goods (the planted goods typologies).
DUAL_USE_KINDS: Final = ("chpl_goods", "goods_keywords")
BAD_ROWS: Final = (
    'TXBAD000001,2023-04-15,85A2,"Ball bearings 6205",Orion trade 1 LLC,CN,Volga snab 2 OOO,KG,CN,KG,1200.00,USD,10',
    'TXBAD000002,31/31/2023,848210,"Ball bearings 6205",Orion trade 1 LLC,CN,Volga snab 2 OOO,KG,CN,KG,1200.00,USD,10',
    "TXBAD000003,2023-04-15,848210",
    'TXBAD000004,2023-04-15,691110,"Porcelain plates",Ege impex 3 A.S.,TR,Neva line 4 OOO,RU,TR,RU,-50.00,USD,10',
)


# Listed parties written as a ledger would: reordered, transliterated, legal form swapped.
# Each is a variant of an entry of the bundled sample list (OFAC SDN and CMIC).
LISTED_VARIANTS: Final = (
    "Concern Almaz-Antey JSC",
    "АО Концерн Алмаз-Антей",
    "ООО Трансойл",
    "Aquanika OOO",
    "Military Industrial Corporation NPO Mashinostroyenia JSC",
    "Hangzhou Hikvision Digital Technology Co Ltd",
)


def write_demo_ledger(directory: Path, rows: int, seed: int) -> tuple[Path, pl.DataFrame]:
    """Write the demo CSV (synthetic rows, planted listed parties, bad rows) with its truth."""
    ledger = generate_ledger(rows, seed)
    every = max(1, rows // (len(LISTED_VARIANTS) + 1))
    planted = pl.DataFrame(
        {"n": [every * (i + 1) - 1 for i in range(len(LISTED_VARIANTS))], "listed": list(LISTED_VARIANTS)}
    )
    records = (
        ledger.records.with_row_index("n")
        .join(planted.with_columns(pl.col("n").cast(pl.UInt32)), on="n", how="left")
        .with_columns(pl.coalesce("listed", "consignee").alias("consignee"))
        .drop("n", "listed")
    )
    truth = ledger.truth.with_columns(
        pl.when(records["consignee"].is_in(list(LISTED_VARIANTS))).then(pl.lit("listed_party")).alias("party_typology")
    )
    path = write_ledger(Ledger(records=records, truth=truth), directory, "csv")
    with path.open("a", encoding="utf-8") as handle:
        # pad the rows to the ledger's width so each is noted for its own fault; the short row stays short
        padded = [r + "," * (records.width - 13) if r.count(",") == 12 else r for r in BAD_ROWS]
        handle.write("\n".join(padded) + "\n")
    return path, truth


def run_demo(  # noqa: PLR0917 - the demo command's options, in order
    directory: Path, rows: int, seed: int, db: str, console: Console, html: Path | None = None
) -> None:
    """Write, screen and report the demo ledger, then say how many planted cases were found."""
    path, truth = write_demo_ledger(directory, rows, seed)
    planted = plant_cases(seed)
    files = write_planted(planted, directory)
    inputs = [path, files["transactions"], files["flows"], files["ownership"]]
    store = open_store(db)
    try:  # the reports read the run's hits and records from the store, so they run while it is open
        result = scan(inputs, store=store, command="demo")
        if html is not None:
            console.print(f"wrote {render_html(result, html)}", markup=False)
        render(result, console)
        hits = result.hits
        console.print(planted_recall(hits, truth, result.rules), markup=False)
        console.print(network_recall(hits, planted.cases), markup=False)
    finally:
        store.close()


def network_recall(hits: pl.DataFrame, cases: pl.DataFrame) -> str:
    """Return one line: planted corridor, ownership, payment and red-flag cases found per rule."""
    scores = rule_scores(hits, cases)
    found = ", ".join(f"{r['rule']} {r['found']}/{r['planted']}" for r in scores.iter_rows(named=True))
    flagged = int(scores["false_flags"].sum())
    return f"planted network cases found: {found}; hard negatives flagged: {flagged}/{int(scores['negatives'].sum())}"


def planted_recall(hits: pl.DataFrame, truth: pl.DataFrame, rules: RuleSet) -> str:
    """Return one line: planted listed parties and dual-use records found, and false flags.

    Dual-use records are those the rules of the dual-use kinds (CHPL codes, goods keywords) flag;
    listed parties those the rules of a kind that lists parties flag.
    """
    dual_use = [rule.id for rule in rules.rules if rule.kind in DUAL_USE_KINDS]
    listing = rule_ids(rules.rules, lambda spec: spec.lists_party)
    goods = hits.filter(pl.col("rule_id").is_in(dual_use))["record_id"].unique().implode()
    named = hits.filter(pl.col("rule_id").is_in(listing))["record_id"].unique().implode()
    planted = truth.filter(pl.col("typology") != "ordinary")
    found = planted.filter(pl.col("record_id").is_in(goods)).height
    false = truth.filter((pl.col("typology") == "ordinary") & pl.col("record_id").is_in(goods)).height
    listed = truth.filter(pl.col("party_typology") == "listed_party")
    found_names = listed.filter(pl.col("record_id").is_in(named)).height
    false_names = truth.filter(pl.col("party_typology").is_null() & pl.col("record_id").is_in(named)).height
    return (
        f"planted listed parties found: {found_names}/{listed.height} (other records name-flagged: {false_names}); "
        f"planted dual-use records found: {found}/{planted.height} (ordinary records flagged: {false})"
    )
