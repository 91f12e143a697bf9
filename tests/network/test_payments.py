"""Payment chains on small ledgers: hops, the date window, hubs, party identity, value sanity."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from screening.network.keys import name_keys
from screening.network.payments import (
    amount,
    hub_payers,
    party_banks,
    party_homes,
    payment_chains,
    prepare_payments,
)

DE, KG, HK, AE, RU = "DEUTDEFFXXX", "KICBKG22XXX", "HSBCHKHHXXX", "EBILAEADXXX", "SABRRUMMXXX"
KZ, FR = "HSBKKZKXXXX", "BNPAFRPPXXX"
DAY = date(2023, 4, 3)
Row = tuple[str, str, str, str, str, int, float, str | None]
NO_LISTED = pl.DataFrame(schema={"name": pl.String(), "detail": pl.String()})


def ledger(rows: list[Row]) -> pl.DataFrame:
    """Return payment records from (id, originator, bank, beneficiary, bank, day offset, value, currency)."""
    frame = pl.DataFrame(
        [(r[0], r[1], r[2], r[3], r[4], DAY + timedelta(days=r[5]), r[6], r[7]) for r in rows],
        schema={
            "record_id": pl.String,
            "originator": pl.String,
            "originator_bank": pl.String,
            "beneficiary": pl.String,
            "beneficiary_bank": pl.String,
            "date": pl.Date,
            "value": pl.Float64,
            "currency": pl.String,
        },
        orient="row",
    )
    return frame.with_columns(source_file=pl.lit("pay.csv"), line=pl.int_range(2, frame.height + 2))


def chains(rows: list[Row], listed: pl.DataFrame = NO_LISTED, **params: float) -> dict[str, str]:
    """Return {record_id: detail} of the chains found."""
    found = payment_chains(prepare_payments(ledger(rows)), listed, **params)  # type: ignore[arg-type]
    return dict(zip(found["record_id"], found["detail"], strict=True))


ONE_HOP: list[Row] = [
    ("p1", "Nordtech GmbH", DE, "Alfa Trade LLC", KG, 0, 1_200_000, "USD"),
    ("p2", "Alfa Trade LLC", KG, "OOO Romashka", RU, 7, 1_100_000, "USD"),
]
TWO_HOPS: list[Row] = [
    ("p1", "Nordtech GmbH", DE, "Beta Components Ltd", HK, 0, 500_000, "USD"),
    ("p2", "Beta Components Ltd", HK, "Gamma FZE", AE, 4, 480_000, "USD"),
    ("p3", "Gamma FZE", AE, "ООО Ромашка", RU, 8, 470_000, "USD"),
]


def shifted(rows: list[Row], index: int, **change: object) -> list[Row]:
    """Return the rows with one row's fields changed (day, value, currency, names or banks)."""
    fields = (
        "record_id",
        "originator",
        "originator_bank",
        "beneficiary",
        "beneficiary_bank",
        "day",
        "value",
        "currency",
    )
    out = list(rows)
    values = dict(zip(fields, out[index], strict=True)) | change
    out[index] = tuple(values[f] for f in fields)  # type: ignore[assignment]
    return out


@pytest.mark.parametrize(
    ("rows", "hops", "expected"),
    [
        (ONE_HOP, 2, {"p1"}),
        (TWO_HOPS, 2, {"p1", "p2"}),  # p2 starts a one-intermediary chain of its own
        (TWO_HOPS, 1, {"p2"}),
        (shifted(ONE_HOP, 1, day=30), 2, {"p1"}),  # day 30 is inside the window
        (shifted(ONE_HOP, 1, day=31), 2, set()),  # outside the window
        (shifted(ONE_HOP, 1, day=-1), 2, set()),  # onward payment before the money arrived
        (shifted(ONE_HOP, 0, beneficiary_bank="COBADEFFXXX"), 2, set()),  # B banks in Germany
        (shifted(ONE_HOP, 0, beneficiary="Alfa Trading LLC"), 2, set()),  # a different party pays on
        (shifted(ONE_HOP, 0, beneficiary="ALFA-TRADE, Ltd"), 2, {"p1"}),  # same party, other spelling and form
        (shifted(ONE_HOP, 1, value=100_000), 2, set()),  # onward amount too small to be the same money
        (shifted(ONE_HOP, 1, value=100_000, currency="RUB"), 2, {"p1"}),  # currencies differ: not compared
        (shifted(ONE_HOP, 1, beneficiary_bank="Sberbank of Russia"), 2, set()),  # bank by name, no BIC: country unknown
        (shifted(ONE_HOP, 1, beneficiary_bank="COBADEFFXXX"), 2, set()),  # money stays in Germany
        (shifted(ONE_HOP, 1, beneficiary="Nordtech GmbH"), 2, set()),  # round trip, no Russian party
        ([], 2, set()),
    ],
)
def test_chains_found(rows: list[Row], hops: int, expected: set[str]) -> None:
    found = chains(rows, hops=hops) if rows else {}
    assert set(found) == expected


