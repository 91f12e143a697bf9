"""Table tests of the perturbations of real names and birth dates (``variants.py``)."""

from __future__ import annotations

import random
from types import ModuleType

import pytest


@pytest.mark.parametrize(
    ("op", "date", "expected"),
    [
        ("year_off", "1970-05-12", {"1969-05-12", "1971-05-12"}),
        ("year_off", "1970", {"1969", "1971"}),
        ("day_month_swapped", "1970-05-12", {"1970-12-05"}),
        ("day_month_swapped", "1970-05-13", {None}),  # no 13th month
        ("day_month_swapped", "1970-05-05", {None}),  # the same date
        ("day_month_swapped", "1970", {None}),
        ("year_only_day", "1970-05-12", {None}),  # a full date is no year-only one
    ],
)
def test_birth_date_shifts(variants: ModuleType, op: str, date: str, expected: set[str | None]) -> None:
    assert getattr(variants, op)(date, random.Random(1)) in expected


@pytest.mark.parametrize("date", ["1970", "1970-01-01"])
def test_a_year_only_date_gets_a_full_date_in_its_year(variants: ModuleType, date: str) -> None:
    made = variants.year_only_day(date, random.Random(1))
    assert made is not None
    assert made.startswith("1970-")
    assert len(made) == 10


@pytest.mark.parametrize(("name", "edited"), [("AL-SHARAA, Farouk", True), ("LI, Yi", False)])
def test_two_typos_need_a_word_of_five_letters(variants: ModuleType, name: str, edited: bool) -> None:
    made = variants.two_typos(name, random.Random(3))
    assert (made is not None and made != name) == edited
