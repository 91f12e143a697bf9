"""Streamed synthetic ledgers: partitions written one at a time, memory bounded by the partition size.

``write_ledger_stream`` writes ``ledger/part-00000.parquet`` … (each partition whole blocks of
:data:`~screening.synth.ledger.BLOCK_ROWS` records, so the records equal ``generate_ledger`` of the
same rows and seed however they are partitioned), the truth into one Parquet file row group by row
group, the party pool (``parties.parquet``, with the planted listed and near-miss names as parties
of their own) and the lists planted against (``lists.csv``, the generic list CSV).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from screening.frames import fmt
from screening.synth.ledger import (
    BLOCK_ROWS,
    LISTED_RATE,
    NEAR_MISS_RATE,
    Ledger,
    World,
    block_sizes,
    build_world,
    ledger_block,
)
from screening.synth.listed import planted_lists


@dataclass(frozen=True)
class Written:
    """The files a streamed ledger wrote."""

    partitions: list[Path]
    truth: Path
    parties: Path
    lists: Path


def partition_blocks(rows: int, part_rows: int) -> list[list[tuple[int, int]]]:
    """Return, per partition, its (block index, block size) pairs: whole blocks of about ``part_rows``."""
    per_part = max(1, round(part_rows / BLOCK_ROWS))
    blocks = list(enumerate(block_sizes(rows)))
    return [blocks[i : i + per_part] for i in range(0, len(blocks), per_part)] or [[(0, 0)]]


def write_ledger_stream(
    rows: int,
    seed: int,
    directory: Path,
    part_rows: int = 5_000_000,
    *,
    file_format: str = "parquet",
    rates: tuple[float, float] = (LISTED_RATE, NEAR_MISS_RATE),
) -> Written:
    """Write a seeded ledger of ``rows`` records in partitions, with its truth, parties and lists."""
    world = build_world(rows, seed)
    folder = directory / "ledger"
    folder.mkdir(parents=True, exist_ok=True)
    truth_path = directory / "truth.parquet"
    partitions, writer = [], None
    try:
        for number, blocks in enumerate(partition_blocks(rows, part_rows)):
            part = _partition(world, seed, blocks, rates)
            path = folder / f"part-{number:05d}.{file_format}"
            part.records.write_csv(path) if file_format == "csv" else part.records.write_parquet(path)
            partitions.append(path)
            table = part.truth.to_arrow()
            writer = writer or pq.ParquetWriter(truth_path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return Written(partitions, truth_path, write_parties(world, directory), write_lists(directory))


def _partition(world: World, seed: int, blocks: list[tuple[int, int]], rates: tuple[float, float]) -> Ledger:
    """Return the records and truth of one partition's blocks."""
    parts = [ledger_block(world, seed, b, n, rates) for b, n in blocks]
    return Ledger(records=pl.concat([p.records for p in parts]), truth=pl.concat([p.truth for p in parts]))


def planted_parties(world: World) -> pl.DataFrame:
    """Return the planted listed variants and near misses as parties (``L…`` ids) with their typology."""
    planted = pl.concat([world.variants, world.near]).with_row_index("n", offset=1)
    return planted.select(
        fmt("L{}", pl.col("n").cast(pl.String).str.zfill(6)).alias("party_id"),
        pl.when(pl.col("schema") == "Person").then(pl.lit("person")).otherwise(pl.lit("company")).alias("kind"),
        "name",
        pl.when(pl.col("variant") == "near_miss")
        .then(pl.lit("near_miss"))
        .otherwise(pl.lit("listed_variant"))
        .alias("party_typology"),
        "entity_id",
        "variant",
    )


def write_parties(world: World, directory: Path) -> Path:
    """Write the party pool and the planted parties as ``parties.parquet``."""
    pool = world.pool.head(world.pool.height - 1).drop("activity")
    path = directory / "parties.parquet"
    pl.concat([pool, planted_parties(world)], how="diagonal").write_parquet(path)
    return path


def write_lists(directory: Path) -> Path:
    """Write the names of the entities planted against as ``lists.csv`` (generic list CSV)."""
    path = directory / "lists.csv"
    planted_lists().write_csv(path)
    return path
