"""Normalising dates, countries, identifiers and OFAC remarks."""

from __future__ import annotations

from datetime import date

import pytest

from screening.lists.ofac_remarks import parse_remarks
from screening.lists.values import country_code, document_type, iso_date, normalize_identifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1965-05-13", "1965-05-13"),
        ("2026-02-27T00:00:09.554Z", "2026-02-27"),
        ("1962", "1962"),
        ("13 May 1965", "1965-05-13"),
        ("Mar 1960", "1960-03"),
        ("21/07/1951", "1951-07-21"),
        ("00/00/1965", "1965"),
        ("00/03/1965", "1965-03"),
        ("dd/mm/1961", "1961"),  # the UK list's unknown day and month
        ("DD/MM/1961", "1961"),
        ("dd/04/1961", "1961-04"),
        ("12/mm/1961", "1961"),
        ("circa", None),
        ("", None),
        ("13 Foo 1965", None),
    ],
)
def test_iso_date(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Iran", "IR"),
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("Democratic Republic of the Congo", "CD"),
        ("Côte d'Ivoire", "CI"),
        ("Region: Crimea", "UA-43"),
        ("gb", "GB"),
        ("Türkiye", "TR"),
        ("-0-", None),
        ("Atlantis", None),
    ],
)
def test_country_code(name: str, code: str | None) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("OB 0243318", "OB0243318"),
        ("1-78-09-44621-80", "178094462180"),
        ("scu-070904-t25", "SCU070904T25"),
    ],
)
def test_normalize_identifier(raw: str, value: str) -> None:
    assert normalize_identifier(raw) == value


def test_parse_remarks() -> None:
    facts = parse_remarks(
        "DOB 1960 to 1962; alt. DOB circa 1955; nationality Russia; "
        "Tax ID No. 7744001497 (Russia); "
        "Registration Number 1027700167110 (Russia); Legal Entity Number 253400WSS48YWMBUA688; "
        "Listing Date (EO 14024 Directive 3): 24 Feb 2022; Linked To: BANK ROSSIYA.; "
        "a.k.a. 'RUSAG'; Website www.example.ru"
    )
    assert facts.birth_dates == ["1960", "1962", "1955"]
    assert facts.countries == ["RU"]
    assert facts.identifiers == [
        ("INN", "7744001497"),
        ("OGRN", "1027700167110"),
        ("LEI", "253400WSS48YWMBUA688"),
    ]
    assert (facts.linked_to, facts.weak_aliases) == (["BANK ROSSIYA"], ["RUSAG"])
    assert facts.listed_on == date(2022, 2, 24)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Passport", "PASSPORT"),
        ("Numéro de passeport", "PASSPORT"),
        ("Pasaporte", "PASSPORT"),
        ("National Identification Number", "NATIONAL_ID"),
        ("Numéro d'identification nationale", "NATIONAL_ID"),
        ("Documento nacional de identidad", "NATIONAL_ID"),
        ("Tax Identification Number", "TAX"),
        ("Número de identificación tributaria", "TAX"),
        ("IMO Number", "IMO"),
        ("Driving licence", "OTHER"),
        ("", "OTHER"),
    ],
)
def test_document_type(label: str, expected: str) -> None:
    assert document_type(label) == expected
