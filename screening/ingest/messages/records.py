"""The stylesheet's lines (:mod:`.xslt`) to records, by polars expressions over a whole run of messages.

Each expression says what :mod:`.iso20022`, :mod:`.parties` and :mod:`.rows` say of one
transaction: a text is stripped and blank is none, a party is its name else its BIC, an agent its
BIC else its name else its clearing member id, the header's instructing and instructed agents give
way to the transaction's, ids are kept once each in role order, and the provenance names the XPath
of each role present, in the order the roles were first read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Final

import polars as pl

from screening.ingest.messages.rows import FRAME, MESSAGE, SEQ
from screening.ingest.messages.split import Piece
from screening.ingest.messages.xslt import (
    ACCOUNTS,
    AGENTS,
    FIELDS,
    FS,
    HEADER_AGENTS,
    LS,
    PARTIES,
    RS,
    Written,
    write_run,
)
from screening.schema import COUNTRY_ROLES, conform

TX: Final = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf["
GROUP: Final = "/Document/FIToFICstmrCdtTrf/GrpHdr/"
_RAW: Final = frozenset({"amount_ccy", "instructed_ccy", "remittance"})  # attributes are kept as written
MANDATORY: Final = ("originator", "beneficiary", "originator_bank", "beneficiary_bank")


@dataclass(frozen=True)
class Run:
    """Where a run's messages come from: number, byte offset and line in the file, and first line in the run."""

    numbers: list[int]
    offsets: list[int]
    lines: list[int]
    starts: list[int]


def _t(name: str) -> pl.Expr:
    """Return a field's text (stripped, blank as null by :func:`split_lines`)."""
    return pl.col(name)


def _present(name: str) -> pl.Expr:
    """Tell whether the element of a role is there."""
    return pl.col(f"{name}@").is_not_null()


def split_lines(text: str) -> pl.DataFrame | None:
    """Return the stylesheet's lines as one column per field; None when a line has a field too many or too few."""
    lines = pl.Series("line", text.split(RS)[:-1], dtype=pl.String)
    frame = lines.str.splitn(FS, len(FIELDS)).struct.rename_fields(list(FIELDS)).struct.unnest()
    last = frame[FIELDS[-1]]  # null after a field too few, holding the separator after one too many
    if last.is_null().any() or last.str.contains(FS, literal=True).any():
        return None  # a text held the separator: the whole run is read the slow way
    return frame.with_columns(_stripped()).with_columns(pl.col("i", "tx", "sourceline").cast(pl.Int64))


@cache
def _stripped() -> tuple[pl.Expr, ...]:
    """Return each field but the raw ones stripped, blank as null (built once: building costs more than a run)."""
    stripped = {c: pl.col(c).str.strip_chars() for c in FIELDS if c not in _RAW}
    return tuple(pl.when(text != "").then(text).alias(c) for c, text in stripped.items())


def _agent(prefix: str) -> tuple[pl.Expr, list[pl.Expr]]:
    """Return an agent's value and ids (``role=BIC:…``, ``name:``, ``LEI:``, ``clearing:``) from its fields."""
    column = prefix.split(".", maxsplit=1)[0]
    bic = pl.coalesce(_t(f"{prefix}:FinInstnId/BICFI"), _t(f"{prefix}:FinInstnId/BIC"))
    name, lei = _t(f"{prefix}:FinInstnId/Nm"), _t(f"{prefix}:FinInstnId/LEI")
    member = _t(f"{prefix}:FinInstnId/ClrSysMmbId/MmbId")
    ids = [
        pl.lit(f"{column}=BIC:") + bic,
        pl.when(bic.is_not_null()).then(pl.lit(f"{column}=name:") + name),
        pl.lit(f"{column}=LEI:") + lei,
        pl.lit(f"{column}=clearing:") + member,
    ]
    return pl.coalesce(bic, name, member), ids


def _party(column: str) -> tuple[pl.Expr, list[pl.Expr]]:
    """Return a party's value (its name, else its BIC) and ids from its fields."""
    bic = _t(f"{column}:Id/OrgId/AnyBIC")
    ids = [pl.lit(f"{column}=BIC:") + bic, pl.lit(f"{column}=LEI:") + _t(f"{column}:Id/OrgId/LEI")]
    return pl.coalesce(_t(f"{column}:Nm"), bic), ids


