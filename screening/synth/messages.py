"""Synthetic payment messages: a ledger's payments written as ISO 20022 pacs.008 or SWIFT MT103.

Every payment of the ledger (``originator`` set), the planted payment chains
(:mod:`screening.synth.planted`), :data:`MESSAGE_CASES` (cases only a message can carry: a
hub intermediary, a listed ultimate creditor, a remittance text naming a port or a listed
vessel) and :data:`ULTIMATE_CASES` (money reaching or leaving Russia through a hub in the
ultimate parties) become one message each, message id = record id, written as text by polars
string expressions (no Python step per message). pacs.008 files hold the messages in an envelope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from screening.frames import fmt

FORMATS: Final = ("pacs008", "mt103")
SUFFIX: Final[dict[str, str]] = {"pacs008": "xml", "mt103": "fin"}
PAYMENT_COLUMNS: Final = (
    "record_id", "date", "value", "currency", "originator", "originator_bank", "beneficiary", "beneficiary_bank",
    "intermediary_bank", "ultimate_creditor", "description", "ultimate_debtor", "ultimate_debtor_country",
    "ultimate_debtor_inn", "ultimate_creditor_country",
)  # fmt: skip
# (record id, rule, expect, originator, its bank, beneficiary, its bank, intermediary, ultimate creditor, remittance)
MESSAGE_CASES: Final = (
    ("MC0001", "PAY-002", "hit", "Rhein Optik GmbH", "DEUTDEFF", "Tula Priborstroy OOO", "SABRRUMM", "EBILAEAD", None,
     "Invoice 881 optical components"),
    ("MC0002", "PAY-003", "hit", "Hamburg Reederei GmbH", "COBADEFF", "Aegean Chartering Ltd", "HSBCHKHH", None, None,
     "Charter hire vessel IMO 8943155"),
    ("MC0003", "PAY-003", "hit", "Lyon Fret SA", "BNPAFRPP", "Black Sea Forwarding LLC", "ISBKTRIS", None, None,
     "Freight Mersin - Novorossiysk, B/L 4471"),
    ("MC0004", "NAME-001", "hit", "Nordtech GmbH", "DEUTDEFF", "Alfa Trade LLC", "KICBKG22", None,
     "Almaz-Antey Defense Corporation", "Invoice 2023-117 spare parts"),
    ("MC0005", "PAY-002", "miss", "Rhein Optik GmbH", "DEUTDEFF", "Lyon Optique SA", "BNPAFRPP", "EBILAEAD", None,
     "Invoice 882 optical components"),
    ("MC0006", "PAY-003", "miss", "Lyon Fret SA", "BNPAFRPP", "Porto Cargo Lda", "BCOMPTPL", None, None,
     "Freight Le Havre - Leixoes, vessel IMO 9321484"),
)  # fmt: skip


# (record id, rule, expect, originator, its bank, beneficiary, its bank, ultimate debtor, its address country,
#  its INN, ultimate creditor, its address country, the formats that carry what the rule needs)
ULTIMATE_CASES: Final = (
    # one message: a hub creditor paid for a Russian ultimate creditor (who banks in Russia in MC0001)
    ("MC0007", "PAY-001", "hit", "Nordtech GmbH", "DEUTDEFF", "Issyk-Kul Commerce LLC", "KICBKG22", None, None, None,
     "Tula Priborstroy OOO", "RU", FORMATS),
    # a Russian ultimate debtor behind a Kazakh debtor: its country only a pacs.008 says (MT103 /ULTD/ is a name)
    ("MC0008", "PAY-002", "hit", "Steppe Machinery LLP", "HSBKKZKX", "Rhein Optik GmbH", "DEUTDEFF",
     "Uralsk Mekhanika AO", "RU", "6658000012", None, None, ("pacs008",)),
    # negative: the hub creditor's ultimate creditor is French (banks in France in MC0005)
    ("MC0009", "PAY-001", "miss", "Nordtech GmbH", "DEUTDEFF", "Osh Textile LLC", "KICBKG22", None, None, None,
     "Lyon Optique SA", "FR", FORMATS),
    # across messages: the Uzbek payee pays Russia on through a Kazakh payment agent (MC0011's ultimate debtor)
    ("MC0010", "PAY-001", "hit", "Bavaria Werkzeug GmbH", "COBADEFF", "Tashkent Import LLC", "NBFAUZ2X", None, None,
     None, None, None, FORMATS),
    ("MC0011", "PAY-002", "hit", "Steppe Payments LLP", "HSBKKZKX", "Tula Priborstroy OOO", "SABRRUMM",
     "Tashkent Import LLC", "UZ", None, None, None, FORMATS),
)  # fmt: skip
# Further expectations on planted messages: the listed ultimate creditor of MC0004 alerts once (NAME-001), not
# again from its MT103 field 72 (/ULTB/) or any remittance text.
EXPECTATIONS: Final = (("MC0004", "PAY-003", "miss"),)
CASE_DAY: Final = "2023-06-01"


def message_cases(file_format: str | None = None) -> pl.DataFrame:
    """Return the message-only planted payments (``PAYMENT_COLUMNS``) with their rule and expectation.

    ``file_format`` leaves out the cases whose evidence that format cannot carry.
    """
    named = [c for c in PAYMENT_COLUMNS if c not in ("date", "value", "currency")]
    plain = pl.DataFrame([(*c[:1], *c[3:]) for c in MESSAGE_CASES], schema=named[:8], orient="row")
    wanted = [c for c in ULTIMATE_CASES if file_format is None or file_format in c[-1]]
    ultimate_columns = [*named[:5], "ultimate_debtor", "ultimate_debtor_country", "ultimate_debtor_inn",
                        "ultimate_creditor", "ultimate_creditor_country"]  # fmt: skip
    ultimate = pl.DataFrame([(c[0], *c[3:-1]) for c in wanted], schema=ultimate_columns, orient="row")
    frame = pl.concat([plain, ultimate], how="diagonal").select(named)
    meta = pl.DataFrame(
        [c[:3] for c in (*MESSAGE_CASES, *wanted)], schema=["record_id", "rule_id", "expect"], orient="row"
    )
    payments = frame.with_columns(date=pl.lit(CASE_DAY).str.to_date(), value=pl.lit(250_000.0), currency=pl.lit("USD"))
    return payments.join(meta, on="record_id")


def payments(records: pl.DataFrame) -> pl.DataFrame:
    """Return the payments among records, with every ``PAYMENT_COLUMNS`` column (null where absent)."""
    rows = records.filter(pl.col("originator").is_not_null())
    missing = [pl.lit(None, pl.String).alias(c) for c in PAYMENT_COLUMNS if c not in rows.columns]
    return rows.with_columns(missing).select(PAYMENT_COLUMNS).with_columns(pl.col("date").cast(pl.Date))


def _xml(value: pl.Expr) -> pl.Expr:
    """Escape text for XML content."""
    return (
        value.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _optional(column: str, template: str) -> pl.Expr:
    """Return ``template`` filled with the column's escaped value, or nothing when it is null."""
    return pl.when(pl.col(column).is_not_null()).then(fmt(template, _xml(pl.col(column)))).otherwise(pl.lit(""))


