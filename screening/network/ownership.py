"""Ownership exposure: the OFAC 50 % rule and aggregate indirect ownership by listed parties.

Two measures over an :class:`~screening.network.graph.OwnershipGraph`, both polars joins
iterated over graph depth (never over records):

- **OFAC 50 % rule** (:func:`ofac_blocked`, a fixpoint): blocked = listed; an entity becomes
  blocked when the direct stakes held by blocked owners add up to at least the threshold; repeat
  until nothing changes. The set only grows, so cycles terminate. This is OFAC's guidance of 13
  August 2014: a subsidiary 50 % owned by a blocked company is blocked itself and its own stakes
  count in full (A listed → 60 % → B → 80 % → C blocks C, though A's indirect share is 48 %).
- **Aggregate indirect ownership** (:func:`indirect_shares`): the sum over simple paths from
  listed roots of the product of the shares. A path stops at a listed node (that node's own
  stakes are counted from it as a root, not twice), never revisits a node (cycles terminate) and
  ends at ``max_depth`` edges; paths whose product falls under ``min_share`` are dropped and at
  most ``max_paths`` paths are kept per depth (the largest), so dense graphs cannot blow up. A sum
  over 100 % (inconsistent filings) is cut to 100 %; the detail then says what the stakes add up to.

Unknown stakes (null shares) are never read as 0 and never as 100 %. An entity that the rule
would block if the unknown stakes were whole, but does not block on the known ones, is reported
apart as ``unknown stake`` with the unknown stakes named; under the aggregate measure, a path
through an unknown stake makes its end ``unknown stake`` unless the known paths reach the
threshold. :func:`exposure` combines both measures: ``method`` picks the one that decides
(``ofac``, the default of rule OWN-001; ``aggregate``; or ``either``); the other is still
reported in the detail. Listed entities are never reported: they are exposures of their own.
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

from screening.errors import ConfigError
from screening.frames import fmt, ordered_sum
from screening.network.graph import EPS, OwnershipGraph, pct

Method = Literal["ofac", "aggregate", "either"]
METHODS: Final[tuple[str, ...]] = ("ofac", "aggregate", "either")
MAX_ROUNDS: Final = 100
SHOWN_PATHS: Final = 3
EXPOSURE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "key": pl.String(),
    "name": pl.String(),
    "status": pl.String(),  # exposed | unknown stake
    "ofac": pl.String(),  # blocked | unknown stake | not blocked
    "direct_share": pl.Float64(),  # known direct stakes held by blocked owners
    "indirect_share": pl.Float64(),  # known aggregate indirect share of listed roots
    "detail": pl.String(),
}


def _fixpoint(edges: pl.DataFrame, seeds: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Return every key blocked from the seeds by repeated stake sums (key, round)."""
    blocked = seeds.select("key").unique().with_columns(round=pl.lit(0, pl.Int64))
    for step in range(1, MAX_ROUNDS + 1):
        held = (
            edges.join(blocked.select(owner="key"), on="owner", how="semi")
            .group_by("owned")
            .agg(ordered_sum(pl.col("share")))
        )
        new = (
            held.filter(pl.col("share") >= threshold - EPS)
            .select(key="owned")
            .join(blocked, on="key", how="anti")
            .with_columns(round=pl.lit(step, pl.Int64))
        )
        if new.is_empty():
            break
        blocked = pl.concat([blocked, new])
    return blocked


def ofac_blocked(graph: OwnershipGraph, threshold: float = 0.5) -> pl.DataFrame:
    """Return key, blocked (on known stakes) and possible (blocked if unknown stakes were whole)."""
    known = _fixpoint(graph.edges, graph.listed, threshold).select("key", blocked=pl.lit(value=True))
    whole = graph.edges.with_columns(pl.col("share").fill_null(1.0))
    upper = _fixpoint(whole, graph.listed, threshold).select("key", possible=pl.lit(value=True))
    return upper.join(known, on="key", how="left").with_columns(pl.col("blocked").fill_null(value=False))


