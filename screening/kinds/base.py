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

The context is frozen: what a kind builds once per run (a name index, the corridor legs) is a
:class:`Resource` it declares as a module constant and reads with ``ctx.resource(...)``, typed, built
on first use and shared by every rule and batch of the run. The registry entry of a kind is a
:class:`KindSpec`, which declares what scoring, reports and engines need to know about it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Final, Generic, Literal, Protocol, TypeVar, cast

import duckdb
import polars as pl

from screening.schema import HIT_FRAME, RECORD_COLUMNS, RECORD_TABLES, RecordKind, conform
from screening.store import Store as DuckStore


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


class Store(Protocol):
    """The store a check reads a run's records from (:class:`screening.store.Store` is one)."""

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """Return the store's DuckDB connection (small frames are registered on it for a query)."""
        ...

    def frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Return a query's result as a polars frame."""
        ...

    def batches(self, sql: str, params: list[Any] | None = None, rows: int = 1_000_000) -> Iterator[pl.DataFrame]:
        """Yield a query's result as polars frames of at most ``rows`` rows."""
        ...

    def append(self, table: str, frame: pl.DataFrame) -> int:
        """Append a frame to a table (a kind writes only data-quality ``notes``); return the row count."""
        ...


T = TypeVar("T")


@dataclass(frozen=True)
class Resource(Generic[T]):
    """A per-run resource of type ``T`` (a name index, the corridor legs): built from the context once, on first use.

    A kind declares its resources as module constants, so the type of each is known where it is read
    (``ctx.resource(NAME_INDEX)`` is a ``NameIndex``); resources that depend on a rule's params are
    made per params by a function of the kind's module, their ``name`` naming the params.
    """

    name: str
    build: Callable[[ScanContext], T] = field(compare=False, repr=False)


class Resources:
    """The resources a run has built, each built once and never replaced; an engine may hand some in prebuilt."""

    def __init__(self, prebuilt: Mapping[str, object] | None = None) -> None:
        """Start with ``prebuilt`` resources by name (what a Spark driver built and shipped), else none."""
        self._built: dict[str, object] = dict(prebuilt or {})
        self._lock = threading.RLock()  # re-entered: a resource may be built from others

    def get(self, resource: Resource[T], ctx: ScanContext) -> T:
        """Return the run's copy of a resource, building it the first time it is asked for."""
        with self._lock:
            if resource.name not in self._built:
                self._built[resource.name] = resource.build(ctx)
            return cast(T, self._built[resource.name])

    def built(self, resources: Iterable[Resource[Any]], ctx: ScanContext) -> dict[str, object]:
        """Return these resources by name, built now if they are not yet (what a driver ships to its workers)."""
        return {r.name: self.get(r, ctx) for r in resources}

    def clear(self) -> None:
        """Drop every built resource: the run is done with them."""
        with self._lock:
            self._built.clear()


@dataclass(frozen=True)
class ScanContext:
    """What a check may need besides the records: the record kind, the store, the run and its resources.

    It is never changed: each batch gets its own copy with its record kind (:meth:`for_kind`), which
    shares the run's :class:`Resources`.
    """

    record_kind: RecordKind
    store: Store | None = None
    run_id: str = ""
    tables: RunTables | None = None  # set by an engine that aggregates the transactions itself (Spark)
    resources: Resources = field(default_factory=Resources, compare=False, repr=False)

    def resource(self, resource: Resource[T]) -> T:
        """Return the run's copy of a resource, built once per run."""
        return self.resources.get(resource, self)

    def for_kind(self, kind: RecordKind) -> ScanContext:
        """Return this context for a batch of another record kind, sharing the run's resources."""
        return self if kind == self.record_kind else replace(self, record_kind=kind)


_CURSORS: dict[int, list[duckdb.DuckDBPyConnection]] = {}  # a connection's id -> the open cursors made of it here
_CURSORS_LOCK = threading.Lock()
STOP_POLL: Final = 0.05  # seconds between interrupts of work being stopped: one reaches only a query under way


