"""The one-query path scores by the learned model exactly as the batch path does: features, probability, note."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from screening.names import match
from screening.names.index import NameIndex, build_index
from screening.names.model import NameModel, from_json, shipped
from screening.names.single.model import rounded, shown
from screening.names.single.serve import match_rows

QUERY_COLUMNS = ("id", "name", "schema", "country", "birth_date", "identifier")
LOW = 0.3  # the lowest threshold the benchmarks sweep: every row the model scores at 0.3 or more
TOP = 20

WATCH = pl.DataFrame(
    [
        ("e1", "JOHN ROBERT SMITH", "Person", "GB", "1950-03-04", None),
        ("e2", "IVAN PETROV", "Person", "RU", "1943;1943-08-17", None),  # a year only beside a full date
        ("e3", "IVAN PETROV", "Person", "RU", "1970-05-05", None),  # a rival of e2: the same name
        ("e4", "ALPHA TRADING LIMITED", "Organization", "AE", None, "strong"),
        ("e4", "ALPHA TRADING", "Organization", "AE", None, "weak"),
        ("e5", "KIM JONG UN", "Person", "KP", "1984-01-08", None),
        ("e5", "김정은", "Person", "KP", "1984-01-08", None),
        ("e6", "王小明", "Person", "CN", "1970-01-01", None),
        ("e7", "OCEAN STAR 2", "Vessel", "PA", None, None),
        ("e8", "BANK SEPAH", "Organization", "IR", None, None),
        ("e9", "BANK SEPAH INTERNATIONAL PLC", "Organization", "GB", None, None),
        ("e10", "SALIM BIN AHMAD", "Person", "YE", "1960", None),
        ("e11", "KIM, Kyong Hak", "Person", "KP", None, None),
        ("e12", "GAZPROMBANK JSC", "Company", "RU", None, None),
        ("e13", "محمد بن سلمان", "Person", "SA", "1985-08-31", None),
        ("e14", "FIRST ISLAMIC INVESTMENT BANK", "Organization", "BH", None, None),
        ("e15", "ACME 124 LLC", "Organization", "US", None, None),
        ("e16", "LUKASHENKO, Alexander Grigoryevich", "Person", "BY", "1954-08-30", None),
        ("e17", "AL-QAIDA", "Organization", None, None, None),
        ("k1", "ABU MUHAMMAD AL-JAWLANI", "Person", "SY", None, None),
        ("k1", "ABU MOHAMED AL JOLANI", "Person", "SY", None, "weak"),  # the query's best row, no hit
        ("k2", "ABU MUHAMMAD AL-JULANI", "Person", "SY", None, None),
        ("s1", "OLEG SOKOLOV", "Person", "RU", None, None),
        ("s1", "SOKOLOV, Oleg", "Person", "RU", None, None),  # two near names: one rival entity
        ("s2", "OLEG SOKOLOV", "Person", "RU", None, None),
        *[(f"p{i}", "PAVEL ORLOV", "Person", "RU", None, None) for i in range(5)],  # four rivals: counted as 3
        ("y1", "OMAR HASSAN", "Person", "SD", "1944-01-01;1944-06-01", None),  # 1 January: the year only
    ],
    schema=["entity_id", "name", "entity_schema", "countries", "birth_dates", "strength"],
    orient="row",
)
IDS = pl.DataFrame({"entity_id": ["e7", "e12"], "id_type": ["IMO", "LEI"], "value": ["9123456", "253400ABCDEF1234"]})

# (name, schema, country, birth date, identifier), the feature the case exercises (non-zero on a row)
CASES: list[tuple[tuple[str | None, ...], str]] = [
    (("John Smith", "Person", "GB", "1950-03-04", None), "birth_same_day"),
    (("John Smith", "Person", "GB", None, None), "country_agrees"),
    (("John Smith", "Person", "FR", None, None), "country_differs"),
    (("J. R. SMITH", "Person", None, None, None), "initial_agrees"),
    # no near word: the worst word is told without the initials and the words they begin (worded)
    (("K. H. KIM", "Person", None, None, None), "initial_agrees"),
    (("Ivan Petrov", "Person", None, "1943-05-05", None), "birth_year_agrees"),  # 1943 listed as a year only
    (("Ivan Petrov", "Person", None, "1970-06-06", None), "birth_near"),  # e3's full date, another day
    (("Ivan Petrov", "Person", None, "1946", None), "birth_few_years"),
    (("Ivan Petrov", "Person", None, "1971", None), "birth_far"),
    (("Ivan Petrov", "Person", None, "1971", None), "behind_best"),
    (("Ivan Petrov", None, None, None, None), "rivals"),
    (("ALPHA TRADING", "Organization", "AE", None, None), "weak_alias"),  # the weak alias a hit at 1.0
    (("ALPHA TRADNG", None, None, None, None), "cov_max"),  # a weak alias's typo: no hit, the strong name one
    (("Alpha Trading Limited", "Person", None, None, None), "schema_clash"),
    (("Kim Jong-un", "Person", "KP", "1984", None), "person"),
    (("김정은", None, None, None, None), "both_syllabic"),
    (("王小名", "Person", None, None, None), "both_syllabic"),
    (("Mohamed bin Salman", "Person", None, None, None), "cross_script"),
    (("محمد بن سلمان", None, None, None, None), "abjad"),
    (("AHMAD BIN SALIM", "Person", None, None, None), "patronym_swapped"),
    (("OCEAN STAR 3", "Vessel", None, None, None), "numbers_differ"),
    (("OCEAN STAR", "Vessel", None, None, None), "number_one_side"),
    (("GAZPROM BANK", None, None, None, "9123456"), "glued_ratio"),  # OCEAN STAR 2's identifier: its hit first
    (("BANK SEPAH", "Organization", None, None, None), "named_in_full"),
    (("FIIB", "Organization", None, None, None), "acronym"),
    (("ACME 123 LLC", None, None, None, None), "numbers_differ"),
    (("Gazprombank GmbH", "Company", None, None, None), "legal_clash"),
    (("LUKASHEVICH, Alexander", "Person", None, None, None), "near_word"),
    (("AL-QAEDA", None, None, None, None), "short_inexact"),
    (("SMITH JOHN ROBERT", "Person", None, None, None), "reordered"),
    (("John Robert Smith", None, None, None, None), "hand_over_0.9"),
    (("Abu Mohamad Al Jolani", "Person", None, None, None), "behind_best"),  # behind a weak alias dropped
    (("Oleg Sokolov", "Person", None, None, None), "rivals"),
    (("Pavel Orlov", "Person", None, None, None), "rivals"),
    (("Omar Hassan", "Person", None, "1944-03-03", None), "birth_year_agrees"),  # 1944-01-01: a year only
    (("Omar Hassan", "Person", "SD", "1980", None), "birth_far"),  # the country agrees, the years contradict
]


@pytest.fixture(scope="module")
def watch() -> NameIndex:
    """Return the index of the hand-made list."""
    return build_index(WATCH, IDS)


def _query(row: tuple[str | None, ...]) -> dict[str, str | None]:
    """Return a query row with an id."""
    return dict(zip(QUERY_COLUMNS, ("q", *row), strict=True))


def _probe(feature: str) -> NameModel:
    """Return a model weighing one feature alone: each row's score tells that feature's value."""
    return NameModel({feature: 1.0}, 0.0, 0.0, shipped().means, {})


def _both(query: dict[str, str | None], index: NameIndex, model: NameModel) -> tuple[list[Any], list[Any]]:
    """Return the batch path's rows and the one-query path's for a query, at the lowest benchmark threshold."""
    frame = pl.DataFrame([query], schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    batch = match.match_index(frame, index, LOW, TOP, model).to_dicts()
    return batch, match_rows(query, index, LOW, TOP, model) or []


@pytest.mark.parametrize(("row", "feature"), CASES)
def test_rows_equal_batch_by_shipped_model(watch: NameIndex, row: tuple[str | None, ...], feature: str) -> None:
    batch, plain = _both(_query(row), watch, shipped())
    assert plain == batch


@pytest.mark.parametrize(("row", "feature"), CASES)
def test_each_feature_equals_batch(watch: NameIndex, row: tuple[str | None, ...], feature: str) -> None:
    model = _probe(feature)
    batch, plain = _both(_query(row), watch, model)
    assert plain == batch
    # the case exercises its feature: a name row scores other than the feature's absence (0, probability 0.5)
    assert any(hit["score"] != 0.5 for hit in plain if "model: " in str(hit["detail"]))


# (logit per unit of base): a logit below about -709.8 overflows Python's exp, where polars gives a probability of 0
@pytest.mark.parametrize("weight", [-700.0, -2000.0])
def test_a_probability_underflowing_to_0_equals_batch(watch: NameIndex, weight: float) -> None:
    doc = {"features": ["base"], "weights": [weight], "intercept": 0.0, "default_threshold": 0.5}
    model = from_json(doc, "test")
    query = _query(("John Robert Smith", None, None, None, None))
    frame = pl.DataFrame([query], schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    batch = match.match_index(frame, watch, 0.0, 1, model)
    assert match_rows(query, watch, 0.0, 1, model) == batch.to_dicts()
    assert batch["score"].to_list() == [0.0]


@pytest.mark.parametrize("contribution", [0.04, -0.04, 0.05, -0.05, 0.15, -0.25, 1.0, -1.0, 2.35, -23.967804, 12.0])
def test_contribution_shown_as_batch(contribution: float) -> None:
    batch = pl.select(pl.lit(contribution).round(1).cast(pl.String).str.replace(r"^(\d)", "+$1").alias("shown")).item()
    assert shown(contribution) == batch


@pytest.mark.parametrize(
    ("value", "places"),
    [(0.05, 1), (0.15, 1), (-0.05, 1), (-0.04, 1), (0.6250000005, 9), (0.1234567885, 9), (0.9999999995, 9), (0.5, 0)],
)
def test_rounded_as_polars(value: float, places: int) -> None:
    batch = pl.select(pl.lit(value).round(places)).item()
    assert str(rounded(value, places)) == str(batch)  # as text: -0.0 differs from 0.0
