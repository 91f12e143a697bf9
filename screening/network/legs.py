"""The legs of a payment: the money's path from ultimate debtor through debtor and creditor to ultimate creditor.

A payment message names, beside its debtor (``originator``) and creditor (``beneficiary``), the
party the debtor pays on behalf of (``ultimate_debtor``) and the party the creditor is paid for
(``ultimate_creditor``). The money's path is ultimate debtor → debtor → creditor → ultimate
creditor, so a payment is up to three legs, each with the payment's record, date, value and
currency (:data:`LEGS` defines them once: the chain search and the screening of hub payers' payees read it):

- debtor → creditor: the payment as written (the only leg of a plain CSV or ledger payment);
- creditor → ultimate creditor: from the creditor's bank to a bank the message does not name;
- ultimate debtor → debtor: from a bank the message does not name to the debtor's bank.

A leg's ``via`` names the role its payee plays in the message ("ultimate creditor", "debtor"),
null on the payment as written; ``leg`` numbers the kinds in that order (0, 1, 2), so that of two
equal chains of one record the same one is kept in every run. A leg's ``originator_country`` and
``beneficiary_country`` are the country the record states for its payer and payee: the party's
postal-address country (``{role}_country``, :data:`screening.schema.COUNTRY_ROLES` for the ultimate
parties), else, for debtor and creditor, their IBAN's country — the evidence ``hub_routing`` reads
too; null when the record states none (a plain ledger).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from screening.frames import per_value
from screening.ingest.messages.iban import iban_country

PAYMENT_COLUMNS: Final = (
    "record_id", "source_file", "line", "date", "originator", "beneficiary",
    "originator_bank", "beneficiary_bank", "value", "currency",
)  # fmt: skip
ULTIMATE_COLUMNS: Final = ("ultimate_debtor", "ultimate_creditor")
# The role columns (and their ``{role}_country``) whose party a leg can name, and the roles with an account.
ROLES: Final = ("originator", "beneficiary", *ULTIMATE_COLUMNS)
ACCOUNT_ROLES: Final = ("originator", "beneficiary")
STATED_COLUMNS: Final = (*(f"{r}_country" for r in ROLES), *(f"{r}_account" for r in ACCOUNT_ROLES))
# What a payment search reads of each record.
READ_COLUMNS: Final = (*PAYMENT_COLUMNS, *ULTIMATE_COLUMNS, *STATED_COLUMNS)
NO_BANK: Final = pl.lit(None, pl.String)
_STATED: Final = "__stated_"  # the column of a role's stated country, worked out once for all legs
_IBAN: Final = "__iban_"  # the column of the country of a role's account


def stated_country(role: str, iban: pl.Expr | None = None) -> pl.Expr:
    """Return the country a record states for a role's party: its address country, else its IBAN's (``iban``: given)."""
    address = pl.col(f"{role}_country")
    if role not in ACCOUNT_ROLES:
        return address
    return pl.coalesce(address, iban_country(pl.col(f"{role}_account")) if iban is None else iban)


@dataclass(frozen=True)
class Leg:
    """One kind of leg: who pays whom (role columns), the role its payee plays (``via``) and the banks' columns."""

    payer: str
    payee: str
    via: str | None
    payer_bank: str | None
    payee_bank: str | None


# Every kind of leg, in ``leg`` order: the one definition the chain search and the payee screening read.
LEGS: Final = (
    Leg("originator", "beneficiary", None, "originator_bank", "beneficiary_bank"),
    Leg("beneficiary", "ultimate_creditor", "ultimate creditor", "beneficiary_bank", None),
    Leg("ultimate_debtor", "originator", "debtor", None, "originator_bank"),
)


def _bank(column: str | None) -> pl.Expr:
    """Return a bank column, or null where the message names no bank for that side."""
    return NO_BANK if column is None else pl.col(column)


def _leg(rows: pl.DataFrame, leg: Leg, number: int) -> pl.DataFrame:
    """Return a leg per row (the payment as written: every row; the others: each naming both parties)."""
    named = rows if leg.via is None else rows.filter(pl.col(leg.payer).is_not_null() & pl.col(leg.payee).is_not_null())
    return named.select(
        "record_id", "source_file", "line", "date",
        originator=pl.col(leg.payer), beneficiary=pl.col(leg.payee), originator_bank=_bank(leg.payer_bank),
        beneficiary_bank=_bank(leg.payee_bank), value="value", currency="currency",
        originator_country=_STATED + leg.payer, beneficiary_country=_STATED + leg.payee,
        via=pl.lit(leg.via, pl.String), leg=pl.lit(number, pl.Int8),
    )  # fmt: skip


def payment_legs(records: pl.DataFrame) -> pl.DataFrame:
    """Return the legs of payment records (``PAYMENT_COLUMNS``, others if any): stated countries, ``via``, ``leg``."""
    optional = (*ULTIMATE_COLUMNS, *STATED_COLUMNS)
    rows = records.with_columns(NO_BANK.alias(c) for c in optional if c not in records.columns)
    # each role's stated country once, for every leg naming the role; an IBAN's country once per account
    for role in ACCOUNT_ROLES:
        rows = per_value(rows, f"{role}_account", iban_country, _IBAN + role)
    stated = [stated_country(role, pl.col(_IBAN + role) if role in ACCOUNT_ROLES else None) for role in ROLES]
    rows = rows.with_columns(country.alias(_STATED + role) for role, country in zip(ROLES, stated, strict=True))
    return pl.concat([_leg(rows, leg, number) for number, leg in enumerate(LEGS)])