def test_bank_named_only_falls_back_to_the_partys_other_bic() -> None:
    rows = [
        *shifted(ONE_HOP, 1, beneficiary_bank="Sberbank of Russia"),
        ("p3", "OOO Romashka", RU, "Other LLC", DE, 20, 5, "USD"),
    ]
    assert "OOO Romashka (RU," in chains(rows)["p1"]


@pytest.mark.parametrize(
    ("rows", "record_id", "detail"),
    [
        (
            ONE_HOP,
            "p1",
            "Nordtech GmbH → Alfa Trade LLC (KG, 2023-04-03, $1.2 M) → OOO Romashka (RU, 2023-04-10, $1.1 M): "
            "money reaches a Russian party through 1 intermediary in KG",
        ),
        (TWO_HOPS, "p1", "→ Gamma FZE (AE, 2023-04-07, $480 k) → ООО Ромашка (RU, 2023-04-11, $470 k)"),
        (TWO_HOPS, "p1", "through 2 intermediaries in HK, AE"),
    ],
)
def test_detail(rows: list[Row], record_id: str, detail: str) -> None:
    assert detail in chains(rows)[record_id]


def test_listed_end_party() -> None:
    rows = shifted(ONE_HOP, 1, beneficiary="Concern Almaz-Antey", beneficiary_bank="Some Bank")
    assert chains(rows) == {}
    listed = pl.DataFrame({"name": ["Concern Almaz-Antey"], "detail": ["Concern Almaz-Antey ~ ALMAZ-ANTEY (0.95)"]})
    assert "money reaches a listed party (Concern Almaz-Antey ~ ALMAZ-ANTEY (0.95))" in chains(rows, listed)["p1"]


def test_busy_hub_keeps_one_chain_per_payment() -> None:
    rows: list[Row] = [(f"in{i}", f"Client {i}", DE, "Alfa Trade LLC", KG, i % 20, 1000, "USD") for i in range(200)]
    rows += [(f"out{i}", "Alfa Trade LLC", KG, "OOO Romashka", RU, i % 25, 900, "USD") for i in range(100)]
    found = payment_chains(prepare_payments(ledger(rows)), NO_LISTED)
    assert found.height == 200
    assert found["record_id"].is_unique().all()


@pytest.mark.parametrize(
    ("rows", "payers"),
    [
        (ONE_HOP, ["Alfa Trade LLC"]),  # banks in KG, as payee and as payer
        ([*ONE_HOP, ("p3", "Nordtech GmbH", DE, "Kappa AG", DE, 1, 10, "EUR")], ["Alfa Trade LLC"]),
        (TWO_HOPS, ["Beta Components Ltd", "Gamma FZE"]),
        # a bank given by name: the party's home is its other BIC's country, a hub; its other spelling too
        (
            [*ONE_HOP, ("p3", "ALFA TRADE LLC", "Some Bank", "Kappa AG", DE, 1, 10, "EUR")],
            ["ALFA TRADE LLC", "Alfa Trade LLC"],
        ),
        ([("p1", "Nordtech GmbH", DE, "Kappa AG", DE, 0, 10, "EUR")], []),
    ],
)
def test_hub_payers(rows: list[Row], payers: list[str]) -> None:
    records = ledger(rows)
    keys = name_keys(pl.concat([records["originator"], records["beneficiary"]]).unique())
    banks = party_banks(records)
    assert hub_payers(banks, keys, party_homes(banks, keys)).to_list() == payers


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (1_200_000.0, "USD", "$1.2 M"),
        (350_000.0, "EUR", "350 k EUR"),
        (900.0, None, "900"),
        (None, "USD", "amount unknown"),
    ],
)
def test_amount(value: float | None, currency: str | None, text: str) -> None:
    assert pl.select(amount(pl.lit(value, pl.Float64), pl.lit(currency, pl.String))).item() == text


