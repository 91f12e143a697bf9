"""Graded qualifiers: birth dates, countries and entity types adjust a name score by how far they disagree."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import match_names
from screening.names import qualifiers as q
from screening.names.model import SCORERS, named_scorer
from screening.names.single import qualifiers as single

# query country, birth date, schema | list countries, birth dates, schema | adjustment
CASES = [
    ("RU", "1952-10-07", "Person", "RU;BY", "1952-10-07", "Person", q.COUNTRY_AGREE + q.BIRTH_SAME_DAY),
    (None, "1952-07-10", None, None, "1952-10-07", None, q.BIRTH_SAME_DAY),  # day and month swapped
    (None, "1952-10-07", None, None, "1952-01-01", None, q.BIRTH_AGREE),  # the list's 1 January: year only
    (None, "1952-10-08", None, None, "1952-10-07", None, q.BIRTH_NEAR),  # same year, another day
    (None, "1953", None, None, "1952-10-07", None, q.BIRTH_NEAR),  # a year apart: a typo's distance
    (None, "1956", None, None, "1952", None, q.BIRTH_FEW),
    (None, "1955-03-12", None, None, "1952-10-07", None, q.BIRTH_FEW_CLASH),  # years and days differ: another person
    (None, "1955-10-07", None, None, "1952-10-07", None, q.BIRTH_FEW),  # the same day: the year mistyped
    (None, "1955-07-10", None, None, "1952-10-07", None, q.BIRTH_FEW),  # the same day, day and month swapped
    (None, "1955-03-12", None, None, "1952-01-01", None, q.BIRTH_FEW),  # the list's year only
    (None, "1955", None, None, "1952-10-07", None, q.BIRTH_FEW),  # the query's year only
    (None, "1970", None, None, "1952;1990", None, q.BIRTH_FAR),  # nearest listed year 18 apart: another person
    (None, "1989", None, None, "1952;1990", None, q.BIRTH_NEAR),
    ("CN", None, None, "RU", None, None, q.COUNTRY_DIFFER),
    (None, None, "Organization", None, None, "Vessel", q.SCHEMA_CLASH),
    (None, None, "LegalEntity", None, None, "Vessel", q.SCHEMA_CLASH),
    (None, None, "Company", None, None, "Person", q.SCHEMA_CLASH),
    (None, None, "LegalEntity", None, None, "Person", 0.0),  # an unknown party may be a person
    (None, None, "company", None, None, "Organization", 0.0),
    (None, None, None, None, None, "Vessel", 0.0),  # missing on one side: neutral
    ("", "", "", "RU", "1952", "Person", 0.0),
]


@pytest.mark.parametrize(("country", "birth", "schema", "countries", "births", "listed", "expected"), CASES)
def test_adjustment(
    country: str | None,
    birth: str | None,
    schema: str | None,
    countries: str | None,
    births: str | None,
    listed: str | None,
    expected: float,
) -> None:
    frame = pl.DataFrame(
        {
            "country": [country],
            "birth_date": [birth],
            "schema": [schema],
            "countries": [countries],
            "birth_dates": [births],
            "entity_schema": [listed],
        },
        schema={c: pl.String for c in ("country", "birth_date", "schema", "countries", "birth_dates", "entity_schema")},
    )
    out = q.qualify(frame)
    assert out["adjust"][0] == pytest.approx(expected)
    assert (len(out["qual_notes"][0]) > 0) == (expected != 0.0)
    # the one-query path adjusts alike
    query = {"country": country, "birth_date": birth, "schema": schema}
    entity = {"countries": countries, "birth_dates": births, "entity_schema": listed}
    assert single.qualify(query, entity)[0] == pytest.approx(expected)


@pytest.mark.parametrize("scorer", SCORERS)
def test_far_birth_year_drops_an_exact_name_below_the_default(scorer: str) -> None:
    watch = pl.DataFrame({"entity_id": ["e1"], "name": ["Ivan Petrovich Sidorov"], "birth_dates": ["1952-10-07"]})
    names = ["Ivan Petrovich Sidorov"] * 2
    queries = pl.DataFrame({"id": ["near", "far"], "name": names, "birth_date": ["1953", "1975"]})
    found = match_names(queries, watch, model=named_scorer(scorer))  # at its own threshold
    assert found["query_id"].to_list() == ["near"]


@pytest.mark.parametrize("scorer", SCORERS)
def test_a_few_years_and_another_day_drop_an_exact_name_below_the_default(scorer: str) -> None:
    watch = pl.DataFrame(
        {"entity_id": ["e1"], "name": ["Ivan Petrovich Sidorov"], "countries": ["RU"], "birth_dates": ["1952-10-07"]}
    )
    births = ["1955-10-07", "1955-03-12", "1955"]
    queries = pl.DataFrame(
        {"id": ["day", "clash", "year"], "name": ["Ivan Petrovich Sidorov"] * 3, "birth_date": births}
    )
    found = match_names(queries.with_columns(country=pl.lit("RU")), watch, model=named_scorer(scorer))
    assert sorted(found["query_id"].to_list()) == ["day", "year"]
