"""Ownership exposure on small graphs: the OFAC 50 % fixpoint, aggregate indirect shares, unknown stakes."""

from __future__ import annotations

import polars as pl
import pytest

from screening.errors import ConfigError
from screening.network.graph import OwnershipGraph, build_graph, pct
from screening.network.ownership import exposure, indirect_shares, ofac_blocked

Edge = tuple[str, str, float | None]


def graph(edges: list[Edge], listed: set[str]) -> OwnershipGraph:
    """Return a graph whose node names are their keys, listed as given."""
    frame = pl.DataFrame(edges, schema={"owner": pl.String, "owned": pl.String, "share": pl.Float64}, orient="row")
    keys = sorted({k for e in edges for k in e[:2]})
    nodes = pl.DataFrame(
        {
            "key": keys,
            "name": keys,
            "listed": [k in listed for k in keys],
            "label": ["OFAC SDN" if k in listed else None for k in keys],
        }
    )
    return build_graph(frame, nodes)


def statuses(g: OwnershipGraph, method: str = "ofac") -> dict[str, str]:
    """Return {key: status} of the exposed entities."""
    found = exposure(g, 0.5, method)  # type: ignore[arg-type]
    return dict(zip(found["key"], found["status"], strict=True))


CHAIN: list[Edge] = [("A", "B", 0.6), ("B", "C", 0.8)]
TWO_OWNERS: list[Edge] = [("X", "Y", 0.3), ("Z", "Y", 0.25)]
CYCLE: list[Edge] = [("A", "B", 0.6), ("B", "C", 0.6), ("C", "A", 0.5)]
UNLISTED_CYCLE: list[Edge] = [("A", "B", 0.1), ("B", "C", 1.0), ("C", "D", 1.0), ("D", "B", 1.0)]
DUPLICATES: list[Edge] = [("A", "D", 0.5), ("A", "D", 0.48), ("A", "D", 0.51), ("A", "E", 0.3), ("A", "E", 0.3)]
LISTED_SUB: list[Edge] = [("A", "L", 1.0), ("L", "N", 0.6), ("A", "N", 0.1)]
# OFAC FAQ: X owns 25 % of P and of Q, which own 50 % of R each: R is not blocked
FAQ: list[Edge] = [("X", "P", 0.25), ("X", "Q", 0.25), ("P", "R", 0.5), ("Q", "R", 0.5)]
# 45 % of B (not blocked) which owns D outright, plus 10 % of D directly: 55 % indirect
AGGREGATE_ONLY: list[Edge] = [("A", "B", 0.45), ("B", "D", 1.0), ("A", "D", 0.1)]


@pytest.mark.parametrize(
    ("edges", "listed", "method", "expected"),
    [
        (CHAIN, {"A"}, "ofac", {"B": "exposed", "C": "exposed"}),  # B blocked, so its 80 % counts in full
        (CHAIN, {"A"}, "aggregate", {"B": "exposed"}),  # C: 60 % x 80 % = 48 % indirect
        (TWO_OWNERS, {"X", "Z"}, "ofac", {"Y": "exposed"}),
        (TWO_OWNERS, {"X", "Z"}, "aggregate", {"Y": "exposed"}),
        (TWO_OWNERS, {"X"}, "ofac", {}),
        (CYCLE, {"A"}, "ofac", {"B": "exposed", "C": "exposed"}),
        (CYCLE, {"A"}, "aggregate", {"B": "exposed"}),  # C: 36 %
        (UNLISTED_CYCLE, {"A"}, "either", {}),
        ([("A", "U", None)], {"A"}, "ofac", {"U": "unknown stake"}),
        ([("A", "U", None), ("U", "V", 1.0)], {"A"}, "ofac", {"U": "unknown stake", "V": "unknown stake"}),
        ([("A", "U", None), ("A", "U", 0.6)], {"A"}, "ofac", {"U": "exposed"}),  # a known filing wins
        ([("A", "U", None)], {"A"}, "aggregate", {"U": "unknown stake"}),
        (DUPLICATES, {"A"}, "ofac", {"D": "exposed"}),  # E: 30 % filed twice is not 60 %
        ([("A", "B", 0.49)], {"A"}, "either", {}),
        ([("A", "B", 0.5)], {"A"}, "either", {"B": "exposed"}),
        ([("A", "B", 0.1), ("C", "B", 0.2), ("D", "B", 0.2)], {"A", "C", "D"}, "ofac", {"B": "exposed"}),
        (FAQ, {"X"}, "ofac", {}),
        (AGGREGATE_ONLY, {"A"}, "ofac", {}),
        (AGGREGATE_ONLY, {"A"}, "aggregate", {"D": "exposed"}),
        (AGGREGATE_ONLY, {"A"}, "either", {"D": "exposed"}),
        ([("A", "B", 1.0)], set(), "either", {}),
    ],
)
def test_exposure_status(edges: list[Edge], listed: set[str], method: str, expected: dict[str, str]) -> None:
    assert statuses(graph(edges, listed), method) == expected


