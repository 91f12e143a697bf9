"""Helpers of the name tests."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from screening.names import DEFAULT_THRESHOLD, match_index
from screening.names.index import NameIndex, build_index
from screening.names.single.serve import match_one


def both_paths(query: str, listed: str, threshold: float = DEFAULT_THRESHOLD) -> pl.DataFrame:
    """Return the batch path's hits of one query against one listed name, checked equal to the one-query path's."""
    return both_paths_in(build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed]})), query, threshold=threshold)


def both_paths_in(
    index: NameIndex,
    query: str,
    schema: str | None = None,
    top: int = 5,
    threshold: float = DEFAULT_THRESHOLD,
    facts: tuple[str | None, str | None] = (None, None),
) -> pl.DataFrame:
    """Return the batch hits of one query (of an entity type) in an index, checked equal to the one-query path's.

    ``facts``: the query's country and birth date.
    """
    row: dict[str, str | None] = {
        "id": "q",
        "name": query,
        "schema": schema,
        "country": facts[0],
        "birth_date": facts[1],
    }
    batch = match_index(pl.DataFrame([row], schema=dict.fromkeys(row, pl.String())), index, threshold, top)
    single = match_one(row | {"identifier": None}, index, threshold, top)
    assert single is not None
    assert_frame_equal(single, batch)
    return batch