def _uetr() -> pl.Expr:
    """Return a UUID-shaped UETR made from the record's position (deterministic)."""
    digits = pl.int_range(pl.len(), dtype=pl.Int64).cast(pl.String).str.zfill(12)
    return fmt("8a562c67-ca16-48ba-b074-{}", digits)


def _ultimate(tag: str, role: str) -> pl.Expr:
    """Return an ultimate party's element (name, address country, INN if planted), or nothing when it has none."""
    inn = "<Id><OrgId><Othr><Id>{}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr></OrgId></Id>"
    body = pl.concat_str(
        fmt("<Nm>{}</Nm>", _xml(pl.col(role))),
        _optional(f"{role}_country", "<PstlAdr><Ctry>{}</Ctry></PstlAdr>"),
        _optional(f"{role}_inn", inn) if f"{role}_inn" in PAYMENT_COLUMNS else pl.lit(""),
    )
    return pl.when(pl.col(role).is_not_null()).then(fmt(f"<{tag}>{{}}</{tag}>", body)).otherwise(pl.lit(""))


def pacs008(frame: pl.DataFrame) -> pl.Series:
    """Return one pacs.008.001.08 ``<Document>`` per payment."""
    agent = "<{0}><FinInstnId><BICFI>{{}}</BICFI></FinInstnId></{0}>"
    body = pl.concat_str(
        fmt('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">'
            "<FIToFICstmrCdtTrf><GrpHdr><MsgId>{}</MsgId>"
            "<CreDtTm>{}T00:00:00</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>"
            "<CdtTrfTxInf><PmtId><EndToEndId>{}</EndToEndId><UETR>{}</UETR></PmtId>"
            '<IntrBkSttlmAmt Ccy="{}">{}</IntrBkSttlmAmt><IntrBkSttlmDt>{}</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr>',
            "record_id", pl.col("date").cast(pl.String), "record_id", _uetr(), "currency",
            pl.col("value").round(2).cast(pl.String), pl.col("date").cast(pl.String)),
        _optional("intermediary_bank", agent.format("IntrmyAgt1")),
        _ultimate("UltmtDbtr", "ultimate_debtor"),
        fmt("<Dbtr><Nm>{}</Nm></Dbtr>", _xml(pl.col("originator"))),
        fmt(agent.format("DbtrAgt"), pl.col("originator_bank").fill_null("NOTPROVIDED")),
        fmt(agent.format("CdtrAgt"), pl.col("beneficiary_bank").fill_null("NOTPROVIDED")),
        fmt("<Cdtr><Nm>{}</Nm></Cdtr>", _xml(pl.col("beneficiary").fill_null("NOTPROVIDED"))),
        _ultimate("UltmtCdtr", "ultimate_creditor"),
        _optional("description", "<RmtInf><Ustrd>{}</Ustrd></RmtInf>"),
        pl.lit("</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>"),
    )  # fmt: skip
    return frame.select(body.alias("message")).to_series()


