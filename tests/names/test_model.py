"""The learned name model: its shipped weights load, bad model files fail with one line, and it scores pairs."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from screening.errors import ConfigError
from screening.names import build_index, match_names, normalize_names
from screening.names.match import prepare_queries, qualified_pairs
from screening.names.model import features, from_json, prepared, shipped


def _pairs(q: pl.DataFrame, watch: pl.DataFrame) -> pl.DataFrame:
    """Return the prepared qualified pairs of prepared queries against a watch list."""
    return prepared(
        qualified_pairs(q, normalize_names(q["name"], q["kind"]).with_row_index("nid"), build_index(watch), 0.0)
    )


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
        ("Rheinmetall AG", None, "hand_score +"),  # the hand score carries an exact name
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
        ("W. Chang", "CHANG, Wei", "Person", {"near_word": 0.0, "initial_agrees": 1.0}),  # an initial: no near word
        # an initial agreeing leaves another word near-matched a near word (MARK ~ MARY, LINH ~ MINH)
        ("J. Mark Taylor", "TAYLOR, John Mary", "Person", {"near_word": 1.0, "initial_agrees": 1.0}),
        ("V. Linh Nguyen", "NGUYEN, Van Minh", "Person", {"near_word": 1.0, "initial_agrees": 1.0}),
        ("A. Saleh Abdullah", "ABDULLAH, Ahmed Salim", "Person", {"near_word": 1.0, "initial_agrees": 1.0}),
        ("W. Zhang", "CHANG, Wei", "Person", {"near_word": 1.0, "initial_agrees": 1.0}),
        # the hand scorer's qualified score and its hinges; an initial agreeing with a given name, either side
        ("Salim Yasin", "YASIN, Salim", "Person", {"hand_score": 1.0, "hand_over_0.86": 0.14, "initial_agrees": 0.0}),
        ("K. Hak KIM", "KIM, Kyong Hak", "Person", {"hand_score": 0.9, "hand_over_0.9": 0.0, "initial_agrees": 1.0}),
        ("Kyong Hak KIM", "KIM, K. Hak", "Person", {"initial_agrees": 1.0}),
        ("B. Hak KIM", "KIM, Kyong Hak", "Person", {"initial_agrees": 0.0}),  # B begins none of his names
    ],
)
def test_token_features(name: str, listed: str, schema: str, expected: dict[str, float]) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]})
    q = prepare_queries(pl.DataFrame({"id": ["q"], "name": [name]}))
    pairs = _pairs(q, watch)
    got = pairs.select([features()[k].alias(k) for k in expected]).row(0, named=True)
    assert got == pytest.approx(expected)


ORGS = [("BANK SEPAH", "Organization"), ("BANK SEPAH INTERNATIONAL PLC", "Organization")]


# (query, its type, the listed names and types, the listed name read, expected features): what the hand scorer's
# rules know, the model's features know alike (the one-query path scores by hand only: the batch path is checked)
@pytest.mark.parametrize(
    ("name", "schema", "listed", "read", "expected"),
    [
        # a person as the matcher reads the types: Individual is one, the list readers' Unknown is none
        ("Ivan Petrov", None, [("PETROV, Ivan", "Individual")], "PETROV, Ivan", {"person": 1.0}),
        ("Ivan Petrov", None, [("PETROV, Ivan", "Unknown")], "PETROV, Ivan", {"person": 0.0}),
        ("Ivan Petrov", "Person", [("PETROV, Ivan", "Unknown")], "PETROV, Ivan", {"person": 1.0}),
        # an untyped two-word name's closing numeral counts only against a numbered name
        ("HAPPINESS II", None, [("HAPPINESS I", "Vessel")], "HAPPINESS I", {"numbers_differ": 1.0}),
        ("CHEN XI", None, [("CHEN, Xi", "Person")], "CHEN, Xi", {"numbers_differ": 0.0, "number_one_side": 0.0}),
        # ordinals are numbers; an acronym writes one by its word's letter
        ("FIRST ISLAMIC BANK", None, [("ISLAMIC BANK", "Organization")], "ISLAMIC BANK", {"number_one_side": 1.0}),
        (
            "FIIB",
            None,
            [("FIRST ISLAMIC INVESTMENT BANK", "Organization")],
            "FIRST ISLAMIC INVESTMENT BANK",
            {"acronym": 1.0, "number_one_side": 0.0},
        ),
        ("S.M.G.", None, [("SHAHID MEISAMI GROUP", "Organization")], "SHAHID MEISAMI GROUP", {"acronym": 1.0}),
        # an organisation's query naming another listed organisation in full: the branch's pair is lowered
        ("BANK SEPAH", "Organization", ORGS, "BANK SEPAH INTERNATIONAL PLC", {"named_in_full": 1.0}),
        ("BANK SEPAH", "Organization", ORGS, "BANK SEPAH", {"named_in_full": 0.0}),
        ("BANK SEPAH", None, ORGS, "BANK SEPAH INTERNATIONAL PLC", {"named_in_full": 0.0}),  # untyped: not read so
    ],
)
def test_the_features_know_the_hand_scorers_rules(
    name: str, schema: str | None, listed: list[tuple[str, str]], read: str, expected: dict[str, float]
) -> None:
    watch = pl.DataFrame(
        {
            "entity_id": [f"e{i}" for i in range(len(listed))],
            "name": [n for n, _ in listed],
            "entity_schema": [s for _, s in listed],
        }
    )
    asked = pl.DataFrame(
        {"id": ["q"], "name": [name], "schema": [schema]}, schema=dict.fromkeys(("id", "name", "schema"), pl.String)
    )
    q = prepare_queries(asked)
    pairs = _pairs(q, watch)
    got = pairs.filter(pl.col("matched_name") == read).select([features()[k].alias(k) for k in expected])
    assert got.row(0, named=True) == pytest.approx(expected)


# (query's birth date, the list's): a 1 January the list gives, queried as written, is its year agreeing, not "near"
@pytest.mark.parametrize(
    ("birth_date", "listed", "expected"),
    [
        ("1958-01-01", "1958-01-01;1959-03-04", {"birth_near": 0.0, "birth_year_agrees": 1.0, "birth_same_day": 0.0}),
        ("1958-06-01", "1958-03-04;1959-03-04", {"birth_near": 1.0, "birth_year_agrees": 0.0}),  # another day
        ("1958-01-01", "1958-02-03", {"birth_near": 1.0, "birth_year_agrees": 0.0}),
        ("1958-02-03", "1958-02-03", {"birth_same_day": 1.0, "birth_near": 0.0}),
        # a year only, written bare or as 1 January, beside other full dates: the query's year agrees whatever its day
        ("1960-01-01", "1960;1962-02-02", {"birth_near": 0.0, "birth_year_agrees": 1.0}),
        ("1960-05-06", "1960;1962-02-02", {"birth_near": 0.0, "birth_year_agrees": 1.0}),
        ("1960-05-06", "1960-01-01;1962-02-02", {"birth_near": 0.0, "birth_year_agrees": 1.0}),
        ("1961-01-01", "1960;1962-02-02", {"birth_near": 1.0, "birth_year_agrees": 0.0}),  # a year off
    ],
)
def test_a_date_queried_as_listed_agrees(birth_date: str, listed: str, expected: dict[str, float]) -> None:
    watch = pl.DataFrame(
        {"entity_id": ["e"], "name": ["SIDOROV, Ivan"], "entity_schema": ["Person"], "birth_dates": [listed]}
    )
    q = prepare_queries(pl.DataFrame({"id": ["q"], "name": ["Ivan Sidorov"], "birth_date": [birth_date]}))
    pairs = _pairs(q, watch)
    assert pairs.select([features()[k].alias(k) for k in expected]).row(0, named=True) == pytest.approx(expected)


# a listed person outranked by another entity's name alone but whose birth date agrees is not behind the best
def test_behind_best_counts_the_qualifiers() -> None:
    watch = pl.DataFrame(
        {
            "entity_id": ["near", "own"],
            "name": ["JO, Chol", "JO, Cholho"],
            "entity_schema": ["Person", "Person"],
            "birth_dates": ["1950-02-02", "1984-09-25"],
        }
    )
    q = prepare_queries(pl.DataFrame({"id": ["q"], "name": ["JO Chol"], "birth_date": ["1984-09-25"]}))
    pairs = _pairs(q, watch)
    got = dict(pairs.select("entity_id", features()["behind_best"].alias("b")).iter_rows())
    assert got["own"] == 0.0
    assert got["near"] > 0.0


# (query, listed name): a country agreeing counts from a name score of 0.7, in proportion to how far above it
@pytest.mark.parametrize(
    ("name", "listed", "expected"),
    [
        ("W. Zhang", "CHANG, Wei", 0.143),  # name score 0.743
        ("Mary Taylor", "TAYLOR, Mark", 0.4),  # name score 0.82
        ("Ivan Sidorenko", "SIDOROV, Ivan", 0.0),  # name score 0.659: too unlike for a country to count
    ],
)
def test_an_agreeing_country_counts_from_a_name_score_of_0_7(name: str, listed: str, expected: float) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": ["Person"], "countries": ["CN"]})
    q = prepare_queries(pl.DataFrame({"id": ["q"], "name": [name], "country": ["CN"]}))
    assert _pairs(q, watch).select(features()["country_agrees"]).item() == pytest.approx(expected, abs=0.001)


# (query, listed names): every pair behind its query's best; its detail never names behind_best as a reason for
@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Ivan Petrov", ["PETROV, Ivan", "PETROVA, Ivanna", "PETROV, Ivan Sergeyevich"]),
        ("JO Chol", ["JO, Chol", "JO, Cholho", "JO, Cholsu"]),
    ],
)
def test_a_pair_behind_its_best_never_shows_behind_best_for_it(name: str, listed: list[str]) -> None:
    watch = pl.DataFrame(
        {"entity_id": [f"e{i}" for i in range(len(listed))], "name": listed, "entity_schema": ["Person"] * len(listed)}
    )
    queries = pl.DataFrame({"id": ["q"], "name": [name]})
    hits = match_names(queries, watch, threshold=0.0001, top=len(listed), model=shipped())
    behind = hits.filter(pl.col("score") < pl.col("score").max())["detail"].to_list()
    assert behind
    assert not [d for d in behind if "behind_best +" in d]


# (threshold): the query's best row, a weak alias, is no hit; the note reads the rows the score read, the alias too
@pytest.mark.parametrize("threshold", [0.3, 0.63])
def test_the_note_reads_a_dropped_best_row(threshold: float) -> None:
    watch = pl.DataFrame(
        {
            "entity_id": ["k1", "k1", "k2"],
            "name": ["ABU MUHAMMAD AL-JAWLANI", "ABU MOHAMED AL JOLANI", "ABU MUHAMMAD AL-JULANI"],
            "entity_schema": ["Person"] * 3,
            "strength": [None, "weak", None],
        }
    )
    queries = pl.DataFrame({"id": ["q"], "name": ["Abu Mohamad Al Jolani"], "schema": ["Person"]})
    hits = match_names(queries, watch, threshold=threshold, top=5, model=shipped())
    notes = dict(hits.select("entity_id", pl.col("detail").str.extract(r"behind_best ([-+][\d.]+)")).iter_rows())
    assert notes == {"k2": "-0.7", "k1": "-1.3"}
