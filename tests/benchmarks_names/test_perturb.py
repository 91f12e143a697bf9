"""Table tests of the named perturbations of a real listed person's record (``perturb.py``)."""

from __future__ import annotations

import random
from types import ModuleType

import pytest

RECORD = ("AL-TIKRITI, Sabawi Ibrahim Hasan", "1947-02-27", "IQ")


@pytest.mark.parametrize(
    ("op", "record", "expected"),
    [
        ("drop_middle", RECORD, {"AL-TIKRITI, Sabawi Hasan", "AL-TIKRITI, Sabawi Ibrahim"}),
        ("drop_middle", ("KIM, Jong Un", None, None), {"KIM, Jong"}),
        ("drop_middle", ("SMITH, John", None, None), {None}),
        ("drop_middle", ("Abu Bakr al-Baghdadi", None, None), {"Abu al-Baghdadi"}),
        ("initials", RECORD, {"AL-TIKRITI, S. Ibrahim Hasan"}),
        ("initials", ("John Smith", None, None), {None}),  # which word is the given name is not known
        ("initials", ("AL-BAKKUR, 'Abd-al-'Azim", None, None), {"AL-BAKKUR, A."}),  # a letter, no apostrophe
        ("reorder", ("ALI, Ali", None, None), {None}),  # the same words in a new case are no reordering
        ("year_off", RECORD, {"1946-02-27", "1948-02-27"}),
        ("day_month_swapped", ("X, Y", "1960-05-12", None), {"1960-12-05"}),
        ("day_month_swapped", RECORD, {None}),  # no 27th month
        ("year_only", RECORD, {None}),  # a full date
        ("birth_missing", RECORD, {None}),
        ("country_missing", RECORD, {None}),
        ("neighbour_country", RECORD, {"SY", "JO", "KW"}),
        ("neighbour_country", ("X, Y", None, "IS"), {None}),  # not in the table
        ("transliteration", RECORD, {None}),  # no Cyrillic source
    ],
)
def test_perturbations(perturb: ModuleType, op: str, record: tuple[str, str, str], expected: set[str | None]) -> None:
    made = perturb.PERTURBATIONS[op](*record, random.Random(1))
    changed = None if made is None else next((m for m, r in zip(made, record, strict=True) if m != r), None)
    assert changed in expected


@pytest.mark.parametrize(("date", "year"), [("1970", "1970-"), ("1970-01-01", "1970-")])
def test_a_year_only_date_becomes_another_day_of_its_year(perturb: ModuleType, date: str, year: str) -> None:
    made = perturb.year_only(date, random.Random(2))
    assert made is None or (made.startswith(year) and made != f"{year}01-01")


@pytest.mark.parametrize(
    ("op", "name", "edited"),
    [
        ("two_typos", "AL-SHARAA, Farouk Ahmed", True),
        ("two_typos", "LI, Yiyang", False),
        ("reorder", "ALI, Ali", False),
    ],
)
def test_name_perturbations_need_enough_name(perturb: ModuleType, op: str, name: str, edited: bool) -> None:
    made = perturb.PERTURBATIONS[op](name, None, None, random.Random(3))
    assert (made is not None) == edited


def test_transliteration_respells_a_cyrillic_source(perturb: ModuleType) -> None:
    made = perturb.PERTURBATIONS["transliteration"]("KHODORKOVSKIY, Mikhail", None, "RU", random.Random(1))
    assert made is not None
    assert made[0].upper() != "KHODORKOVSKIY, MIKHAIL"


@pytest.mark.parametrize("classes", [1, 3, 20])
def test_perturbed_is_seeded_and_draws_distinct_classes(perturb: ModuleType, classes: int) -> None:
    first = perturb.perturbed("un_sc:IQi.001", RECORD, classes)
    assert first == perturb.perturbed("un_sc:IQi.001", RECORD, classes)
    ops = [op for op, _ in first]
    assert len(ops) == len(set(ops)) == min(classes, 9)  # 9 classes apply to this record


def test_an_organisation_is_neither_reordered_nor_dated(perturb: ModuleType) -> None:
    made = perturb.perturbed(
        "x", ("NARENJESTAN HOTEL AND BUILDING DEVELOPMENT", None, "IR"), 20, perturb.ENTITY_PERTURBATIONS
    )
    assert [op for op, _ in made] == ["country_missing", "neighbour_country", "two_typos", "typo"]


@pytest.mark.parametrize("seed", range(40))
def test_a_typo_is_never_a_change_of_case_alone(perturb: ModuleType, seed: int) -> None:
    made = perturb.PERTURBATIONS["typo"]("HEATH, Noel Timothy", None, None, random.Random(seed))
    assert made is None or made[0].upper() != "HEATH, NOEL TIMOTHY"
