"""One query row answered in plain Python equals the batch path's answer, or is left to it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.names import match_index
from screening.names.index import NameIndex, build_index
from screening.names.match import DEFAULT_THRESHOLD
from screening.names.single.serve import match_one

DEV = Path(__file__).resolve().parents[2] / "benchmarks" / "names" / "dev"
SAMPLE = 200


@pytest.fixture(scope="module")
def index() -> NameIndex:
    """Return the index of the committed dev set's list names."""
    return build_index(pl.read_csv(DEV / "watchlist.csv", infer_schema=False))


def _query(name: str | None, **extra: str) -> dict[str, str | None]:
    """Return one query row as serve builds it."""
    row: dict[str, str | None] = dict.fromkeys(("schema", "country", "birth_date", "identifier"))
    return {"id": "q", "name": name, **row, **extra}


def _batch(query: dict[str, str | None], index: NameIndex) -> pl.DataFrame:
    """Return the batch path's answer for one query row."""
    schema = dict.fromkeys(query, pl.String())
    return match_index(pl.DataFrame([query], schema=schema), index, DEFAULT_THRESHOLD, 5)


@pytest.mark.parametrize(
    ("query", "plain"),
    [
        (_query("Zzyzx Qwrtp"), True),  # no candidate: answered empty
        (_query("Zzyzx Qwrtp", country="RU", birth_date="1970-01-01"), True),
        (_query(""), True),  # the batch path drops an empty name
        (_query("   "), True),
        (_query(None), True),
        (_query("Fleur Sam Mallien"), True),  # candidates, none passing the prefilter
        (_query("ROSSIYA AIRLINES"), False),  # candidates: the batch path scores them
        (_query("Filipe Lourenço"), False),  # candidates passing the prefilter
        (_query("Zzyzx Qwrtp", identifier="IMO 9123456"), False),  # an identifier needs no candidate
        (_query("IMO 9123456 Zzyzx"), False),
        (_query("\u3000"), True),  # whitespace to polars only: normalised, no candidate
    ],
)
def test_one_query_is_answered_plainly_or_left(query: dict[str, str | None], plain: bool, index: NameIndex) -> None:
    got = match_one(query, index, DEFAULT_THRESHOLD, 5)
    assert (got is not None) == plain
    if got is not None:
        assert_frame_equal(got, _batch(query, index))


def test_sampled_clean_queries_answered_plainly_equal_the_batch_path(index: NameIndex) -> None:
    queries = pl.read_csv(DEV / "queries.csv", infer_schema=False).filter(pl.col("task") == "clean_people")
    names = queries["name"].unique().sort().sample(SAMPLE, seed=7)
    answered = 0
    for name in names.to_list():
        got = match_one(_query(name), index, DEFAULT_THRESHOLD, 5)
        if got is not None:
            answered += 1
            assert_frame_equal(got, _batch(_query(name), index))
    assert answered > 0
