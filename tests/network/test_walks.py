"""Owner walks on small graphs: levels, cycles, the depth limit and the cap per level."""

from __future__ import annotations

import polars as pl
import pytest

from screening.network.walks import owner_walks

# (owner, owned): A owns P; B and C own A; D owns B; P owns D (a cycle back to the start)
EDGES = [("A", "P"), ("C", "A"), ("B", "A"), ("D", "B"), ("P", "D"), ("P", "P")]


def links(edges: list[tuple[str, str]], shares: dict[str, float] | None = None) -> pl.DataFrame:
    """Return links of (owner, owned) pairs, each step naming its owner and its stake (``shares``, else unknown)."""
    frame = pl.DataFrame(edges, schema=["owner_key", "owned_key"], orient="row")
    share = pl.col("owner_key").replace_strict(shares or {}, default=None, return_dtype=pl.Float64)
    return frame.with_columns(step=pl.struct(owner="owner_key", share=share, via=pl.lit("f.csv")))


@pytest.mark.parametrize(
    ("start", "depth", "cap", "walks", "cut"),
    [
        ("P", 6, 10, ["PABD", "PAB", "PAC", "PA"], False),  # longest first, then by keys; P never twice
        ("P", 2, 10, ["PAB", "PAC", "PA"], False),  # at most two owners up
        ("P", 6, 1, ["PABD", "PAB", "PA"], True),  # one walk a level: C's is cut, the cut is said
        ("B", 6, 10, ["BDPAC", "BDPA", "BDP", "BD"], False),  # round the cycle: A's owner B is not climbed again
        ("X", 6, 10, [], False),
    ],
)
def test_owner_walks(start: str, depth: int, cap: int, walks: list[str], cut: bool) -> None:
    found = owner_walks(links(EDGES), start, max_depth=depth, max_walks=cap)
    assert ["".join(k) for k in found.walks["keys"].to_list()] == walks
    assert found.cut is cut
    for keys, steps in found.walks.select("keys", "steps").rows():
        assert [s["owner"] for s in steps] == keys[1:]  # each step names the owner the walk climbs to


@pytest.mark.parametrize(
    ("shares", "walks"),
    [
        ({}, ["PABD", "PAB", "PA"]),  # all stakes unknown: by keys
        ({"C": 0.6, "B": 0.3}, ["PAC", "PA"]),  # the largest stake is kept, C has no owners
        ({"B": 0.3}, ["PABD", "PAB", "PA"]),  # a known stake before an unknown one
    ],
)
def test_a_cut_level_keeps_the_largest_stakes(shares: dict[str, float], walks: list[str]) -> None:
    found = owner_walks(links(EDGES, shares), "P", max_depth=6, max_walks=1)
    assert ["".join(k) for k in found.walks["keys"].to_list()] == walks


def test_a_wide_level_is_cut_before_it_is_climbed() -> None:
    """A holding with 5,000 owners, three of them with 5,000 owners each, costs only the capped walks."""
    wide = [(f"O{i:04}", "P") for i in range(5000)] + [(f"U{j:04}", f"O{i:04}") for i in range(3) for j in range(5000)]
    found = owner_walks(links(wide), "P", max_depth=6, max_walks=20)
    assert found.cut
    assert found.walks.height == 40  # 20 on each level
    assert found.walks["keys"][-1].to_list() == ["P", "O0019"]  # the first 20 owners in key order
