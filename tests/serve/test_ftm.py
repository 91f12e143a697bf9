"""FtM query examples to matcher rows, and entity rows to yente's entity shape."""

from __future__ import annotations

from typing import Any

import pytest

from screening.serve import ftm


@pytest.mark.parametrize(
    ("raw", "rows"),
    [
        (
            {"schema": "Person", "properties": {"name": ["A B", "C D"], "birthDate": ["1970"], "nationality": ["ru"]}},
            [("A B", "Person", "ru", "1970", None), ("C D", "Person", "ru", "1970", None)],
        ),
        (  # every birth date and country is tried; a country given twice (any case) once
            {
                "schema": "Person",
                "properties": {"name": "A", "birthDate": ["1970", "1971"], "country": ["ru", "RU", "by"]},
            },
            [
                ("A", "Person", "ru", "1970", None), ("A", "Person", "by", "1970", None),
                ("A", "Person", "ru", "1971", None), ("A", "Person", "by", "1971", None),
            ],
        ),
        (  # identifiers after the first get a row of their own, with the first name and qualifiers
            {"schema": "Company", "properties": {"name": ["X", "X"], "innCode": ["1"], "ogrnCode": ["2", "1"]}},
            [("X", "Company", None, None, "1"), ("X", "Company", None, None, "2")],
        ),
        (
            {"schema": "Person", "properties": {"firstName": "Ivan", "lastName": ["Ivanov"]}},
            [("Ivan Ivanov", "Person", None, None, None)],
        ),
        (
            {"schema": "Company", "properties": {"innCode": ["7722476458"]}},
            [("7722476458", "Company", None, None, "7722476458")],
        ),
        ({"schema": "Company", "properties": {"name": ["  "]}}, []),
    ],
)  # fmt: skip
def test_query_rows(raw: dict[str, Any], rows: list[tuple[str | None, ...]]) -> None:
    """An example gives a row per name, birth date and country, and per further identifier."""
    got = ftm.query_rows("k", ftm.example("k", raw))
    assert [(r["name"], r["schema"], r["country"], r["birth_date"], r["identifier"]) for r in got] == rows


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "queries.k: expected an object"),
        ({"properties": {}}, "queries.k.schema"),
        ({"schema": "Person", "properties": []}, "queries.k.properties: expected an object"),
        ({"schema": "Person", "properties": {"name": [None]}}, "queries.k.properties.name"),
    ],
)
def test_bad_examples_say_where(raw: object, message: str) -> None:
    """A malformed example is refused with the path of the bad part."""
    with pytest.raises(ftm.QueryError, match=message.replace(".", r"\.")):
        ftm.example("k", raw)


def test_entity_shape() -> None:
    """An entity row becomes yente's entity: FtM properties from names, identifiers and list fields."""
    row = {
        "entity_id": "s:1", "source": "s", "entity_schema": "Person", "caption": "Ivan", "name": ["Ivan", "Vanya"],
        "name_type": ["primary", "weak_alias"], "id_type": ["PASSPORT"], "raw": ["AB 123"], "countries": "RU;BY",
        "birth_dates": "1970", "programs": "RUSSIA-EO14024", "topics": None, "remarks": None, "listed_on": None,
    }  # fmt: skip
    got = ftm.entity(row)
    assert got["properties"] == {
        "name": ["Ivan"], "weakAlias": ["Vanya"], "passportNumber": ["AB 123"], "birthDate": ["1970"],
        "country": ["ru", "by"], "program": ["RUSSIA-EO14024"], "topics": ["sanction"],
    }  # fmt: skip
    assert (got["id"], got["caption"], got["schema"], got["datasets"]) == ("s:1", "Ivan", "Person", ["s"])
