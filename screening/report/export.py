"""Machine-readable outputs: hits as JSON, CSV or Parquet, the run summary and the quarantine.

CSV cells that a spreadsheet would read as a formula (starting with ``= + - @``, tab or carriage
return) are prefixed with an apostrophe, so an exported list entry cannot run code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import ConfigError
from screening.pipeline import ScanResult
from screening.report.summary import run_summary

FORMATS: Final = ("json", "csv", "parquet")
_FORMULA_START: Final = r"^[=+\-@\t\r]"


def neutralize_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that start like a spreadsheet formula with an apostrophe."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


def write_table(frame: pl.DataFrame, path: Path) -> None:
    """Write a frame in the format its suffix names."""
    fmt = path.suffix.lstrip(".")
    if fmt == "csv":
        neutralize_formulas(frame).write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "json":
        frame.write_json(path)  # an array of row objects, written by polars without a Python object per row
    else:
        raise ConfigError(f"{path}: unknown output format '{fmt}'; valid: {', '.join(FORMATS)}")


def write_outputs(result: ScanResult, directory: Path, fmt: str) -> list[Path]:
    """Write hits.<fmt>, quarantine.<fmt> and summary.json into a directory; return the paths."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt}: valid formats are {', '.join(FORMATS)}, rich")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{directory}: cannot create the output directory ({exc.strerror})"
        ) from exc
    paths = [directory / f"hits.{fmt}", directory / f"quarantine.{fmt}", directory / "summary.json"]
    write_table(result.hits, paths[0])
    write_table(result.quarantine, paths[1])
    summary = json.dumps(run_summary(result), ensure_ascii=False, indent=1, default=str)
    paths[2].write_text(summary + "\n", encoding="utf-8")
    return paths