def busy(others: int, to_russia: int = 1, day: int = 3, bank: str = KG) -> list[Row]:
    """Return ONE_HOP with the intermediary (or a namesake at ``bank``) also paying ``others`` suppliers on ``day``."""
    supplies: list[Row] = [
        (f"s{i}", "Alfa Trade LLC", bank, f"Supplier {i} GmbH", DE, day, 50_000, "USD") for i in range(others)
    ]
    extra: list[Row] = [
        (f"r{i}", "Alfa Trade LLC", KG, "OOO Romashka", RU, 60 + i, 40_000, "USD") for i in range(to_russia - 1)
    ]
    return [*ONE_HOP, *supplies, *extra]


@pytest.mark.parametrize(
    ("rows", "min_share", "found"),
    [
        (busy(0), 0.5, True),  # pays only Russia: a conduit
        (busy(1), 0.5, True),  # half of its payments go to Russia
        (busy(2), 0.5, False),  # one payment in three: a trader with a Russian customer
        (busy(2), 0.3, True),
        (busy(9, to_russia=5), 0.5, False),
        (busy(9, to_russia=5), 0.0, True),  # 0 turns the check off
        (busy(3, to_russia=4), 0.5, True),
        (busy(9, day=-400), 0.5, True),  # years of ordinary business, then a conduit quarter
        (busy(9, day=30), 0.5, False),  # the same suppliers paid in the chain's quarter
        (busy(9, bank=DE), 0.5, True),  # a namesake banking in Germany is another firm
    ],
)
def test_only_conduits_carry_a_chain(rows: list[Row], min_share: float, found: bool) -> None:
    assert ("p1" in chains(rows, min_share=min_share)) is found


def test_two_hop_chain_needs_both_intermediaries_to_be_conduits() -> None:
    diluted = [*TWO_HOPS, *[(f"s{i}", "Beta Components Ltd", HK, f"Supplier {i}", DE, 2, 9, "USD") for i in range(3)]]
    assert "through 2 intermediaries" in chains(TWO_HOPS)["p1"]
    assert "p1" not in chains(diluted)
    assert "p2" in chains(diluted)  # Gamma FZE still passes Beta's payment on


Message = tuple[str, str, str, str, str, int, float, str | None, str | None, str | None]


def messages(rows: list[Message]) -> pl.DataFrame:
    """Return payment records from ledger rows followed by (ultimate debtor, ultimate creditor)."""
    frame = ledger([r[:8] for r in rows])
    ultimates = pl.DataFrame([r[8:] for r in rows], schema=["ultimate_debtor", "ultimate_creditor"], orient="row")
    return pl.concat([frame, ultimates.cast(pl.String)], how="horizontal")


def message_chains(rows: list[Message], listed: pl.DataFrame = NO_LISTED) -> dict[str, str]:
    """Return {record_id: detail} of the chains found among payment messages."""
    found = payment_chains(prepare_payments(messages(rows)), listed)
    return dict(zip(found["record_id"], found["detail"], strict=True))


