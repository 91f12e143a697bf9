from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from screening.names import lookup
from screening.names.lookup import Sorted
from screening.names.normalize import normalize_names

SEARCH = 10.0  # keys per table row below which lookups binary-search: the tests' tiny table searches
TABLE = pl.DataFrame(
    {"key": [5, 1, 3, 3, 9, 1], "wid": [0, 1, 2, 3, 4, 5], "w": [0.5, 0.1, 0.3, 0.33, 0.9, 0.11]},
    schema={"key": pl.UInt64, "wid": pl.UInt32, "w": pl.Float64},
)


def _rows(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    return sorted(frame.select(sorted(frame.columns)).rows())


@pytest.mark.parametrize(
    ("keys", "share"),
    [
        ([3], SEARCH),  # one key held twice: both rows, by binary search
        ([1, 7, 9], SEARCH),  # a key the table lacks finds nothing
        ([3, 3], SEARCH),  # a key looked up twice finds its rows twice
        ([], SEARCH),  # no keys, no rows
        ([1, 3, 5, 9], 0.0),  # many keys: the hash join, the same rows
    ],
)
def test_sorted_join_equals_a_hash_join(keys: list[int], share: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lookup, "SEARCH_SHARE", share)
    schema = {"nid": pl.UInt32, "key": pl.UInt64, "w": pl.Float64}
    left = pl.DataFrame({"nid": range(len(keys)), "key": keys, "w": [1.0] * len(keys)}, schema=schema)
    found = Sorted.of(TABLE, "key").join(left, on="key", suffix="_t")
    assert found.columns == ["nid", "key", "w", "wid", "w_t"]
    assert _rows(found) == _rows(left.join(TABLE, on="key", suffix="_t"))


@pytest.mark.parametrize(
    "names",
    [
        ["ZETA TRADING", "ALPHA LLC", "ZETA TRADING", "MIKE"],
        [f"NAME {i}" for i in range(500, 0, -1)],
    ],
)
def test_list_names_keep_their_first_seen_order(names: list[str]) -> None:
    # a list name's wid breaks blocking ties: it must be the same from build to build
    assert normalize_names(pl.Series(names))["raw"].to_list() == list(dict.fromkeys(names))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # sorted keys: 1 1 3 3 5 9 (rows 0..5); each value's rows in table order, values in their own order
        ([9, 1, 3], [(0, 5), (1, 0), (1, 1), (2, 2), (2, 3)]),
        ([7, 3, 0, 3], [(1, 2), (1, 3), (3, 2), (3, 3)]),  # absent keys find nothing, a repeated one twice
        ([10, 5, 1], [(1, 4), (2, 0), (2, 1)]),  # past the last key, and the first
        ([], []),
    ],
)
def test_rows_are_found_in_the_order_of_the_values(values: list[int], expected: list[tuple[int, int]]) -> None:
    at, rows = Sorted.of(TABLE, "key").rows(np.array(values, dtype=np.uint64))
    assert list(zip(at.tolist(), rows.tolist(), strict=True)) == expected
