"""A name naming part of a list name passes the prefilter however low its ratios, in both paths, at the threshold."""

from __future__ import annotations

import pytest

from tests.names.conftest import both_paths


@pytest.mark.parametrize(
    ("query", "listed", "score"),
    [
        ("SUSHKO, Andrey", "SUSHKO, Andriy Volodymyrovych", 0.868),  # ratios 0.55: a patronymic and a given name more
        ("TURKI, Hassan", "AL-TURKI, Hassan Abdullah Hersi", 0.863),
        ("KATRANGI, Maher Hachem Rifaat", "KATRANGI, Maher", None),
        # each word held by one of the other's (POETIN 4 of 6 letters in PUTIN), a patronymic left out: the mean raises
        ("Vladimir Poetin", "PUTIN, Vladimir Vladimirovich", 0.875),  # two words added to a two-word name: no raise
    ],
)
def test_a_part_of_a_list_name_is_scored_at_the_threshold(query: str, listed: str, score: float | None) -> None:
    hits = both_paths(query, listed)
    assert hits["score"].to_list() == ([] if score is None else [pytest.approx(score, abs=1e-3)])
