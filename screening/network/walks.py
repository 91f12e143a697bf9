"""Ownership walks: the chains of owners above one party, climbed level by level with a cap per level.

``links`` has one row per stake: ``owner_key`` and ``owned_key`` (node keys, e.g. from
:func:`screening.network.keys.name_keys`) and ``step`` (a struct with the stake's ``share`` and
``via``, and whatever a page shows of the link). A walk starts at the links into the start key and
climbs one owner per level, never revisiting a key, at most ``max_depth`` levels. Each level keeps
at most ``max_walks`` walks before the next level is joined: those whose last stake is largest
(unknown stakes last), then in the order of their keys and their steps' ``via``, so a run's order
never decides. A dense graph (thousands of owners of one holding) so costs at most
``max_depth × max_walks`` walks, and :attr:`Walks.cut` says whether a level had more than it kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

_SEP = "\x1f"  # joins a walk's keys into one sortable text; no name holds it


@dataclass(frozen=True)
class Walks:
    """The walks kept, longest first, and whether a level had more walks than the cap."""

    walks: pl.DataFrame  # keys (start first), steps (the links, lowest first), depth
    cut: bool


def _ordered(level: pl.DataFrame) -> pl.DataFrame:
    """Return a level's walks, the largest last stake first, then in the order of their keys and steps' ``via``."""
    share = pl.col("steps").list.last().struct.field("share")
    vias = pl.col("steps").list.eval(pl.element().struct.field("via").fill_null("")).list.join(_SEP)
    keys = pl.col("keys").list.join(_SEP)
    return level.sort(share, keys, vias, descending=[True, False, False], nulls_last=True, maintain_order=True)


def _climb(level: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Return the walks one owner above a level's, none revisiting a key."""
    joined = level.join(links, left_on="top", right_on="owned_key", maintain_order="left_right")
    return joined.filter(~pl.col("keys").list.contains(pl.col("owner_key"))).select(
        top="owner_key",
        keys=pl.col("keys").list.concat(pl.col("owner_key")),
        steps=pl.col("steps").list.concat(pl.concat_list("step")),
        depth=pl.col("depth") + 1,
    )


def owner_walks(links: pl.DataFrame, start: str, *, max_depth: int, max_walks: int) -> Walks:
    """Return the walks up from ``start`` through ``links``, at most ``max_walks`` per level, longest first."""
    first = links.filter((pl.col("owned_key") == start) & (pl.col("owner_key") != start))
    level = first.select(
        top="owner_key",
        keys=pl.concat_list(pl.lit(start, pl.String), "owner_key"),
        steps=pl.concat_list("step"),
        depth=pl.lit(1, pl.Int64),
    )
    kept, cut = [], False
    for _ in range(max_depth):
        if level.height == 0:
            break
        cut = cut or level.height > max_walks
        level = _ordered(level).head(max_walks)
        kept.append(level)
        level = _climb(level, links)
    if not kept:
        return Walks(level.select("keys", "steps", "depth"), cut)
    return Walks(pl.concat(kept[::-1]).select("keys", "steps", "depth"), cut)