@contextmanager
def own_connection(ctx: ScanContext) -> Iterator[ScanContext | None]:
    """Yield the context on a store connection of its own, for another thread (None: Spark, or no DuckDB store)."""
    if ctx.tables is not None or not isinstance(ctx.store, DuckStore):
        yield None
        return
    parent = ctx.store.con
    cursor = parent.cursor()  # DuckDB: one connection per thread
    with _CURSORS_LOCK:
        _CURSORS.setdefault(id(parent), []).append(cursor)
    try:
        yield replace(ctx, store=DuckStore(con=cursor, path=ctx.store.path))
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # still busy in a thread: the exception in flight is the one to tell
            cursor.close()
        raise
    else:
        cursor.close()
    finally:
        with _CURSORS_LOCK:
            siblings = _CURSORS[id(parent)]
            siblings[:] = [c for c in siblings if c is not cursor]
            if not siblings:
                del _CURSORS[id(parent)]


def interrupt(con: duckdb.DuckDBPyConnection) -> None:
    """Interrupt the query a connection runs, and those of the cursors :func:`own_connection` made of it."""
    with _CURSORS_LOCK:
        cursors = list(_CURSORS.get(id(con), ()))
    with contextlib.suppress(duckdb.Error):  # closed meanwhile: nothing to interrupt
        con.interrupt()
    for cursor in cursors:
        interrupt(cursor)


class SideThread:
    """A thread that runs work beside the caller's on a store connection of its own (see :func:`side_thread`)."""

    def __init__(self, ctx: ScanContext | None, pool: ThreadPoolExecutor) -> None:
        """Run work in ``pool`` on ``ctx`` (None: no connection of its own, so nothing may run beside)."""
        self.ctx = ctx
        self._pool = pool
        self._work: list[Future[Any]] = []

    def submit(self, work: Callable[..., T], *args: Any) -> Future[T]:
        """Start ``work(*args)`` in the thread; return its future."""
        future = self._pool.submit(work, *args)
        self._work.append(future)
        return future

    def stop(self) -> None:
        """Cancel the work not started and interrupt the queries of the work under way until it ends."""
        for future in self._work:
            future.cancel()
        store = None if self.ctx is None else self.ctx.store
        while isinstance(store, DuckStore) and not all(future.done() for future in self._work):
            interrupt(store.con)
            wait(self._work, timeout=STOP_POLL)


@contextmanager
def side_thread(ctx: ScanContext) -> Iterator[SideThread]:
    """Yield a thread to run work beside this one on a store connection of its own.

    When this thread raises, the work is stopped and waited for before its connection closes, so the
    exception comes back as it was raised, without waiting for the work to end.
    """
    with own_connection(ctx) as aside, ThreadPoolExecutor(max_workers=1) as pool:
        side = SideThread(aside, pool)
        try:
            yield side
        except BaseException:
            side.stop()
            raise


Check = Callable[[pl.LazyFrame, ScanContext], pl.LazyFrame]


@dataclass(frozen=True)
class RunCheck:
    """A check over all of a run's stored records, called once after ingestion."""

    run: Callable[[ScanContext], pl.DataFrame]
    # May run beside the other run-level rules, on a store connection of its own: it only reads.
    beside: bool = False


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
ScorerName = Literal["model", "hand"]  # the name scorer a rule screens by: hand weights (default) or the learned model
Amount = Annotated[float, Range(0.0)]  # a value, a ratio or a deviation: not negative


Level = Literal["row", "run"]  # row: called per batch of records; run: once, over the run's stored records
Family = Literal["goods", "corridors", "ownership"]  # the report chart a kind's hits are drawn in


@dataclass(frozen=True)
class KindSpec:
    """A rule kind: the function that builds its check from a rule's params, and what the kind declares about itself.

    Reports, scoring and engines read these declarations, never a rule's id: a user's own rule
    ``MYCO-001`` of kind ``chpl_goods`` is drawn in the goods chart as ``GOODS-001`` is.
    """

    build: Callable[..., Check | RunCheck]
    level: Level
    reads: frozenset[str] = frozenset()  # the stored tables its checks read (row-level kinds: none)
    lists_party: bool = False  # its hits say a party is on a sanctions list (listed parties rank first)
    family: Family | None = None  # the report chart its hits belong in, if any
    # the stored tables whose every read goes through an engine's own copy (ctx.tables) when it has one
    engine_reads: frozenset[str] = frozenset()
    # the resources its checks read from the store, built once before the batches (and shipped to Spark's workers)
    shares: tuple[Resource[Any], ...] = ()

    def store_reads(self) -> frozenset[str]:
        """Return the tables it reads from the store even when an engine answers reads itself."""
        return self.reads - self.engine_reads
