"""Derives the reference tables shipped in ``screening/data`` from the public sources.

Run by a developer, never at run time: ``python -m screening.data.derive ../shared/data/reference``.
Sources: the Common High Priority List (BIS/EU/UK/Japan, 23 Feb 2024); the HS nomenclature
(datasets/harmonized-system, ODC-PDDL); EU Regulation 833/2014 export bans by HS-6 up to the 10th
package (replication data of Chupilkin, Javorcik and Plekhanov, EBRD).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent

_TIER_SEVERITY = {"1": "critical", "2": "critical", "3.A": "high", "3.B": "high"}


def derive_chpl(reference: Path) -> pl.DataFrame:
    """Return the CHPL with tier, severity and the HS2017 equivalent of each code."""
    raw = pl.read_csv(reference / "chpl_feb2024_hs6.csv", infer_schema=False)
    return raw.select(
        pl.col("tier"),
        pl.col("tier").replace_strict(_TIER_SEVERITY, default="medium").alias("severity"),
        pl.col("hs6_hs2022").alias("hs6"),
        pl.col("hs2022_description").alias("description"),
        pl.col("hs2017_equivalent").alias("hs6_hs2017"),
        pl.col("mapping_note"),
    )


def derive_eu833(reference: Path) -> pl.DataFrame:
    """Return the HS-6 codes (HS2017) banned for export to Russia, with date and categories."""
    raw = pl.read_csv(reference / "eu_sanctions_hs6_master.csv", infer_schema=False)
    flags = [
        "dual_use",
        "industrial_cap",
        "military_tech",
        "aviation",
        "firearms",
        "luxury",
        "oil_exploration",
        "oil_refining",
    ]
    categories = pl.concat_str(
        [pl.when(pl.col(f) == "1.0").then(pl.lit(f)) for f in flags],
        separator=";",
        ignore_nulls=True,
    )
    return raw.filter(pl.col("sanctioned") == "1.0").select(
        pl.col("hs6"),
        pl.col("sanction_date"),
        pl.col("category").alias("main_category"),
        categories.alias("categories"),
        (pl.col("partially_exempt") == "1.0").alias("partially_exempt"),
    )


def derive_nomenclature(reference: Path, revision: str) -> pl.DataFrame:
    """Return chapters, headings and subheadings of one HS revision (WCO chapters 01-97 only)."""
    raw = pl.read_csv(reference / f"harmonized-system-{revision}.csv", infer_schema=False)
    # Chapter 99 ("commodities not specified") is a UN Comtrade reporting code, not WCO HS.
    wco = pl.col("level").is_in(["2", "4", "6"]) & ~pl.col("hscode").str.starts_with("99")
    return raw.filter(wco).select(pl.col("hscode"), pl.col("level").cast(pl.Int8), pl.col("description"))


def main(reference: Path) -> None:
    """Write every derived table next to this module."""
    derive_chpl(reference).write_csv(HERE / "chpl_2024-02.csv")
    derive_eu833(reference).write_csv(HERE / "eu_833_hs6.csv")
    for revision in ("hs2022", "hs2017"):
        derive_nomenclature(reference, revision).write_csv(HERE / f"{revision}.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
