"""A name just below the threshold matches where its query's agreeing qualifiers lift it over, in both paths."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.names import HAND, build_index, match_index
from screening.names.single.serve import match_one

LISTED = {"entity_id": "e", "name": "MAHMOOD, Khaled", "entity_schema": "Person", "countries": "EG"}
QUERY = "MAHMUD, Khalid"  # name score 0.883


def _hits(country: str | None, birth: str | None, threshold: float) -> pl.DataFrame:
    """Return the batch hits of the query with its qualifiers, checked equal to the one-query path's."""
    listed = LISTED | {"birth_dates": "1970-05-04"}
    index = build_index(pl.DataFrame([listed], schema=dict.fromkeys(listed, pl.String())))
    row = {"id": "q", "name": QUERY, "schema": "Person", "country": country, "birth_date": birth}
    # the hand scorer's qualified scores: the model's probability is no sum of a name score and lifts
    batch = match_index(pl.DataFrame([row], schema=dict.fromkeys(row, pl.String())), index, threshold, 1, HAND)
    single = match_one(row | {"identifier": None}, index, threshold, 1, HAND)
    assert single is not None
    assert_frame_equal(single, batch)
    return batch


@pytest.mark.parametrize(
    ("country", "birth", "threshold", "score"),
    [
        (None, None, 0.86, 0.883),  # the name alone
        (None, None, 0.90, None),
        ("EG", None, 0.90, 0.903),  # the country lifts it over
        ("EG", None, 0.91, None),
        (None, "1970", 0.91, 0.913),  # a birth year agreeing
        (None, "1970-05-04", 0.92, 0.923),  # the same day
        ("EG", "1970-05-04", 0.94, 0.943),  # both
        ("EG", "1970-05-04", 0.95, None),
        (None, "1971-05-04", 0.86, None),  # a year apart lowers a name above the threshold below it
        (None, "1971-05-04", 0.85, 0.853),
        ("FR", "1970-05-04", 0.90, None),  # a country differing takes more than the date adds
    ],
)
def test_agreeing_qualifiers_lift_a_name_over_the_threshold(
    country: str | None, birth: str | None, threshold: float, score: float | None
) -> None:
    hits = _hits(country, birth, threshold)
    if score is None:
        assert hits.is_empty()
    else:
        assert hits["score"].to_list() == [pytest.approx(score, abs=1e-3)]