def _path(column: str, where: str, tail: str) -> tuple[str, pl.Expr]:
    """Return a provenance entry's name and the XPath of a transaction's role (``…CdtTrfTxInf[n]/Dbtr``)."""
    return column, pl.lit(TX) + pl.col("tx").cast(pl.String) + pl.lit(f"]/{where}{tail}")


def roles() -> tuple[dict[str, pl.Expr], list[pl.Expr], list[tuple[str, pl.Expr, pl.Expr]]]:
    """Return each role column's value, every id in role order and each provenance entry (name, when, XPath)."""
    values: dict[str, pl.Expr] = {}
    ids: list[pl.Expr] = []
    entries: list[tuple[str, pl.Expr, pl.Expr]] = []
    for column, tag in PARTIES:
        values[column], found = _party(column)
        ids += found
        entries.append((column, _present(column), _path(column, tag, "")[1]))
    for column, tag in AGENTS:
        values[column], found = _agent(column)
        ids += found
        entries.append((column, _present(column), _path(column, tag, "/FinInstnId")[1]))
    entries += _header_agents(values, ids)
    for column, tag in ACCOUNTS:
        values[column] = pl.when(_present(column)).then(_t(f"{column}:Id/IBAN"))
        entries.append((column, _present(column), _path(column, tag, "/Id")[1]))
    return values, ids, entries


def _header_agents(values: dict[str, pl.Expr], ids: list[pl.Expr]) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """Add the instructing and instructed agents (the transaction's over the header's); return their entries.

    An agent the header names is entered where the header's is read, with the transaction's XPath
    when the transaction names it too; one only the transaction names comes after both. A
    transaction's id the header already gave is not given twice.
    """
    group_entries, tx_entries = [], []
    tx_ids: list[pl.Expr] = []
    for column, tag in HEADER_AGENTS:
        group_value, group_ids = _agent(f"{column}.group")
        tx_value, found = _agent(f"{column}.tx")
        in_group, in_tx = _present(f"{column}.group"), _present(f"{column}.tx")
        values[column] = pl.when(in_tx).then(tx_value).when(in_group).then(group_value)
        ids += group_ids
        tx_ids += [pl.when(mine.ne_missing(theirs)).then(mine) for mine, theirs in zip(found, group_ids, strict=True)]
        tx_path = _path(column, tag, "/FinInstnId")[1]
        group_path = pl.when(in_tx).then(tx_path).otherwise(pl.lit(f"{GROUP}{tag}/FinInstnId"))
        group_entries.append((column, in_group, group_path))
        tx_entries.append((column, in_tx & ~in_group, tx_path))
    ids += tx_ids
    return group_entries + tx_entries


def _description() -> pl.Expr:
    """Return the remittance, purpose and instruction texts joined by " | ", each once, null when none."""
    parts = pl.col("remittance").str.split(LS).list.eval(pl.element().str.strip_chars())
    purpose = pl.coalesce(_t("purpose"), _t("purpose_other"))
    joined = (
        pl.concat_list(parts, pl.lit("purpose ") + purpose)
        .list.eval(pl.element().filter(pl.element().is_not_null() & (pl.element() != "")))
        .list.unique(maintain_order=True)
        .list.join(" | ")
    )
    return pl.when(joined != "").then(joined)


def _provenance(entries: list[tuple[str, pl.Expr, pl.Expr]]) -> pl.Expr:
    """Return the provenance JSON: offset, message and transaction numbers and each present role's XPath."""
    pieces = [pl.when(when).then(pl.lit(f'"{name}":"') + path + pl.lit('"')) for name, when, path in entries]
    named = pl.concat_str(pieces, separator=",", ignore_nulls=True)
    return pl.concat_str(
        pl.lit('{"offset":'), pl.col("offset"), pl.lit(',"message":'), pl.col("number"),
        pl.lit(',"transaction":'), pl.col("tx"), pl.lit(',"roles":{'), named, pl.lit("}}"),
    )  # fmt: skip


