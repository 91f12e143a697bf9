"""The scorers: the hand weights by default in every path, each scorer at its own threshold unless one is given."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.names import DEFAULT_THRESHOLD, HAND, HAND_THRESHOLD, build_index, match_index, model_threshold
from screening.names.model import DEFAULT_SCORER, named_scorer, own_threshold, scorer_model, shipped
from screening.names.single.serve import match_one

WATCH = pl.DataFrame(
    {
        "entity_id": ["e1", "e2", "e3"],
        "name": ["ROSOBORONEXPORT", "AKSYONOV, Sergey Valeryevich", "MOST SGM LLC"],
    }
)
QUERIES = pl.DataFrame({"id": ["a", "b", "c"], "name": ["Rosoboronexport", "Sergei Aksenov", "Most SGM"]})


def test_the_hand_threshold_keeps_its_public_name() -> None:
    assert DEFAULT_THRESHOLD == HAND_THRESHOLD
    assert model_threshold() == shipped().threshold != HAND_THRESHOLD


@pytest.mark.parametrize(
    ("scorer", "given", "expected"),
    [
        ("hand", None, HAND_THRESHOLD),
        ("model", None, "model"),
        ("hand", 0.5, 0.5),  # an explicit threshold is honoured
        ("model", 0.9, 0.9),
    ],
)
def test_each_scorer_has_its_own_default_threshold(scorer: str, given: float | None, expected: object) -> None:
    want = shipped().threshold if expected == "model" else expected
    assert own_threshold(named_scorer(scorer), given) == want


def test_an_unknown_scorer_is_named() -> None:
    with pytest.raises(ValueError, match="scorer: 'fuzzy' is not one of model, hand"):
        named_scorer("fuzzy")


@pytest.mark.parametrize(("model", "threshold"), [(shipped(), shipped().threshold), (HAND, DEFAULT_THRESHOLD)])
def test_a_call_without_threshold_scores_at_its_scorers_own(model: object, threshold: float) -> None:
    index = build_index(WATCH)
    explicit = match_index(QUERIES, index, threshold, 1, model)  # type: ignore[arg-type]
    assert_frame_equal(match_index(QUERIES, index, model=model), explicit)  # type: ignore[arg-type]
    assert not explicit.is_empty()


def test_the_hand_scorer_is_the_default_in_both_paths() -> None:
    index = build_index(WATCH)
    by_hand = match_index(QUERIES, index, None, 1, HAND)
    assert DEFAULT_SCORER == "hand"
    assert_frame_equal(match_index(QUERIES, index), by_hand)
    assert "model:" not in by_hand["detail"][0]
    row = {"id": "a", "name": "Rosoboronexport", "schema": None, "country": None, "birth_date": None}
    single = match_one(row | {"identifier": None}, index)
    assert single is not None
    assert_frame_equal(single, by_hand.filter(pl.col("query_id") == "a"))


@pytest.mark.parametrize(
    ("name", "expected"), [("hand", None), ("model", "shipped"), ("shipped", "shipped"), (None, None)]
)
def test_a_model_argument_names_a_scorer(name: str | None, expected: str | None) -> None:
    assert scorer_model(name) is (shipped() if expected == "shipped" else None)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Hand", "fuzzy", ""])
def test_an_unknown_model_argument_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=f"model: {name!r} is not a NameModel"):
        scorer_model(name)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a NameModel"):
        match_index(QUERIES, build_index(WATCH), model=name)  # type: ignore[arg-type]
