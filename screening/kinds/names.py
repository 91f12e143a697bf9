"""Rule kind ``name_match``: screen every party-name column against the sanctions watchlist.

The watchlist comes from the store's list tables when they hold names, else from the bundled
sample lists; its matching index is built once per run (``ctx.cached``). Each batch is screened
on its distinct names only, then the matches are joined back to every record carrying them. The
names already screened in the run are remembered with their matches (up to ``MEMO_NAMES``
names), so a name that recurs across batches is matched once: each 1M-row slice of the synthetic
10M-row ledger holds 126k distinct names, the whole ledger 162k.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import polars as pl

from screening import schema
from screening.frames import compact
from screening.kinds.base import HIT_FRAME, Check, Count, ScanContext, Score, empty_hits
from screening.names import DEFAULT_THRESHOLD, NameIndex, build_index, match_index

MEMO_NAMES: Final = 5_000_000  # past this many names a run stops remembering new ones (memory bound)


@dataclass
class _Memo:
    """The names a rule has screened in this run and their matches."""

    names: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"name": pl.String()}))
    hits: pl.DataFrame | None = None


def watchlist_index(ctx: ScanContext) -> NameIndex:
    """Return the run's name index, from the store's lists or the bundled sample."""
    from screening import lists  # noqa: PLC0415 - lists import the store, keep kinds light

    def build() -> NameIndex:
        if ctx.store is not None:
            frame = lists.watchlist_frame(ctx.store)
            if frame.height:
                ids = ctx.store.frame("SELECT entity_id, id_type, value, raw FROM list_identifiers")
                return build_index(frame, ids)
        imp = lists.sample_watchlist()
        return build_index(lists.watchlist_from_import(imp), imp.identifiers)

    index: NameIndex = ctx.cached("names_index", build)
    return index


def _match_new(names: pl.DataFrame, ctx: ScanContext, threshold: float, top: int, memo: _Memo) -> pl.DataFrame:
    """Return the matches of a batch's distinct names, matching only those the run has not screened yet."""
    new = names.join(memo.names, on="name", how="anti")
    found = match_index(new.select(id="name", name="name"), watchlist_index(ctx), threshold, top)
    if memo.hits is None:
        memo.hits = found.clear()
    known = memo.hits.join(names, left_on="query_id", right_on="name", how="semi")
    if memo.names.height + new.height <= MEMO_NAMES:
        memo.names = pl.concat([memo.names, compact(new)])  # not the batch's buffers: the memo outlives it
        memo.hits = pl.concat([memo.hits, compact(found)])
    return pl.concat([known, found])


def _columns(frame: pl.LazyFrame, ctx: ScanContext, columns: list[str] | None) -> list[str]:
    """Return the name columns present in the batch."""
    wanted = columns or (list(schema.PARTY_COLUMNS) if ctx.record_kind == "transactions" else ["name"])
    present = set(frame.collect_schema().names())
    return [c for c in wanted if c in present]


def name_match(*, threshold: Score = DEFAULT_THRESHOLD, columns: list[str] | None = None, top: Count = 1) -> Check:
    """Return a check that flags records whose party names match a listed entity."""

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        cols = _columns(frame, ctx, columns)
        if not cols:
            return empty_hits()
        text = frame.select("record_id", *[pl.col(c).cast(pl.String) for c in cols])
        long = (
            text.unpivot(on=cols, index="record_id", value_name="party")
            .select("record_id", "party")
            .drop_nulls("party")
            .collect()
        )
        names = long.select(name=pl.col("party")).unique()
        hits = _match_new(names, ctx, threshold, top, ctx.cached(f"names_memo {threshold} {top}", _Memo))
        joined = long.join(hits, left_on="party", right_on="query_id")
        return (
            joined.select(
                "record_id", "score", "detail", pl.lit(None, pl.String).alias("severity"), "party", "entity_id"
            )
            .cast({**HIT_FRAME, "entity_id": pl.String()})  # type: ignore[dict-item]
            .lazy()
        )

    return check
