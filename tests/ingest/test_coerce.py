"""Coercion tables: countries, dates, amounts, currencies; mapping by synonyms."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from screening.ingest import detect_kind, normalize_country
from screening.ingest.dates import coerce_period, parse_date
from screening.ingest.mapping import currency_in_name, resolve
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
    # labelled forms, translations, Mongolian abbreviations, aggregates
    ("Germany (incl. German Democratic Republic 'DD' from 1991)", "DE"), ("Ireland (Eire)", "IE"),
    ("Russian Federation (Russia)", "RU"), ("MOLDOVA/FOR CUSTOMS CLEARANCE", "MD"),
    ("Корея, Республика", "KR"), ("Rusya Federasyonu", "RU"), ("Қытай", "CN"), ("Хятад", "CN"),
    ("Німеччина", "DE"), ("БНХАУ", "CN"), ("АНУ", "US"), ("ОХУ", "RU"), ("EL", "GR"),
    ("EUROPEAN UNION", "EU"), ("EU27_2020", "EU"), ("EU-27", "EU"), ("EXTRA-EU", "EXTRA_EU"),
    ("Euro area - 20 countries (from 2023)", "EURO_AREA"), ("WORLD", "WORLD"), ("W00", "WORLD"),
    ("NA", "NA"),  # Namibia, not a placeholder
    ("East Timor", "TL"), ("Timor Leste", "TL"),  # names_dev/valrep_negatives_global.csv nationalities
    ("Swaziland", "SZ"), ("Cape Verde", "CV"),
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
    ("SUPPLIER_NAME_EN", "shipper"), ("EXPORTER_NAME_EN", "shipper"), ("STD_EXPORTER_NAME", "shipper"),
    ("BUYER_NAME", "consignee"), ("BUYER_NAME_EN", "consignee"), ("CONSIGNEE_NAME_EN", "consignee"),
    ("CONTRACTORS_NAME_AND_LOCATION", "counterparty"), ("CUSTOMS_APPLICANT_NAME", "applicant"),
    ("DECLARANT_NAME", "declarant"), ("HS_CODE_DESCRIPTION_EN", "description"),
    ("PRODUCT_DESCRIPTION_EN", "description"), ("TOTALQUANTITY", "quantity"), ("SUMOFQUANTITY", "quantity"),
    ("TOTAL_VALUE_USD", "value"), ("CUSTOMS_VALUE_USD", "value"), ("STATISTICAL_VALUE_USD", "value"),
    ("SUMOFVALUE_IN_FOREIGN_CURRENCY", "value"), ("IMP_DATE", "date"), ("EXP_DATE", "date"),
    ("DATE_OF_ISSUE", "date"), ("REGISTRATION_DATE", "date"), ("PRODUCT", "hs_code"),
    ("PRODUCT_LABEL", "description"), ("VALUE_IN_EUR", "value"), ("QUANTITY_IN_100KG", "quantity"),
    ("FLOW", "flow"), ("PERIOD", "period"), ("REPORTER", "reporter_country"),
    ("PARTNER_LABEL", "partner_country"), ("cmdCode", "hs_code"), ("primaryValue", "value"),
    ("Trade Value (US$)", "value"), ("DECLARATION_NUMBER", "declaration_number"), ("Amount (US$)", "value"),
    ("ITEM_NUMBER", "item_number"), ("Value (RUB)", "value"), ("Amount EUR", "value"), ("Стоимость, RUB", "value"),
    ("Invoice value in CNY", "value"), ("Name (RUB)", None), ("RUB", None),
])  # fmt: skip
def test_synonyms(column: str, canonical: str | None) -> None:
    assert resolve([column])[column] == canonical


@pytest.mark.parametrize(("columns", "second"), [
    (["SUPPLIER_NAME_EN", "SUPPLIER_NAME"], "shipper_alt"),
    (["BUYER_NAME_EN", "BUYER_NAME"], "consignee_alt"),
    (["EXPORTER_NAME_EN", "STD_EXPORTER_NAME"], "shipper_alt"),
])  # fmt: skip
def test_second_party_name_column_is_screened_too(columns: list[str], second: str) -> None:
    assert resolve(columns)[columns[1]] == second


@pytest.mark.parametrize(("column", "currency"), [
    ("VALUE_IN_EUR", "EUR"), ("TOTAL_VALUE_USD", "USD"), ("VALUE_IN_EUROS", "EUR"),
    ("Trade Value (US$)", "USD"), ("SUMOFVALUE_IN_FOREIGN_CURRENCY", None), ("value", None),
])  # fmt: skip
def test_currency_in_column_name(column: str, currency: str | None) -> None:
    assert currency_in_name(column) == currency


@pytest.mark.parametrize(("raw", "start", "months"), [
    ("202408-Aug. 2024", date(2024, 8, 1), 1), ("201952-Jan.-Dec. 2019", date(2019, 1, 1), 12),
    ("201952", date(2019, 1, 1), 12), ("Jan.-Dec. 2018", date(2018, 1, 1), 12),
    ("Y2019", date(2019, 1, 1), 12), ("2023Q2", date(2023, 4, 1), 3), ("202304", date(2023, 4, 1), 1),
])  # fmt: skip
def test_periods_as_published(raw: str, start: date, months: int) -> None:
    assert _one(coerce_period(pl.col("v"), pl.String()), raw) == {"start": start, "months": months}


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
