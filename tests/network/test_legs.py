"""A payment's legs: the payment as written, then the ultimate creditor's and the ultimate debtor's legs."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from screening.network.legs import payment_legs


def record(ultimate_debtor: str | None, ultimate_creditor: str | None) -> pl.DataFrame:
    """Return one payment record D → C (banks DB, CB) with the given ultimate parties."""
    return pl.DataFrame(
        {
            "record_id": ["m1"], "source_file": ["m.xml"], "line": [3], "date": [date(2023, 4, 3)],
            "originator": ["D"], "beneficiary": ["C"], "originator_bank": ["DB"], "beneficiary_bank": ["CB"],
            "value": [10.0], "currency": ["USD"],
            "ultimate_debtor": [ultimate_debtor], "ultimate_creditor": [ultimate_creditor],
        },
        schema_overrides={"ultimate_debtor": pl.String, "ultimate_creditor": pl.String},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("ultimate_debtor", "ultimate_creditor", "legs"),
    [
        (None, None, [("D", "DB", "C", "CB", None, 0)]),
        (None, "UC", [("D", "DB", "C", "CB", None, 0), ("C", "CB", "UC", None, "ultimate creditor", 1)]),
        ("UD", None, [("D", "DB", "C", "CB", None, 0), ("UD", None, "D", "DB", "debtor", 2)]),
        (
            "UD",
            "UC",
            [
                ("D", "DB", "C", "CB", None, 0),
                ("C", "CB", "UC", None, "ultimate creditor", 1),
                ("UD", None, "D", "DB", "debtor", 2),
            ],
        ),
    ],
)
def test_legs_follow_the_money(
    ultimate_debtor: str | None, ultimate_creditor: str | None, legs: list[tuple[object, ...]]
) -> None:
    found = payment_legs(record(ultimate_debtor, ultimate_creditor))
    columns = ("originator", "originator_bank", "beneficiary", "beneficiary_bank", "via", "leg")
    assert found.select(columns).rows() == legs
    assert found["record_id"].to_list() == ["m1"] * len(legs)  # every leg points at the message
    assert set(found["value"]) == {10.0}


def test_plain_payments_without_ultimate_columns_are_one_leg_each() -> None:
    plain = record(None, None).drop("ultimate_debtor", "ultimate_creditor")
    assert payment_legs(plain).height == 1


STATED = {"originator_country": "DE", "beneficiary_country": None, "ultimate_creditor_country": "RU"}


@pytest.mark.parametrize(
    ("stated", "countries"),
    [
        ({}, [(None, None), (None, None), (None, None)]),  # a plain ledger states no country
        (STATED, [("DE", None), (None, "RU"), (None, "DE")]),  # address countries, each on its party's side
        ({"ultimate_debtor_country": "KZ"}, [(None, None), (None, None), ("KZ", None)]),
        # an IBAN gives debtor's and creditor's country when no address does; an invalid one gives none
        ({"beneficiary_account": "DE89370400440532013000"}, [(None, "DE"), ("DE", None), (None, None)]),
        ({"beneficiary_account": "DE89370400440532013001"}, [(None, None), (None, None), (None, None)]),
        ({"beneficiary_country": "AT", "beneficiary_account": "DE89370400440532013000"},
         [(None, "AT"), ("AT", None), (None, None)]),
    ],
)  # fmt: skip
def test_legs_carry_the_countries_the_record_states(
    stated: dict[str, str | None], countries: list[tuple[str | None, str | None]]
) -> None:
    rows = record("UD", "UC").with_columns(pl.lit(v, pl.String).alias(c) for c, v in stated.items())
    found = payment_legs(rows).sort("leg")
    assert found.select("originator_country", "beneficiary_country").rows() == countries
