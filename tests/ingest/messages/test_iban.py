"""IBAN checks: shape, country, length and mod-97 check digits, as polars expressions."""

from __future__ import annotations

import polars as pl
import pytest

from screening.ingest.messages.iban import iban_country, iban_problem


@pytest.mark.parametrize(
    ("account", "problem", "country"),
    [
        ("DE89370400440532013000", None, "DE"),
        ("GB82 WEST 1234 5698 7654 32", None, "GB"),
        ("ru0204452560040702810412345678901", None, "RU"),
        ("DE00370400440532013000", "wrong check digits", None),
        ("DE8937040044053201300", "21 characters, DE IBANs have 22", None),
        ("XY89370400440532013000", "no IBANs in country XY", None),
        ("40702810000000012345", None, None),  # a Russian account number, not an IBAN: not checked
        ("1280010012345678", None, None),
    ],
)
def test_iban(account: str, problem: str | None, country: str | None) -> None:
    frame = pl.DataFrame({"a": [account]}).select(problem=iban_problem(pl.col("a")), country=iban_country(pl.col("a")))
    found = frame["problem"][0]
    assert (found is None) == (problem is None)
    assert problem is None or problem in found
    assert frame["country"][0] == country
