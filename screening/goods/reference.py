"""The reference tables shipped with the package: HS nomenclature, CHPL and EU 833/2014 bans."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Final

import polars as pl

CHPL_VERSION: Final = "chpl-2024-02"
CHPL_SOURCE: Final = (
    "Common High Priority List, BIS/EU/UK/Japan, version of 23 Feb 2024 "
    "(https://www.bis.gov/articles/russia-export-controls-list-common-high-priority-items)"
)
EU833_VERSION: Final = "eu-833-2014-pkg10"
EU833_SOURCE: Final = (
    "EU Regulation 833/2014 Annexes (export bans to Russia) by HS-6 up to the 10th package, "
    "Feb 2023 (replication data of Chupilkin, Javorcik and Plekhanov, EBRD)"
)
HS_SOURCE: Final = "HS nomenclature 2022 and 2017, datasets/harmonized-system (ODC-PDDL)"


def _read(name: str) -> pl.DataFrame:
    """Read one shipped CSV table with every column as text."""
    with resources.files("screening.data").joinpath(name).open("rb") as handle:
        return pl.read_csv(handle, infer_schema=False)


@cache
def chpl() -> pl.DataFrame:
    """Return the CHPL: tier, severity, hs6 (HS2022), description, hs6_hs2017, mapping_note."""
    return _read("chpl_2024-02.csv")


@cache
def eu833() -> pl.DataFrame:
    """Return the EU 833/2014 banned HS-6 codes (HS2017) with date and categories."""
    return _read("eu_833_hs6.csv").with_columns(pl.col("partially_exempt") == "true")


@cache
def nomenclature() -> pl.DataFrame:
    """Return hscode, level, description and revision for HS2022 and HS2017 codes."""
    frames = [_read(f"{rev}.csv").with_columns(pl.lit(rev.upper()).alias("revision")) for rev in ("hs2022", "hs2017")]
    return pl.concat(frames).with_columns(pl.col("level").cast(pl.Int8))


@cache
def known_codes(level: int) -> frozenset[str]:
    """Return every code of one level (2, 4 or 6) in HS2022 or HS2017."""
    codes = nomenclature().filter(pl.col("level") == level)["hscode"]
    return frozenset(codes.to_list())


@cache
def descriptions() -> dict[str, str]:
    """Return code → description, HS2022 wording first, HS2017 for codes it alone has."""
    table = nomenclature().unique(subset="hscode", keep="first", maintain_order=True)
    return dict(zip(table["hscode"].to_list(), table["description"].to_list(), strict=True))