def _owner_status(graph: OwnershipGraph, status: pl.DataFrame) -> pl.DataFrame:
    """Return each owner's name and status text: listed, blocked or possibly blocked."""
    text = (
        pl.when(pl.col("listed"))
        .then(fmt("listed: {}", pl.col("label").fill_null("sanctions list")))
        .when(pl.col("blocked"))
        .then(pl.lit("blocked under the 50 % rule"))
        .otherwise(pl.lit("possibly blocked: stake unknown"))
    )
    return status.join(graph.nodes, on="key").select(
        owner="key", owner_name="name", owner_blocked="blocked", owner_text=text
    )


def direct_stakes(graph: OwnershipGraph, status: pl.DataFrame) -> pl.DataFrame:
    """Return per owned key the stakes of blocked or possibly blocked owners, summed and as text."""
    stakes = graph.edges.join(_owner_status(graph, status), on="owner")
    note = pl.when(pl.col("note").is_not_null()).then(pl.lit("; ") + pl.col("note")).otherwise(pl.lit(""))
    text = fmt("{} by {} ({}{})", pct(pl.col("share")), "owner_name", "owner_text", note)
    counted = pl.col("owner_blocked") & pl.col("share").is_not_null()
    return (
        stakes.with_columns(text=text, counted=counted)
        .sort("share", descending=True, nulls_last=True)
        .group_by("owned")
        .agg(
            direct_share=ordered_sum(pl.col("share").filter("counted")),
            known=pl.col("text").filter("counted").str.join(" + "),
            unknown=pl.col("text").filter(~pl.col("counted")).str.join(" + "),
        )
        .rename({"owned": "key"})
    )


def _step(frontier: pl.DataFrame, graph: OwnershipGraph) -> pl.DataFrame:
    """Extend every path by one edge, never revisiting a node."""
    names = graph.nodes.select(owned="key", owned_name="name", owned_listed="listed")
    grown = frontier.join(graph.edges.select("owner", "owned", edge="share"), left_on="node", right_on="owner")
    grown = grown.filter(~pl.col("visited").list.contains(pl.col("owned"))).join(names, on="owned")
    return grown.select(
        "root",
        node="owned",
        share=pl.col("share") * pl.col("edge"),
        visited=pl.concat_list("visited", "owned"),
        text=fmt("{} → {} → {}", "text", pct(pl.col("edge")), "owned_name"),
        listed="owned_listed",
    )


def indirect_shares(
    graph: OwnershipGraph, max_depth: int = 6, min_share: float = 0.001, max_paths: int = 2_000_000
) -> pl.DataFrame:
    """Return per unlisted key the known indirect share of listed roots and the paths as text."""
    roots = graph.nodes.filter(pl.col("listed")).select(
        root="key",
        node="key",
        share=pl.lit(1.0),
        visited=pl.concat_list(pl.col("key")),
        text=fmt("{} (listed)", "name"),
        listed=pl.lit(value=True),
    )
    frontier, found = roots, []
    for _ in range(max_depth):
        grown = _step(frontier, graph)
        grown = grown.filter(pl.col("share").is_null() | (pl.col("share") >= min_share))
        grown = grown.sort("share", descending=True, nulls_last=True).head(max_paths)
        found.append(grown.filter(~pl.col("listed")))
        frontier = grown.filter(~pl.col("listed"))
        if frontier.is_empty():
            break
    paths = pl.concat(found) if found else roots.clear()
    return _summed(paths)


def _summed(paths: pl.DataFrame) -> pl.DataFrame:
    """Return per node the summed known share, the largest paths and the unknown ones as text."""
    text = fmt("{}: {} indirect", "text", pct(pl.col("share")))
    return (
        paths.with_columns(text=text)
        .sort("share", descending=True, nulls_last=True)
        .group_by("node")
        .agg(
            indirect_share=ordered_sum(pl.col("share")).clip(0.0, 1.0),
            paths=pl.col("text").filter(pl.col("share").is_not_null()).head(SHOWN_PATHS).str.join("; "),
            path_count=pl.col("share").is_not_null().sum(),
            unknown_paths=pl.col("text").filter(pl.col("share").is_null()).head(SHOWN_PATHS).str.join("; "),
        )
        .rename({"node": "key"})
    )


