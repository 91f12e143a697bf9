"""The ownership graph: who holds what stake in whom, one edge per (owner, owned) pair.

Decisions:

- A node key is a list entity id, or for input files a key made by the caller (the owner's id
  or normalised name). Keys are opaque strings here.
- Duplicate edges for the same (owner, owned) pair are historical or repeated filings of one
  stake (OpenSanctions has Zakharov → ЦСТ at 50, 48 and 51 %): they are never added up. The edge
  keeps the highest known share, and its ``note`` says how many filings there were and which
  shares they gave. All filings unknown gives an unknown (null) share.
- Self-loops are dropped; a node named by an edge but missing from the node table gets its key
  as name and counts as not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from screening.frames import fmt
from screening.schema import conform

EDGE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "owner": pl.String(),
    "owned": pl.String(),
    "share": pl.Float64(),  # fraction 0..1, null when unknown
}
NODE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "key": pl.String(),
    "name": pl.String(),
    "listed": pl.Boolean(),
    "label": pl.String(),  # where the listing comes from ("us_ofac_sdn UKRAINE-EO13661"), null if unlisted
}
EPS: Final = 1e-9  # shares are sums of floats: 0.1 + 0.2 + 0.2 must still reach 0.5


@dataclass(frozen=True)
class OwnershipGraph:
    """Deduplicated ownership edges and the nodes they join."""

    edges: pl.DataFrame  # owner, owned, share (highest known), filings, note
    nodes: pl.DataFrame  # NODE_COLUMNS, one row per key

    @property
    def listed(self) -> pl.DataFrame:
        """Return the keys of listed nodes."""
        return self.nodes.filter(pl.col("listed")).select("key")


def pct(share: pl.Expr) -> pl.Expr:
    """Return a share as percent text: 0.5 → '50 %', 0.483 → '48.3 %', null → '? %'."""
    value = (share * 100).round(1)
    whole = value.cast(pl.Int64).cast(pl.String)
    text = pl.when(value == value.round(0)).then(whole).otherwise(value.cast(pl.String))
    return pl.when(share.is_null()).then(pl.lit("? %")).otherwise(text + pl.lit(" %"))


def _deduplicated(edges: pl.DataFrame) -> pl.DataFrame:
    """Return one edge per (owner, owned): the highest known share and a note on repeated filings."""
    shares = pl.col("share").drop_nulls().unique().sort()
    merged = (
        edges.filter(pl.col("owner") != pl.col("owned"))
        .group_by("owner", "owned", maintain_order=True)
        .agg(share=pl.col("share").max(), filings=pl.len(), seen=shares)
    )
    seen = merged["seen"].list.eval(pct(pl.element())).list.join(", ")
    note = pl.when(pl.col("filings") > 1).then(
        fmt("{} filings: {}; highest taken, not summed", pl.col("filings"), seen.fill_null(""))
    )
    return merged.with_columns(note=note).drop("seen")


def _completed(nodes: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """Return one row per key, adding the edges' endpoints the node table lacks."""
    given = conform(nodes, NODE_COLUMNS)
    given = given.with_columns(pl.col("listed").fill_null(value=True)).unique("key", keep="first")
    ends = pl.concat([edges.select(key="owner"), edges.select(key="owned")]).unique()
    missing = ends.join(given, on="key", how="anti").with_columns(
        name=pl.col("key"), listed=pl.lit(value=False), label=pl.lit(None, pl.String)
    )
    return pl.concat([given, missing.select(list(NODE_COLUMNS))], how="vertical_relaxed")


def build_graph(edges: pl.DataFrame, nodes: pl.DataFrame) -> OwnershipGraph:
    """Build the graph from raw edges (owner, owned, share; repeats allowed) and node attributes."""
    raw = conform(edges, EDGE_COLUMNS).drop_nulls(["owner", "owned"])
    merged = _deduplicated(raw)
    return OwnershipGraph(edges=merged, nodes=_completed(nodes, merged))
