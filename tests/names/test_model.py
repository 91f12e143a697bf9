"""The learned name model: its shipped weights load, bad model files fail with one line, and it scores pairs."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from screening.errors import ConfigError
from screening.names import build_index, match_names, normalize_names
from screening.names.match import prepare_queries, qualified_pairs
from screening.names.model import features, from_json, shipped

GOOD: dict[str, Any] = {"features": ["base"], "weights": [4.0], "intercept": -3.0, "default_threshold": 0.5}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": None}, "not a name model"),
        ({"intercept": "x"}, "not a name model"),
        ({"features": ["base", "nose_length"], "weights": [1.0, 1.0]}, "unknown features ['nose_length']"),
        ({"weights": [1.0, 2.0]}, "2 weights for 1 features"),
    ],
)
def test_a_bad_model_file_is_one_config_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=r"^m\.json: ") as err:
        from_json(GOOD | change, "m.json")
    assert message in str(err.value)


def test_the_shipped_model_names_known_features_and_a_threshold() -> None:
    model = shipped()
    assert set(model.weights) <= set(features())
    assert 0.0 < model.threshold < 1.0
    assert model.meta["split"] == "fit"


WATCH = pl.DataFrame(
    {
        "entity_id": ["p1", "c1"],
        "name": ["Ivan Petrovich Sidorov", "Rheinmetall AG"],
        "entity_schema": ["Person", "Organization"],
        "countries": ["RU", "DE"],
        "birth_dates": ["1952-10-07", None],
    }
)


@pytest.mark.parametrize(
    ("name", "birth_date", "country", "entity"),
    [
        ("Ivan Petrovich Sidorov", "1952-10-07", None, "p1"),
        ("Ivan Petrovich Sidorov", "1953-10-07", "RU", "p1"),  # a year off: a typo's distance
        ("Sidorov Ivan Petrovich", None, None, "p1"),
        ("Ivan Petrovich Sidorov", "1990-01-01", None, None),  # decades apart: another person
        ("Ivan Petrovich Sidorov", "1990-01-01", "RU", None),  # the country agreeing does not save him
        ("Maria Sanchez Lopez", None, None, None),
    ],
)
def test_the_model_scores_pairs_against_its_threshold(
    name: str, birth_date: str | None, country: str | None, entity: str | None
) -> None:
    model = shipped()
    queries = pl.DataFrame({"id": ["q"], "name": [name], "birth_date": [birth_date], "country": [country]})
    hits = match_names(queries, WATCH, threshold=model.threshold, model=model)
    assert hits["entity_id"].to_list() == ([entity] if entity else [])
    if entity:
        assert "; model: " in hits["detail"][0]


@pytest.mark.parametrize(
    ("name", "birth_date", "named"),
    [
        ("Ivan Petrovich Sidorov", "1990-01-01", "birth_far -"),  # decades apart: the feature that sank it
        ("Ivan Petrovich Sidorov", "1952-10-07", "birth_same_day +"),
        ("Rheinmetall AG", None, "base +"),
    ],
)
def test_the_detail_names_the_features_that_moved_the_score(name: str, birth_date: str | None, named: str) -> None:
    queries = pl.DataFrame({"id": ["q"], "name": [name], "birth_date": [birth_date]})
    detail = match_names(queries, WATCH, threshold=0.01, model=shipped())["detail"][0]
    assert named in detail.split("; model: ")[1]


# (query, listed name, its type): the words both spell alike, and who the parties are
@pytest.mark.parametrize(
    ("name", "listed", "schema", "expected"),
    [
        ("Lucia Martin", "LUCIA MARIN", "Person", {"spelt_share": 0.5, "person": 1.0, "person_inexact": 0.5}),
        ("Lucia Marin", "MARIN, Lucia", "Person", {"spelt_share": 1.0, "person_inexact": 0.0}),
        ("Acme Trading", "ACME TRADING", "Organization", {"person": 0.0, "person_inexact": 0.0}),
        ("YK-AKF", "YK-AQF", "Aircraft", {"short_inexact": 1.0}),
        ("YK-AKF", "YK-AKF", "Aircraft", {"short_inexact": 0.0}),
        ("طارق عزيز", "TARIQ AZIZ", "Person", {"spelt_share": 0.0, "person_inexact": 0.0}),  # two scripts
        # a word matched only by another word (MARY ~ MARK) is a near word; a typo (FAROHUK ~ FAROUK) is not
        ("Mary Taylor", "TAYLOR, Mark", "Person", {"near_word": 1.0, "person_near_word": 1.0, "low_over_0.8": 0.0}),
        (
            "AL-SHARAA, FaroHuk",
            "AL-SHARAA, Farouk",
            "Person",
            {"near_word": 0.0, "low_over_0.8": 0.1, "low_over_0.86": 0.04},
        ),
        ("Acme Tradng", "ACME TRADING", "Organization", {"near_word": 0.0, "person_near_word": 0.0}),
    ],
)
def test_token_features(name: str, listed: str, schema: str, expected: dict[str, float]) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]})
    q = prepare_queries(pl.DataFrame({"id": ["q"], "name": [name]}))
    pairs = qualified_pairs(q, normalize_names(q["name"], q["kind"]).with_row_index("nid"), build_index(watch), 0.0)
    got = pairs.select([features()[k].alias(k) for k in expected]).row(0, named=True)
    assert got == pytest.approx(expected)