def _ids(ids: list[pl.Expr]) -> pl.Expr:
    """Return the ids in role order joined by "; ", null when none (each id is written once: see _header_agents)."""
    joined = pl.concat_str(ids, separator="; ", ignore_nulls=True)
    return pl.when(joined != "").then(joined)


def run_records(text: str, run: Run) -> tuple[pl.DataFrame, set[int]] | None:
    """Return the records of a run's stylesheet lines and the run positions of messages to read the slow way.

    A message the stylesheet wrote nothing for, or with a transaction missing its message id, amount
    or a mandatory role, is left to the slow way (it quarantines what it must); None: the run is not trusted.
    """
    frame = split_lines(text)
    if frame is None:
        return None
    at = frame["i"]
    frame = frame.with_columns(
        number=pl.Series(run.numbers, dtype=pl.Int64).gather(at),
        offset=pl.Series(run.offsets, dtype=pl.Int64).gather(at),
        __line__=pl.Series(run.lines, dtype=pl.Int64).gather(at)
        + (frame["sourceline"] - pl.Series(run.starts, dtype=pl.Int64).gather(at)).fill_null(0),
    )
    records = frame.select("i", "number", "tx", "__line__", **_record_columns())
    missing = pl.any_horizontal(pl.col("message_id", "value", *MANDATORY).is_null())
    slow = set(records.filter(missing)["i"].to_list()) | (set(range(len(run.numbers))) - set(at.to_list()))
    records = records.filter(~pl.col("i").is_in(list(slow)))
    return records.with_columns(record_id=pl.col("message_id") + "/" + pl.col("tx").cast(pl.String)), slow


@cache
def _record_columns() -> MappingProxyType[str, pl.Expr]:
    """Return each record column's expression over the fields (built once per process)."""
    values, ids, entries = roles()
    amount, instructed = _t("amount"), _t("instructed")
    return MappingProxyType(dict(
        message_id=_t("message_id"), value=pl.coalesce(amount, instructed),
        currency=pl.when(amount.is_not_null()).then(_ccy("amount_ccy")).otherwise(_ccy("instructed_ccy")),
        date=pl.coalesce(_t("date"), _t("group_date")), description=_description(), **values,
        originator_country=pl.coalesce(_t("originator:PstlAdr/Ctry"), _t("originator:CtryOfRes")),
        beneficiary_country=pl.coalesce(_t("beneficiary:PstlAdr/Ctry"), _t("beneficiary:CtryOfRes")),
        **{f"{r}_country": pl.coalesce(_t(f"{r}:PstlAdr/Ctry"), _t(f"{r}:CtryOfRes")) for r in COUNTRY_ROLES},
        party_ids=_ids(ids), end_to_end_id=_t("end_to_end_id"), uetr=_t("uetr"),
        message_type=pl.lit("pacs.008.001.") + pl.col("version"), provenance=_provenance(entries),
    ))  # fmt: skip


def _ccy(name: str) -> pl.Expr:
    """Return a currency attribute as written, null when the element had none."""
    return pl.when(pl.col(name).str.starts_with("1")).then(pl.col(name).str.slice(1))


def read_written(written: Written, pieces: list[Piece]) -> tuple[pl.DataFrame | None, set[int]]:
    """Return the records of the messages the stylesheet wrote (:data:`FRAME`) and their places among ``pieces``."""
    picked = [pieces[n] for n in written.chosen]
    run = Run([p.number for p in picked], [p.offset for p in picked], [p.line for p in picked], written.starts)
    found = run_records(written.text, run)
    if found is None:
        return None, set()
    records, slow = found
    frame = records.with_columns(pl.col("number").alias(MESSAGE), pl.col("tx").alias(SEQ))
    return conform(frame, FRAME), {n for k, n in enumerate(written.chosen) if k not in slow}


def read_fast(pieces: list[Piece]) -> tuple[pl.DataFrame | None, set[int]]:
    """Return the records of the messages the stylesheet reads and their places among ``pieces``, in one process."""
    written = write_run([p.data if p.problem is None else b"" for p in pieces])
    return (None, set()) if written is None else read_written(written, pieces)
