"""National registration numbers: which country issued one, by its shape and check digits."""

from __future__ import annotations

import polars as pl
import pytest

from screening.kinds.national_ids import national_country


@pytest.mark.parametrize(
    ("scheme", "value", "country"),
    [
        ("INN", "7707083893", "RU"),  # Sberbank
        ("INN", "7707083894", None),  # a wrong check digit
        ("INN", "500501060043", "RU"),  # a person's, both check digits right
        ("INN", "500501060044", None),
        ("INN", "01234567891011", None),  # a Kyrgyz INN: 14 digits
        ("INN", "77070838", None),
        ("INN", " 7707083893 ", "RU"),
        ("OGRN", "1027700132195", "RU"),
        ("OGRN", "1027700132196", None),
        ("OGRN", "1", None),
        ("OGRN", "102770013219X", None),
        ("KPP", "773601001", "RU"),
        ("KPP", "7736010", None),
        ("UNP", "100230591", "BY"),
        ("UNP", "1002305", None),
        ("TXID", "7707083893", None),
        (None, None, None),
    ],
)
def test_national_country(scheme: str | None, value: str | None, country: str | None) -> None:
    frame = pl.DataFrame({"scheme": [scheme], "value": [value]}, schema={"scheme": pl.String, "value": pl.String})
    assert frame.select(national_country(pl.col("scheme"), pl.col("value")))[0, 0] == country
