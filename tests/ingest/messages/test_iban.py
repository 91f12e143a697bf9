"""IBAN checks: shape, country, length and mod-97 check digits, as polars expressions."""

from __future__ import annotations

import polars as pl
import pytest

from screening.ingest.messages.iban import iban_country, iban_problem, mod97


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


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "MT84MALT011000012345MTLCAST001S",
        "LC55HEMM000100010012001200023015",
        "ZZ99ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",  # 34 characters, letters the longest digits: 68
        "AA00000000000001",
        "RU0204452560040702810412345678901",
    ],
)
def test_mod97_is_the_remainder_of_the_rearranged_number(iban: str) -> None:
    moved = iban[4:] + iban[:4]
    number = int("".join(str(int(c, 36)) for c in moved))
    found = pl.DataFrame({"a": [iban, None]}).select(mod97(pl.col("a")))["a"].to_list()
    assert found == [number % 97, None]