@pytest.mark.parametrize(
    ("edges", "listed", "key", "indirect"),
    [
        (CHAIN, {"A"}, "C", 0.48),  # stakes multiply down a chain
        (TWO_OWNERS, {"X", "Z"}, "Y", 0.55),  # and add across owners
        (LISTED_SUB, {"A", "L"}, "N", 0.7),  # L's 60 % counts once, from L, not again through A
        (FAQ, {"X"}, "R", 0.25),
        (CYCLE, {"A"}, "C", 0.36),
        (AGGREGATE_ONLY, {"A"}, "D", 0.55),
    ],
)
def test_indirect_share(edges: list[Edge], listed: set[str], key: str, indirect: float) -> None:
    shares = indirect_shares(graph(edges, listed))
    assert shares.filter(pl.col("key") == key)["indirect_share"].item() == pytest.approx(indirect)


@pytest.mark.parametrize(
    ("edges", "key", "pieces"),
    [
        (CHAIN, "C", ["owned 80 % by B (blocked under the 50 % rule) → OFAC 50 % rule", "A (listed) → 60 % → B"]),
        (CHAIN, "B", ["owned 60 % by A (listed: OFAC SDN) → OFAC 50 % rule"]),
        (DUPLICATES, "D", ["owned 51 % by A", "3 filings: 48 %, 50 %, 51 %; highest taken, not summed"]),
        ([("A", "U", None)], "U", ["stake unknown: owned ? % by A (listed: OFAC SDN)"]),
        (
            [("A", "U", None), ("A", "B", 1.0), ("B", "U", 0.3)],
            "U",
            ["? % by A", "known stakes of blocked owners total 30 %"],
        ),
        ([("A", "B", 0.7), ("C", "B", 0.6)], "B", ["stakes on file add up to 130 %"]),
    ],
)
def test_detail_explains(edges: list[Edge], key: str, pieces: list[str]) -> None:
    detail = exposure(graph(edges, {"A"})).filter(pl.col("key") == key)["detail"].item()
    assert all(piece in detail for piece in pieces), detail


def test_listed_entities_are_not_reported_as_exposed() -> None:
    found = exposure(graph([("A", "L", 1.0), ("L", "N", 0.6)], {"A", "L"}))
    assert found["key"].to_list() == ["N"]


def test_fixpoint_keeps_known_and_possible_apart() -> None:
    status = ofac_blocked(graph([("A", "B", 0.6), ("A", "U", None)], {"A"}))
    rows = {k: (p, b) for k, p, b in status.select("key", "possible", "blocked").iter_rows()}
    assert rows == {"A": (True, True), "B": (True, True), "U": (True, False)}


def test_long_cycle_terminates_at_depth_cap() -> None:
    ring: list[Edge] = [(f"N{i}", f"N{(i + 1) % 50}", 1.0) for i in range(50)]
    found = exposure(graph(ring, {"N0"}), 0.5, "either", max_depth=6)
    assert found.height == 49  # the fixpoint walks the whole ring; paths stop at 6 edges


@pytest.mark.parametrize(("share", "text"), [(0.5, "50 %"), (0.483, "48.3 %"), (1.0, "100 %"), (None, "? %")])
def test_pct(share: float | None, text: str) -> None:
    assert pl.select(pct(pl.lit(share, pl.Float64))).item() == text


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ConfigError, match="one of ofac, aggregate, either"):
        exposure(graph(CHAIN, {"A"}), 0.5, "majority")  # type: ignore[arg-type]
