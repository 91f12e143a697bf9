"""The one look-alike table: names and country values fold the same letters, and planting reverses folding."""

from __future__ import annotations

import polars as pl
import pytest

from screening.ingest.countries import normalize_country
from screening.lookalike import LATIN_TO_CYRILLIC, SMALL_CAPS, TO_LATIN
from screening.names.script import fold


@pytest.mark.parametrize(
    ("written", "name", "country"),
    [
        ("ROMАSHKA", "ROMASHKA", None),  # Cyrillic А inside a Latin word
        ("ТURKEY", "TURKEY", "TR"),  # Cyrillic Т
        ("Kazakhstаn", "Kazakhstan", "KZ"),  # Cyrillic small а
        ("GЕRMАNY", "GERMANY", "DE"),
        ("Gеrmаny", "Germany", "DE"),
        ("Ιtaly", "Italy", None),  # Greek Ι: names fold it; countries fold only Cyrillic
        ("Роланд", "Roland", None),  # all Cyrillic: transliterated, not folded
    ],
)
def test_names_and_countries_fold_alike(written: str, name: str, country: str | None) -> None:
    assert fold(written) == name
    if country is not None:
        assert pl.select(normalize_country(pl.lit(written))).item() == country


@pytest.mark.parametrize(
    ("written", "country"),
    [("кyrgyzstan", "KG"), ("Arмenia", "AM"), ("Kazakhsтan", "KZ"), ("Baнrain", "BH"), ("вelarus", "BY")],
)
def test_small_capitals_fold_in_country_values(written: str, country: str) -> None:
    assert any(ch in SMALL_CAPS for ch in written)
    assert pl.select(normalize_country(pl.lit(written))).item() == country


def test_planting_reverses_folding() -> None:
    assert {TO_LATIN[c]: c for c in LATIN_TO_CYRILLIC.values()} == LATIN_TO_CYRILLIC
    assert all(not c.isascii() for c in TO_LATIN)
