"""Coercion tables: countries, dates, amounts, currencies; mapping by synonyms."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from screening.ingest import detect_kind, normalize_country
from screening.ingest.dates import parse_date
from screening.ingest.mapping import resolve
from screening.ingest.numbers import normalize_currency, parse_amount


def _one(expr: pl.Expr, value: str) -> object:
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(expr)[0, 0]


@pytest.mark.parametrize(("raw", "code"), [
    ("TURKEY", "TR"), ("Türkiye", "TR"), ("Turkiye", "TR"), ("TR", "TR"), ("TUR", "TR"),
    ("ТURKEY", "TR"), ("Russian Federation", "RU"), ("RUSSIA", "RU"), ("Россия", "RU"),
    ("UAE", "AE"), ("Hong Kong", "HK"), ("Kyrgyzstan", "KG"), ("Kyrgyz Republic", "KG"),
    ("Crimea", "UA-43"), ("UA-43", "UA-43"), ("Sevastopol", "UA-40"), ("Donetsk", "UA-14"),
    ("Luhansk", "UA-09"), ("Zaporizhzhia", "UA-23"), ("Kherson", "UA-65"), ("Narnia", None),
    ("", None),
])  # fmt: skip
def test_countries(raw: str, code: str | None) -> None:
    assert _one(normalize_country(pl.col("v")), raw) == code


@pytest.mark.parametrize(("raw", "expected"), [
    ("2023-04-15", date(2023, 4, 15)), ("2023-04-15T10:30:00", date(2023, 4, 15)),
    ("15.04.2023", date(2023, 4, 15)), ("15/04/2023", date(2023, 4, 15)),
    ("04/15/2023", date(2023, 4, 15)), ("05/04/2023", date(2023, 4, 5)),
    ("Apr 2023", date(2023, 4, 1)), ("April 2023", date(2023, 4, 1)),
    ("2023-04", date(2023, 4, 1)), ("202304", date(2023, 4, 1)), ("2023M04", date(2023, 4, 1)),
    ("45031", date(2023, 4, 15)), ("31/31/2023", None), ("soon", None), ("00000", None), ("00001", None),
])  # fmt: skip
def test_dates(raw: str, expected: date | None) -> None:
    assert _one(parse_date(pl.col("v")), raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,234,567.89", 1234567.89), ("1 234 567,89", 1234567.89), ("1.234.567,89", 1234567.89),
    ("$1,234.50", 1234.5), ("(123.45)", -123.45), ("12,5", 12.5), ("USD 100", 100.0),
    ("abc", None), ("", None),
    # plain decimals take the short path; anything else, other scripts' digits too, the long one
    ("12", 12.0), ("-5", -5.0), ("0012.50", 12.5), (".5", None), ("5.", None), ("1e5", None),
    ("inf", None), ("١٢٣", None),
    # read one way only, or not at all: a sign between digits, separators that do not group in threes
    ("12-34", None), ("1+1", None), ("1,5,3", None), ("1.5.3", None), ("--5", None), ("1 000 - 2 000", None),
    ("1.234.567", 1234567.0), ("12,34,567.89", 1234567.89), ("100-", -100.0), ("USD -100", -100.0),
    ("1'234.50", 1234.5), ("-1,234.5", -1234.5),
])  # fmt: skip
def test_amounts(raw: str, expected: float | None) -> None:
    assert _one(parse_amount(pl.col("v")), raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("usd", "USD"), ("€", "EUR"), ("XYZ", None)])
def test_currencies(raw: str, expected: str | None) -> None:
    assert _one(normalize_currency(pl.col("v")), raw) == expected


@pytest.mark.parametrize(("column", "canonical"), [
    ("HS_CODE", "hs_code"), ("commodity code", "hs_code"), ("ТН ВЭД", "hs_code"),
    ("GOODS_DESC", "description"), ("SUPPLIER_NAME", "shipper"), ("IMPORTER_NAME_EN", "consignee"),
    ("ordering_customer", "originator"), ("payee", "beneficiary"), ("vessel_name", "vessel"),
    ("ORIGIN_COUNTRY", "origin_country"), ("dest_country", "destination_country"),
    ("MONTHYEAR", "date"), ("TOTALVALUE", "value"), ("qty", "quantity"), ("txn_id", "record_id"),
    ("party_name", "name"), ("inn", "identifier"), ("unrelated", None),
])  # fmt: skip
def test_synonyms(column: str, canonical: str | None) -> None:
    assert resolve([column])[column] == canonical


def test_explicit_mapping_overrides_synonyms() -> None:
    assert resolve(["amount", "x"], {"amount": "quantity", "x": "value"}) == {
        "amount": "quantity",
        "x": "value",
    }


@pytest.mark.parametrize(("columns", "kind"), [
    (["name", "country"], "parties"), (["name", "hs_code"], "transactions"),
    (["destination_country"], "transactions"),
])  # fmt: skip
def test_detect_kind(columns: list[str], kind: str) -> None:
    assert detect_kind(columns) == kind