FOR_ROMASHKA: Message = ("m1", "Nordtech GmbH", DE, "Alfa Trade LLC", KG, 0, 1_200_000, "USD", None, "OOO Romashka")
ROMASHKA_AT_HOME: Message = ("m0", "Volga Metall AO", RU, "OOO Romashka", RU, -100, 9_000, "RUB", None, None)
ON_BEHALF: Message = ("m2", "Steppe Payments LLP", KZ, "OOO Romashka", RU, 7, 1_100_000, "USD", "Alfa Trade LLC", None)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # one message: the hub creditor is paid for an ultimate creditor banking in Russia (known from m0)
        ([FOR_ROMASHKA, ROMASHKA_AT_HOME], {"m1": "→ OOO Romashka (ultimate creditor, RU, 2023-04-03, $1.2 M)"}),
        ([FOR_ROMASHKA], {}),  # the ultimate creditor's country is unknown in the run
        # the ultimate creditor banks in France: the money stays out of Russia
        ([("m1", "Nordtech GmbH", DE, "Alfa Trade LLC", KG, 0, 1e6, "USD", None, "Lyon Optique SA"),
          ("m0", "Paris Achats SA", FR, "Lyon Optique SA", FR, -100, 9e3, "EUR", None, None)], {}),
        # the creditor banks in Germany: no hub on the way
        ([("m1", "Nordtech GmbH", DE, "Alfa GmbH", DE, 0, 1e6, "USD", None, "OOO Romashka"), ROMASHKA_AT_HOME], {}),
        # across messages: Alfa Trade pays on through a Kazakh payment agent, as its ultimate debtor
        (
            [(*ONE_HOP[0], None, None), ON_BEHALF],
            {"p1": "→ Steppe Payments LLP (debtor, KZ, 2023-04-10, $1.1 M) → OOO Romashka (RU",
             "m2": "1 intermediary in KZ"},
        ),
        # a plain ledger's chains are the same with empty ultimate columns
        ([(*ONE_HOP[0], None, None), (*ONE_HOP[1], None, None)], {"p1": chains(ONE_HOP)["p1"]}),
    ],
)  # fmt: skip
def test_message_chains(rows: list[Message], expected: dict[str, str]) -> None:
    found = message_chains(rows)
    assert set(found) == set(expected)
    for record_id, detail in expected.items():
        assert detail in found[record_id]


def test_one_message_chain_needs_no_conduit() -> None:
    """A hub creditor paid for many ultimate creditors is still a chain for the one in Russia."""
    others: list[Message] = [
        (f"x{i}", "Nordtech GmbH", DE, "Alfa Trade LLC", KG, 1, 5e3, "USD", None, f"Supplier {i} GmbH")
        for i in range(5)
    ]
    assert set(message_chains([FOR_ROMASHKA, ROMASHKA_AT_HOME, *others])) == {"m1"}


def test_listed_ultimate_creditor() -> None:
    listed = pl.DataFrame({"name": ["Concern Almaz-Antey"], "detail": ["Concern Almaz-Antey ~ ALMAZ-ANTEY (0.95)"]})
    row: Message = ("m1", "Nordtech GmbH", DE, "Alfa Trade LLC", KG, 0, 1e6, "USD", None, "Concern Almaz-Antey")
    assert (
        "(ultimate creditor, ?, 2023-04-03, $1 M): money reaches a listed party" in message_chains([row], listed)["m1"]
    )


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ({}, {}),  # the ultimate creditor's country is unknown in the run
        # the message states the ultimate creditor's address in Russia: the same chain as when its bank is known
        ({"ultimate_creditor_country": "RU"}, {"m1": "→ OOO Romashka (ultimate creditor, RU, 2023-04-03, $1.2 M)"}),
        ({"ultimate_creditor_country": "FR"}, {}),
        # the creditor's BIC (KG) decides its country over its stated address
        ({"ultimate_creditor_country": "RU", "beneficiary_country": "DE"}, {"m1": "Alfa Trade LLC"}),
        ({"ultimate_creditor_country": "RU", "beneficiary_bank": "Bank Kompanion"}, {}),  # no BIC, no hub
        # a creditor banking by name only is placed by its stated address, else its IBAN
        ({"ultimate_creditor_country": "RU", "beneficiary_bank": "Bank Kompanion", "beneficiary_country": "KG"},
         {"m1": "(ultimate creditor, RU"}),
        ({"ultimate_creditor_country": "RU", "beneficiary_bank": "Emirates NBD",
          "beneficiary_account": "AE070331234567890123456"}, {"m1": "(ultimate creditor, RU"}),
        ({"ultimate_creditor_country": "RU", "beneficiary_bank": "Emirates NBD",
          "beneficiary_account": "AE070331234567890123457"}, {}),  # not a valid IBAN: no country
    ],
)  # fmt: skip
def test_stated_countries_place_message_parties(stated: dict[str, str], expected: dict[str, str]) -> None:
    records = messages([FOR_ROMASHKA]).with_columns(pl.lit(v, pl.String).alias(c) for c, v in stated.items())
    found = payment_chains(prepare_payments(records), NO_LISTED)
    details = dict(zip(found["record_id"], found["detail"], strict=True))
    assert set(details) == set(expected)
    for record_id, detail in expected.items():
        assert detail in details[record_id]
