"""One query row answered in plain Python equals the batch path's answer."""

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
    "query",
    [
        _query("Zzyzx Qwrtp"),  # no candidate: answered empty
        _query("Zzyzx Qwrtp", country="RU", birth_date="1970-01-01"),
        _query(""),  # the batch path drops an empty name
        _query("   "),
        _query(None),
        _query("Fleur Sam Mallien"),  # candidates, none passing the prefilter
        _query("ROSSIYA AIRLINES"),  # candidates scored
        _query("Rosoboronexport JSC", schema="Company", country="RU"),
        _query("Filipe Lourenço"),  # candidates passing the prefilter
        _query("Zzyzx Qwrtp", identifier="IMO 9123456"),  # an identifier needs no candidate
        _query("IMO 9123456 Zzyzx"),
        _query("\u3000"),  # whitespace to polars only: normalised, no candidate
        _query("\xa0Putin\xa0"),
    ],
)
def test_one_query_is_answered_plainly(query: dict[str, str | None], index: NameIndex) -> None:
    got = match_one(query, index, DEFAULT_THRESHOLD, 5)
    assert got is not None
    assert_frame_equal(got, _batch(query, index))


def test_sampled_queries_answered_plainly_equal_the_batch_path(index: NameIndex) -> None:
    queries = pl.read_csv(DEV / "queries.csv", infer_schema=False)
    rows = queries.select("name", "schema", "country", "birth_date").unique().sort("name").sample(SAMPLE, seed=7)
    for row in rows.iter_rows(named=True):
        query = _query(**{k: v for k, v in row.items() if v is not None})
        got = match_one(query, index, DEFAULT_THRESHOLD, 5)
        assert got is not None, row
        assert_frame_equal(got, _batch(query, index))
