"""What a rule kind is: a typed function whose keyword arguments are the rule's params.

A kind returns a :data:`Check`. The engine calls the check once per batch of records with a
:class:`ScanContext` and gets back a frame of hits with the columns of :data:`HIT_FRAME`:
``record_id``, ``score`` in (0, 1], ``detail`` (human text written by the same code that computed
the score), ``severity`` (null keeps the rule's own) and ``party`` (null when the hit is about
goods or routes rather than a named party); a hit about a list entry may add ``entity_id``.
Row-level kinds build polars expressions with :func:`row_check`; frame-level kinds (names)
return any function of that shape.

A kind that needs every record of a run at once (corridors against their baseline, ownership
graphs, a party's history) returns a :class:`RunCheck` instead: the engine calls it once, after
every input file is stored, and it reads the run's records from the store with :func:`run_records`.
An engine that holds the run's transactions itself (Spark) sets ``ScanContext.tables`` so that the
reads that aggregate them run there (:class:`RunTables`) and only their small results reach the kind.
Its hits may add ``source_file`` and ``line``; a hit about a corridor has a readable key as
``record_id`` ("CN>KG 8482 2023") and no line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

import polars as pl

from screening.schema import HIT_FRAME, RECORD_COLUMNS, RECORD_TABLES, RecordKind, conform


class RunTables(Protocol):
    """An engine's own copy of this run's transactions, answering aggregating reads in place of the store.

    Queries are Spark SQL over the view ``screening_transactions``, which holds this run's records only.
    """

    def frame(self, sql: str, views: Mapping[str, pl.DataFrame] | None = None) -> pl.DataFrame:
        """Return the result of a query as a polars frame; ``views`` are small frames the query may name."""
        ...

    def repeated(self, columns: Sequence[str], where: str, key: pl.Expr) -> pl.DataFrame:
        """Return ``columns`` of the records meeting ``where`` whose ``key`` hashes as another such record's does."""
        ...

    def grouped(
        self,
        sql: str,
        group: str,
        work: Callable[[pl.DataFrame], pl.DataFrame],
        columns: Mapping[str, pl.DataType],
        views: Mapping[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        """Return ``work`` (typed ``columns``) applied where the records are to each ``group`` of a query's rows."""
        ...


@dataclass
class ScanContext:
    """What a check may need besides the records: the record kind and shared, cached resources."""

    record_kind: RecordKind
    store: Any = None  # screening.store.Store | None, typed loosely to keep kinds import-light
    cache: dict[str, Any] = field(default_factory=dict)
    run_id: str = ""
    tables: RunTables | None = None  # set by an engine that aggregates the transactions itself (Spark)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """Return ``cache[key]``, building it once per run."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


Check = Callable[[pl.LazyFrame, ScanContext], pl.LazyFrame]


@dataclass(frozen=True)
class RunCheck:
    """A check over all of a run's stored records, called once after ingestion."""

    run: Callable[[ScanContext], pl.DataFrame]


def run_records(
    ctx: ScanContext, table: str, columns: Sequence[str] | None = None, where: str | None = None
) -> pl.DataFrame:
    """Return this run's stored records of a kind or table (all canonical columns unless named).

    ``where`` is an extra SQL condition over the table's columns, written by a rule's code (never
    by a user), so a rule reads only the records it can use.
    """
    kind = next((k for k, t in RECORD_TABLES.items() if table in (k, t)), None)
    if kind is None:
        raise ValueError(f"no record table {table!r}; one of {sorted(RECORD_TABLES.values())}")
    canonical = RECORD_COLUMNS[kind]
    wanted = list(columns) if columns is not None else list(canonical)
    schema = {c: canonical[c] for c in wanted}
    if ctx.store is None:
        return pl.DataFrame(schema=schema)
    names = ", ".join(f'"{c}"' for c in wanted)
    condition = f" AND ({where})" if where else ""
    query = f"SELECT {names} FROM {RECORD_TABLES[kind]} WHERE run_id = ?{condition} ORDER BY source_file, line"
    frame: pl.DataFrame = ctx.store.frame(query, [ctx.run_id])
    return conform(frame, schema)


def empty_hits() -> pl.LazyFrame:
    """Return an empty hits frame."""
    return pl.LazyFrame(schema=HIT_FRAME)


def has_columns(frame: pl.LazyFrame, *names: str) -> bool:
    """Tell whether a frame has every named column."""
    present = set(frame.collect_schema().names())
    return all(name in present for name in names)


def row_check(
    needs: tuple[str, ...],
    score: pl.Expr,
    detail: pl.Expr,
    severity: pl.Expr | None = None,
    party: pl.Expr | None = None,
) -> Check:
    """Build a check from per-row expressions; rows scoring null or 0 are not hits."""

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        if not has_columns(frame, *needs):
            return empty_hits()
        # score every row, but write details only for the rows that hit
        return (
            frame.with_columns(score.cast(pl.Float64).alias("_score"))
            .filter(pl.col("_score") > 0)
            .select(
                pl.col("record_id"),
                pl.col("_score").alias("score"),
                detail.cast(pl.String).alias("detail"),
                (severity if severity is not None else pl.lit(None)).cast(pl.String).alias("severity"),
                (party if party is not None else pl.lit(None)).cast(pl.String).alias("party"),
            )
        )

    return check


@dataclass(frozen=True)
class Range:
    """The values a numeric rule parameter may take, declared in a kind's signature with ``Annotated``."""

    low: float | None = None
    high: float | None = None

    def admits(self, value: float) -> bool:
        """Tell whether a value lies in the range (bounds included)."""
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"from {self.low:g} to {self.high:g}"
        return f"at least {self.low:g}" if self.low is not None else f"at most {self.high:g}"


Score = Annotated[float, Range(0.0, 1.0)]  # a match score or a fraction
Count = Annotated[int, Range(1)]  # how many: at least one
Amount = Annotated[float, Range(0.0)]  # a value, a ratio or a deviation: not negative
