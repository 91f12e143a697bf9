"""This run's transactions as a Spark view that answers the run-level reads, so the driver gets only their results.

:func:`transaction_records` unions the staged records of every transactions input (quarantine rows
left out); :class:`SparkTables` registers them as the view ``screening_transactions`` and answers
queries over it (:class:`screening.kinds.base.RunTables`): the corridor legs, the entity red
flags' aggregations (:mod:`screening.kinds.redflag_reads`), the run's distinct party names and the
records naming a few of them (:mod:`screening.kinds.parties`, OWN-001; the wanted names travel as a
small broadcast view) and PAY-001's reads of its payments run as Spark SQL; the records whose
repeat key another record shares (ENTITY-007) are found by hashing the key with the same polars
expression as on one machine, inside ``mapInArrow``, then grouping the hashes on Spark; and
PAY-001's chain search runs on the workers, one slice of quarters per group of ``applyInArrow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial, reduce
from typing import Final

import polars as pl
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as sf

from screening.schema import TRANSACTION_COLUMNS
from screening.spark.arrow import arrow_schema, from_arrow, spark_schema, to_batches
from screening.spark.ingest import Staged
from screening.sql import VIEW

IDENTITY: Final = ("source_file", "line")
HASHED: Final[dict[str, pl.DataType]] = {"source_file": pl.String(), "line": pl.Int64(), "key": pl.Int64()}


def transaction_records(spark: SparkSession, staged: Sequence[Staged]) -> DataFrame:
    """Return the stored records of every transactions input as one Spark frame (empty when there are none)."""
    frames = [
        s.rows(spark).filter(sf.col("reason").isNull()).select(*TRANSACTION_COLUMNS)
        for s in staged
        if s.kind == "transactions" and s.stats.stored
    ]
    if not frames:
        return spark.createDataFrame([], spark_schema(TRANSACTION_COLUMNS))
    return reduce(DataFrame.unionByName, frames)


class SparkTables:
    """One run's transactions as the Spark view ``screening_transactions``, answering queries over it."""

    def __init__(self, spark: SparkSession, records: DataFrame) -> None:
        """Register ``records`` (this run's transactions, canonical columns) as the view."""
        self.spark = spark
        records.createOrReplaceTempView(VIEW)

    def frame(self, sql: str, views: Mapping[str, pl.DataFrame] | None = None) -> pl.DataFrame:
        """Return the result of a Spark SQL query as a polars frame; ``views`` are small frames it may name.

        Each small frame is registered for the query as a broadcast temporary view (a wanted-names
        list, say), so it joins the records on every executor without a shuffle.
        """
        with self._views(views):
            return from_arrow(self.spark.sql(sql).toArrow())

    def grouped(
        self,
        sql: str,
        group: str,
        work: Callable[[pl.DataFrame], pl.DataFrame],
        columns: Mapping[str, pl.DataType],
        views: Mapping[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        """Return ``work`` applied on the workers (``applyInArrow``) to each ``group`` of a query's rows, concatenated.

        ``work`` travels to the workers pickled, with whatever it holds (a slice search its party keys).
        """

        def apply(table: pa.Table) -> pa.Table:  # a plain function: PySpark 4.3 reads its type hints, not a partial's
            return apply_group(table, work=work, columns=columns)

        with self._views(views):
            rows = self.spark.sql(sql)
            return from_arrow(rows.groupBy(group).applyInArrow(apply, spark_schema(columns)).toArrow())

    @contextmanager
    def _views(self, views: Mapping[str, pl.DataFrame] | None) -> Iterator[None]:
        """Register small frames as broadcast temporary views while a query runs."""
        small = dict(views or {})
        for name, frame in small.items():
            table = self.spark.createDataFrame(frame.to_arrow(), spark_schema(frame.schema))
            sf.broadcast(table).createOrReplaceTempView(name)
        try:
            yield
        finally:
            for name in small:
                self.spark.catalog.dropTempView(name)

    def repeated(self, columns: Sequence[str], where: str, key: pl.Expr) -> pl.DataFrame:
        """Return ``columns`` of the records meeting ``where`` whose ``key`` hashes as another such record's does.

        The hash is polars' own (the same version on the driver and the workers), so the records are
        exactly those the store's read finds; only the candidates' rows reach the driver.
        """
        needs = {c: TRANSACTION_COLUMNS[c] for c in dict.fromkeys([*IDENTITY, *key.meta.root_names()])}
        usable = self.spark.sql(f"SELECT * FROM {VIEW} WHERE {where}")
        hashed = usable.select(*needs).mapInArrow(partial(key_hashes, key=key, columns=needs), spark_schema(HASHED))
        # a window, not a join with the counts: the hashes are computed once
        shared = hashed.withColumn("n", sf.count("*").over(Window.partitionBy("key"))).filter(sf.col("n") > 1)
        picked = usable.join(shared.select(*IDENTITY), list(IDENTITY), "left_semi")
        return from_arrow(picked.select(*columns).toArrow())


def apply_group(
    table: pa.Table, *, work: Callable[[pl.DataFrame], pl.DataFrame], columns: Mapping[str, pl.DataType]
) -> pa.Table:
    """Return ``work`` of one group's rows as an Arrow table of exactly ``columns``."""
    return pa.Table.from_batches(list(to_batches(work(from_arrow(table)), columns)), schema=arrow_schema(columns))


def key_hashes(
    batches: Iterator[pa.RecordBatch], *, key: pl.Expr, columns: dict[str, pl.DataType]
) -> Iterator[pa.RecordBatch]:
    """Yield each record's identity and the polars hash of its key (as a signed 64-bit integer), batch by batch."""
    for batch in batches:
        frame = from_arrow(batch).select([pl.col(c).cast(t) for c, t in columns.items()])
        hashed = frame.select(*IDENTITY, key.hash().reinterpret(signed=True).alias("key"))
        yield from to_batches(hashed, HASHED)