def _ofac_text(ofac: pl.Expr) -> pl.Expr:
    """Return the OFAC-rule part of the detail."""
    total = fmt("; known stakes of blocked owners total {}", pct(pl.col("direct_share")))
    return (
        pl.when(ofac == "blocked")
        .then(fmt("owned {} → OFAC 50 % rule", "known"))
        .when(ofac == "unknown stake")
        .then(
            fmt("stake unknown: owned {}", "unknown")
            + pl.when(pl.col("direct_share") > 0).then(total).otherwise(pl.lit(""))
        )
        .otherwise(fmt("not blocked under the OFAC 50 % rule (blocked owners hold {})", pct(pl.col("direct_share"))))
    )


def _indirect_text(method: Method) -> pl.Expr:
    """Return the aggregate part of the detail, empty when it only repeats a direct stake."""
    more = pl.when(pl.col("path_count") > SHOWN_PATHS).then(
        fmt(" (+{} more paths)", pl.col("path_count") - SHOWN_PATHS)
    )
    paths = fmt("; indirect: {}{}", "paths", more.fill_null(""))
    aggregate = fmt("; aggregate {} indirect", pct(pl.col("indirect_share")))
    unknown = fmt("; through unknown stakes: {}", "unknown_paths")
    differs = (pl.col("indirect_share") - pl.col("direct_share")).abs() > EPS
    show_paths = (pl.lit(method != "ofac") | differs) & (pl.col("paths") != "")
    show_unknown = pl.lit(method != "ofac") & (pl.col("unknown_paths") != "")
    first = pl.when(show_paths).then(paths + aggregate).otherwise(pl.lit(""))
    return first + pl.when(show_unknown).then(unknown).otherwise(pl.lit(""))


def _decided(frame: pl.DataFrame, threshold: float, method: Method) -> pl.DataFrame:
    """Add ``ofac`` and ``status`` (exposed | unknown stake | null) by the chosen method."""
    ofac = (
        pl.when(pl.col("blocked"))
        .then(pl.lit("blocked"))
        .when(pl.col("possible"))
        .then(pl.lit("unknown stake"))
        .otherwise(pl.lit("not blocked"))
    )
    by_paths = pl.col("indirect_share") >= threshold - EPS
    by_rule = pl.col("blocked")
    exposed = {"ofac": by_rule, "aggregate": by_paths, "either": by_rule | by_paths}[method]
    ofac_unknown = pl.col("possible") & ~pl.col("blocked")
    path_unknown = pl.col("unknown_paths") != ""
    unknown = {"ofac": ofac_unknown, "aggregate": path_unknown, "either": ofac_unknown | path_unknown}[method]
    status = pl.when(exposed).then(pl.lit("exposed")).when(unknown).then(pl.lit("unknown stake"))
    return frame.with_columns(ofac=ofac).with_columns(status=status)


def exposure(
    graph: OwnershipGraph, threshold: float = 0.5, method: Method = "ofac", max_depth: int = 6
) -> pl.DataFrame:
    """Return the unlisted entities exposed to listed owners, or exposed through unknown stakes."""
    if method not in METHODS:
        raise ConfigError(f"ownership method {method!r} is unknown; one of {', '.join(METHODS)}")
    status = ofac_blocked(graph, threshold)
    totals = graph.edges.group_by("owned").agg(total=ordered_sum(pl.col("share"))).rename({"owned": "key"})
    frame = (
        graph.nodes.filter(~pl.col("listed"))
        .select("key", "name")
        .join(status, on="key", how="left")
        .join(direct_stakes(graph, status), on="key", how="left")
        .join(indirect_shares(graph, max_depth), on="key", how="left")
        .join(totals, on="key", how="left")
        .with_columns(
            pl.col("blocked", "possible").fill_null(value=False),
            pl.col("direct_share", "indirect_share", "path_count").fill_null(0),
            pl.col("known", "unknown", "paths", "unknown_paths").fill_null(""),
        )
    )
    decided = _decided(frame, threshold, method).filter(pl.col("status").is_not_null())
    over = pl.when(pl.col("total") > 1 + EPS).then(fmt("; stakes on file add up to {}", pct(pl.col("total"))))
    detail = _ofac_text(pl.col("ofac")) + _indirect_text(method) + over.fill_null("")
    return decided.with_columns(detail=detail).select(list(EXPOSURE_COLUMNS)).sort("key")