def _field(column: str, template: str) -> pl.Expr:
    """Return an MT field filled with the column's value, or nothing when it is null."""
    return pl.when(pl.col(column).is_not_null()).then(fmt(template, pl.col(column))).otherwise(pl.lit(""))


def _ultimate_codes() -> pl.Expr:
    """Return field 72 naming the ultimate debtor (/ULTD/) and creditor (/ULTB/), as MX-MT translation does, or nothing.

    MT103 has no field for either, nor for their addresses or ids: an MT103 carries their names only.
    """
    codes = pl.concat_str(_field("ultimate_debtor", "/ULTD/{}\n"), _field("ultimate_creditor", "/ULTB/{}\n"))
    return pl.when(codes != "").then(pl.lit(":72:") + codes).otherwise(pl.lit(""))


def mt103(frame: pl.DataFrame) -> pl.Series:
    """Return one MT103 FIN message per payment (names as written; a real MT uses SWIFT's character set)."""
    bank = pl.col("originator_bank").fill_null("NOTPROVX").str.slice(0, 8)
    to = pl.col("beneficiary_bank").fill_null("NOTPROVX").str.slice(0, 8)
    amount = pl.col("value").round(2).cast(pl.String).str.replace(".", ",", literal=True)
    body = pl.concat_str(
        fmt("{1:F01{}AXXX0000000000}{2:I103{}XXXXN}{3:{121:{}}}{4:\n:20:{}\n:23B:CRED\n:32A:{}{}{}\n",
            bank, to, _uetr(), "record_id", pl.col("date").dt.strftime("%y%m%d"), "currency", amount),
        fmt(":50K:{}\n:52A:{}\n", "originator", pl.col("originator_bank").fill_null("NOTPROVIDED")),
        _field("intermediary_bank", ":56A:{}\n"),
        fmt(":57A:{}\n", pl.col("beneficiary_bank").fill_null("NOTPROVIDED")),
        fmt(":59:{}\n", pl.col("beneficiary").fill_null("NOTPROVIDED")),
        _field("description", ":70:{}\n"),
        pl.lit(":71A:SHA\n"),
        _ultimate_codes(),
        pl.lit("-}"),
    )  # fmt: skip
    return frame.select(body.alias("message")).to_series()


def write_messages(frame: pl.DataFrame, path: Path, file_format: str) -> int:
    """Write payments as one file of messages in the format (``FORMATS``); return the messages written."""
    if file_format not in FORMATS:
        raise ValueError(f"format {file_format!r}: one of {', '.join(FORMATS)}")
    texts = pacs008(frame) if file_format == "pacs008" else mt103(frame)
    head, tail = (
        ('<?xml version="1.0" encoding="UTF-8"?>\n<Envelope>\n', "\n</Envelope>\n")
        if file_format == "pacs008"
        else ("", "\n")
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write(head)
        for start in range(0, texts.len(), 100_000):  # written in slices: one string of all messages is not needed
            handle.write("\n".join(texts.slice(start, 100_000).to_list()))
            handle.write("\n" if start + 100_000 < texts.len() else "")
        handle.write(tail)
    return texts.len()


def ledger_payments(
    rows: int, seed: int, file_format: str | None = None, limit: int | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return a seeded ledger's payments with the planted chains and message cases, and the planted cases.

    ``file_format`` leaves out the message cases whose evidence that format cannot carry. ``limit``
    caps the payments at that many: every planted one is kept (a chain's onward legs too, which no
    case names), and the ledger's first payments fill the room left.
    """
    from screening.synth.ledger import generate_ledger  # noqa: PLC0415 - the ledger module is heavy
    from screening.synth.planted import plant_cases  # noqa: PLC0415

    planted = plant_cases(seed)
    cases = message_cases(file_format)
    kept = pl.concat([payments(planted.transactions), cases.select(PAYMENT_COLUMNS)])
    ledger = payments(generate_ledger(rows, seed).records)
    if limit is not None:
        ledger = ledger.head(max(limit - kept.height, 0))
    frame = pl.concat([ledger, kept])
    chains = planted.cases.filter(pl.col("rule") == "PAY-001").select(
        rule_id="rule", expect="expect", record_id="subject"
    )
    more = pl.DataFrame(
        [(r, e, i) for i, r, e in EXPECTATIONS], schema=["rule_id", "expect", "record_id"], orient="row"
    )
    return frame, pl.concat([chains, cases.select("rule_id", "expect", "record_id"), more])


def write_ledger_messages(rows: int, seed: int, directory: Path, file_format: str) -> list[Path]:
    """Write a seeded ledger's payments as messages (``payments.xml``/``.fin``) and the planted cases they carry."""
    directory.mkdir(parents=True, exist_ok=True)
    frame, cases = ledger_payments(rows, seed, file_format)
    path = directory / f"payments.{SUFFIX[file_format]}"
    write_messages(frame, path, file_format)
    cases_path = directory / "message_cases.csv"
    cases.write_csv(cases_path)
    return [path, cases_path]
