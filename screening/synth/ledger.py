"""Seeded synthetic trade ledgers with planted dual-use cases and their ground truth.

Everything is drawn with numpy and assembled with polars gathers, so ten million rows take
seconds. The ground truth names, per record, the typology planted in it:

- ``chpl_code``: a CHPL good declared under its HS code (in one of several spellings);
- ``chpl_description``: a CHPL good with no HS code but a telling description (English or Russian);
- ``chpl_wrong_code``: a CHPL good declared under an ordinary HS code;
- ``ordinary``: ordinary goods, which no goods rule should flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

# (HS code, description) of ordinary goods.
ORDINARY: Final = (
    ("6911100000", "Porcelain tableware, plates and cups"),
    ("9403600000", "Wooden furniture for offices"),
    ("6203420000", "Men's cotton trousers"),
    ("9503000000", "Plastic toys for children"),
    ("4011100000", "New pneumatic tyres for cars"),
    ("0901210000", "Roasted coffee, not decaffeinated"),
    ("7306300000", "Welded steel tubes"),
    ("3926909700", "Articles of plastics, n.e.s."),
    ("4819100000", "Cartons of corrugated paper"),
    ("0902300000", "Black tea in packings up to 3 kg"),
    ("6907211000", "Ceramic floor tiles"),
    ("8516600000", "Electric ovens and cookers"),
    ("6403990000", "Leather footwear"),
    ("3304990000", "Beauty and skin care preparations"),
)
# (HS code, English description, Russian description) of CHPL goods.
CHPL_GOODS: Final = (
    (
        "8542310000",
        "Microcontroller STM32F407 integrated circuits",
        "Микросхемы интегральные STM32",
    ),
    ("8542320000", "Memory chips DDR4 SDRAM", "Интегральные микросхемы памяти DDR4"),
    ("8482100000", "Ball bearings 6205-2RS", "Шарикоподшипники радиальные 6205"),
    ("8482500000", "Cylindrical roller bearings", "Роликоподшипники цилиндрические"),
    ("8526910000", "GNSS receiver module, GLONASS/GPS", "Навигационный приемник ГЛОНАСС"),
    ("8458110000", "CNC lathe, horizontal", "Токарный станок с ЧПУ"),
    ("8807300000", "UAV airframe parts for drones", "Части беспилотных летательных аппаратов"),
    ("9013100000", "Telescopic sight, optical sight for rifles", "Оптический прицел"),
    ("8532210000", "Tantalum capacitor, fixed", "Конденсаторы танталовые"),
    ("8541210000", "Transistors, power MOSFET", "Транзисторы полевые MOSFET"),
)
COUNTRIES: Final = (
    "CN",
    "HK",
    "TR",
    "AE",
    "KG",
    "KZ",
    "AM",
    "GE",
    "UZ",
    "DE",
    "IT",
    "US",
    "IN",
    "RS",
)
DESTINATIONS: Final = (
    "RU",
    "BY",
    "KG",
    "KZ",
    "AM",
    "TR",
    "AE",
    "DE",
    "FR",
    "US",
    "GB",
    "PL",
    "IN",
    "CN",
)
DEST_WEIGHTS: Final = (
    0.12,
    0.03,
    0.06,
    0.07,
    0.05,
    0.08,
    0.07,
    0.12,
    0.1,
    0.1,
    0.08,
    0.06,
    0.03,
    0.03,
)
_STEMS: Final = (
    "Alpha",
    "Vostok",
    "Sever",
    "Orion",
    "Delta",
    "Tekhno",
    "Prom",
    "Grand",
    "Star",
    "Nova",
    "Atlas",
    "Global",
    "Zenit",
    "Sibir",
    "Ural",
    "Baikal",
    "Shen",
    "Hua",
    "Anadolu",
    "Ege",
    "Marmara",
    "Tian",
    "Hong",
    "Altyn",
    "Ak",
    "Ararat",
    "Kavkaz",
    "Neva",
    "Volga",
    "Pamir",
)
_TAILS: Final = (
    "trade",
    "tech",
    "stroy",
    "servis",
    "impex",
    "logistic",
    "snab",
    "komplekt",
    "mash",
    "elektro",
    "invest",
    "group",
    "line",
    "export",
    "holding",
)
_FORMS: Final = ("LLC", "OOO", "Co., Ltd.", "A.S.", "GmbH", "FZE", "TOO", "JSC", "Inc.", "Ltd")
_TYPOLOGY_SHARE: Final = {"chpl_code": 0.05, "chpl_description": 0.01, "chpl_wrong_code": 0.005}


@dataclass(frozen=True)
class Ledger:
    """A synthetic ledger and its ground truth (record_id, typology)."""

    records: pl.DataFrame
    truth: pl.DataFrame


def _names(rng: np.random.Generator, count: int) -> pl.Series:
    """Return ``count`` company names built from stems, tails and legal forms."""
    stems = pl.Series(_STEMS).gather(rng.integers(0, len(_STEMS), count))
    tails = pl.Series(_TAILS).gather(rng.integers(0, len(_TAILS), count))
    forms = pl.Series(_FORMS).gather(rng.integers(0, len(_FORMS), count))
    numbers = pl.Series(rng.integers(1, 99, count)).cast(pl.String)
    return pl.select(pl.format("{}{} {} {}", stems, tails, numbers, forms)).to_series()


def _hs_spelling(code: pl.Expr, style: pl.Expr) -> pl.Expr:
    """Write a 10-digit code in one of four spellings: dotted, HS-6, spaced, 8-digit."""
    return (
        pl.when(style == 0)
        .then(pl.format("{}.{}.{}", code.str.slice(0, 4), code.str.slice(4, 2), code.str.slice(6, 2)))
        .when(style == 1)
        .then(code.str.slice(0, 6))
        .when(style == 2)
        .then(pl.format("{} {} {}", code.str.slice(0, 4), code.str.slice(4, 2), code.str.slice(6, 4)))
        .otherwise(code.str.slice(0, 8))
    )


def generate_ledger(rows: int, seed: int = 7, parties: int | None = None) -> Ledger:
    """Return a seeded ledger of ``rows`` trade records with planted CHPL cases."""
    rng = np.random.default_rng(seed)
    pool = _names(rng, parties or max(50, rows // 40))
    pick = rng.pareto(1.2, size=(2, rows)).astype(np.int64) % pool.len()  # heavy-tailed activity
    draw = rng.random(rows)
    edges = np.cumsum(list(_TYPOLOGY_SHARE.values()))
    typology = np.select([draw < edges[0], draw < edges[1], draw < edges[2]], list(_TYPOLOGY_SHARE), "ordinary")
    ordinary, chpl = (
        pl.DataFrame(ORDINARY, orient="row", schema=["hs", "text"]),
        pl.DataFrame(CHPL_GOODS, orient="row", schema=["hs", "en", "ru"]),
    )
    o_idx, c_idx = rng.integers(0, ordinary.height, rows), rng.integers(0, chpl.height, rows)
    russian = rng.random(rows) < 0.4
    start = date(2019, 1, 1).toordinal()
    days = rng.integers(0, date(2024, 12, 31).toordinal() - start, rows)
    frame = pl.DataFrame(
        {
            "typology": typology,
            "o_hs": ordinary["hs"].gather(o_idx),
            "o_text": ordinary["text"].gather(o_idx),
            "c_hs": chpl["hs"].gather(c_idx),
            "c_en": chpl["en"].gather(c_idx),
            "c_ru": chpl["ru"].gather(c_idx),
            "russian": russian,
            "style": rng.integers(0, 4, rows),
            "shipper": pool.gather(pick[0]),
            "consignee": pool.gather((pick[1] + 7) % pool.len()),
            "shipper_country": pl.Series(COUNTRIES).gather(rng.integers(0, len(COUNTRIES), rows)),
            "destination_country": pl.Series(DESTINATIONS).gather(
                rng.choice(len(DESTINATIONS), rows, p=np.array(DEST_WEIGHTS) / sum(DEST_WEIGHTS))
            ),
            "date": pl.Series(days + start - date(1970, 1, 1).toordinal()).cast(pl.Date),
            "value": np.round(rng.lognormal(9, 1.4, rows), 2),
            "quantity": rng.integers(1, 5000, rows).astype(np.float64),
            "currency": pl.Series(["USD", "EUR", "CNY", "AED", "TRY", "RUB"]).gather(rng.integers(0, 6, rows)),
        }
    )
    return _assemble(frame)


def _assemble(frame: pl.DataFrame) -> Ledger:
    """Turn drawn columns into ledger records and the ground truth."""
    t = pl.col("typology")
    text = pl.when(pl.col("russian")).then(pl.col("c_ru")).otherwise(pl.col("c_en"))
    records = frame.with_row_index("n", offset=1).select(
        pl.format("TX{}", pl.col("n").cast(pl.String).str.zfill(9)).alias("record_id"),
        pl.col("date"),
        pl.when(t == "chpl_code")
        .then(_hs_spelling(pl.col("c_hs"), pl.col("style")))
        .when(t == "chpl_description")
        .then(pl.lit(None, pl.String))
        .otherwise(_hs_spelling(pl.col("o_hs"), pl.col("style")))
        .alias("hs_code"),
        pl.when(t == "ordinary").then(pl.col("o_text")).otherwise(text).alias("description"),
        "shipper",
        "shipper_country",
        "consignee",
        pl.col("destination_country").alias("consignee_country"),
        pl.col("shipper_country").alias("origin_country"),
        "destination_country",
        "value",
        "currency",
        "quantity",
    )
    truth = records.select("record_id").with_columns(frame["typology"].alias("typology"))
    return Ledger(records=records, truth=truth)


def write_ledger(ledger: Ledger, directory: Path, fmt: str = "parquet") -> Path:
    """Write the ledger as ``ledger.<fmt>`` and its truth as ``truth.csv``; return the ledger path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"ledger.{fmt}"
    if fmt == "csv":
        ledger.records.write_csv(path)
    else:
        ledger.records.write_parquet(path)
    ledger.truth.write_csv(directory / "truth.csv")
    return path
