"""One record per payment of a message, as a row of source columns named as the canonical ones.

Each row holds the roles (``schema.PARTY_COLUMNS`` and ``schema.MESSAGE_PARTY_COLUMNS``), the
amount, currency and date as written (coerced later like any file's), the remittance and purpose
text as ``description``, the message's references and its ``provenance``: a JSON object with the
message's byte offset (ISO 20022; a character offset for MT) and number in the file, the
transaction's number in the message and, per role, the XPath (ISO 20022) or FIN field
(``{4}:50K``) it was read from. A message that cannot be read, or a transaction missing a
mandatory element, becomes a quarantine row instead, with its line and the reason.
"""

from __future__ import annotations

import json
import re
from typing import Final

import polars as pl

from screening.ingest.messages import mt
from screening.ingest.messages.iso20022 import (
    FAMILIES,
    Family,
    MessageError,
    Transaction,
    amount,
    first_text,
    parse_document,
    read_roles,
    remittance,
    transactions,
)
from screening.ingest.messages.parties import Found
from screening.ingest.messages.split import Piece
from screening.ingest.messages.validate import schema_problem
from screening.ingest.raw import LINE
from screening.schema import COUNTRY_ROLES, MESSAGE_PARTY_COLUMNS

Row = dict[str, object]
ROLE_COLUMNS: Final = (
    "originator", "beneficiary", "originator_bank", "beneficiary_bank", "intermediary_bank", *MESSAGE_PARTY_COLUMNS,
)  # fmt: skip
COLUMNS: Final = (
    "record_id", "date", "value", "currency", "description", *ROLE_COLUMNS, "originator_country",
    "beneficiary_country", *(f"{role}_country" for role in COUNTRY_ROLES), "originator_account",
    "beneficiary_account", "party_ids", "message_type", "message_id", "end_to_end_id", "uetr", "provenance",
)  # fmt: skip
# Roles a transaction of each family cannot do without (the XSDs' mandatory elements).
MANDATORY: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "pacs.008": (("originator", "Dbtr"), ("beneficiary", "Cdtr"), ("originator_bank", "DbtrAgt"),
                 ("beneficiary_bank", "CdtrAgt")),
    "pacs.009": (("originator", "Dbtr"), ("beneficiary", "Cdtr")),
    "pain.001": (("originator", "PmtInf/Dbtr"),),
    "camt.053": (),
    "camt.054": (),
}  # fmt: skip
Reject = tuple[int, str, str]  # line, reason, raw text
MESSAGE: Final = "__message__"  # a record's message number in its file
SEQ: Final = "__seq__"  # a record's place among its message's records
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")  # FIN text lines end CRLF on the wire; a lone CR is no text either
FRAME: Final[dict[str, pl.DataType]] = {c: pl.String() for c in COLUMNS} | {
    LINE: pl.Int64(),
    MESSAGE: pl.Int64(),
    SEQ: pl.Int64(),
}


def rows_frame(rows: list[Row]) -> pl.DataFrame:
    """Return rows read one message at a time as a frame of the reader's columns (:data:`FRAME`)."""
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in FRAME}, schema=FRAME)


def _raw(data: bytes | str) -> str:
    """Return a message's text for a quarantine row (cut later)."""
    shown = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return shown[:1000]


def iso_rows(piece: Piece, validate: bool = False) -> tuple[list[Row], list[Reject]]:
    """Return the rows of one ISO 20022 message and its rejects (all of it when unreadable, or invalid if validated)."""
    if piece.problem is not None:
        return [], [(piece.line, f"message {piece.number}: {piece.problem}", _raw(piece.data))]
    try:
        return _message_rows(piece, validate)
    except MessageError as exc:
        return [], [(piece.line, f"message {piece.number}: {exc}", _raw(piece.data))]


def _message_rows(piece: Piece, validate: bool) -> tuple[list[Row], list[Reject]]:
    """Return the rows and rejected transactions of a message; raise MessageError when none can be read."""
    root, ns, name = parse_document(piece.data)
    problem = schema_problem(root, ns, piece.line) if validate else None
    if problem is not None:
        raise MessageError(problem)
    family = FAMILIES[name]
    message_id = (root.findtext(f"{{{ns}}}{family.root}/{{{ns}}}GrpHdr/{{{ns}}}MsgId") or "").strip() or None
    if message_id is None:
        raise MessageError(f"missing mandatory element /Document/{family.root}/GrpHdr/MsgId")
    version = f"{name}.001.{ns[-2:]}"
    rows, rejects = [], []
    for number, t in enumerate(transactions(root, ns, family), start=1):
        line = piece.line + (t.tx.sourceline or 1) - 1
        row, missing = _iso_row(t, family, name)
        if missing:
            where = f"message {piece.number} ({message_id}) transaction {number}"
            rejects.append((line, f"{where}: {missing}", _raw(piece.data)))
            continue
        cover = t.bases.get("cover") is not None
        row.update(record_id=f"{message_id}/{number}", message_id=message_id, __line__=line)
        row.update(message_type=f"{version} COV" if cover else version)
        row["provenance"] = _provenance(piece.offset, piece.number, number, row.pop("__xpaths__"))
        rows.append(row)
    if not rows and not rejects:  # every message is a record or a quarantine row, never nothing
        raise MessageError(f"no payment in the message (no {family.levels[-1]} element)")
    return rows, rejects


def _iso_row(t: Transaction, family: Family, name: str) -> tuple[Row, str | None]:
    """Return one transaction's row and the first missing mandatory element, if any."""
    found = read_roles(t, family)
    value, currency = amount(t, family)
    if value is None:
        return {}, f"missing mandatory element {t.xpath['tx']}/{family.amount[0].split(':', 1)[1]} (the amount)"
    for column, element in MANDATORY[name]:
        if found.values.get(column) is None and t.bases.get("cover") is None:
            return {}, f"missing mandatory element {element} ({column})"
    row = _role_columns(found)
    row.update(date=first_text(t, family.date), value=value, currency=currency, description=remittance(t))
    row.update({column: first_text(t, (spec,)) for column, spec in family.refs})
    row["__xpaths__"] = found.xpaths
    return row, None


def _role_columns(found: Found) -> Row:
    """Return the role, country, account and id columns of what a message says of its parties."""
    row: Row = {column: found.values.get(column) for column in ROLE_COLUMNS}
    row.update(
        originator_country=found.values.get("originator__country"),
        beneficiary_country=found.values.get("beneficiary__country"),
        **{f"{role}_country": found.values.get(f"{role}__country") for role in COUNTRY_ROLES},
        originator_account=found.values.get("originator_account"),
        beneficiary_account=found.values.get("beneficiary_account"),
        party_ids="; ".join(dict.fromkeys(found.ids)) or None,
    )
    return row


def _provenance(offset: int, message: int, transaction: int, roles: object) -> str:
    """Return a record's provenance JSON."""
    return json.dumps(
        {"offset": offset, "message": message, "transaction": transaction, "roles": roles},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def mt_rows(piece: mt.MtPiece) -> tuple[list[Row], list[Reject]]:
    """Return the row of one FIN message, or its reject."""
    try:
        message = mt.parse_mt(piece.text)
        row = _mt_row(message)
    except MessageError as exc:
        return [], [(piece.line, f"message {piece.number}: {exc}", _raw(piece.text))]
    reference = row["message_id"]
    row.update(record_id=f"{reference}/{piece.number}", __line__=piece.line)
    row["provenance"] = _provenance(piece.offset, piece.number, 1, row.pop("__xpaths__"))
    return [row], []


def _mt_row(message: mt.MtMessage) -> Row:
    """Return the record of a parsed FIN message; raise MessageError when a mandatory field is missing."""
    values = mt.field_values(message)
    settled = values.get("32A")
    if "20" not in values or settled is None:
        raise MessageError(f"missing mandatory field {':20:' if '20' not in values else ':32A:'}")
    found = re.match(r"^(\d{2})(\d{2})(\d{2})([A-Z]{3})([\d,.]+)$", settled.strip())
    if found is None:
        raise MessageError(f"field :32A: '{settled.strip()}' is not date, currency and amount (YYMMDDCCCn,n)")
    yy, mm, dd, currency, value = found.groups()
    found_roles = Found()
    _mt_roles(found_roles, message.fields if message.kind != "202COV" else list(values.items()), message.kind)
    _mt_roles(found_roles, mt.sequence_b(message), "COV-B")
    found_roles.values.setdefault("instructing_agent", message.sender)
    found_roles.values.setdefault("instructed_agent", message.receiver)
    if message.kind != "202":
        found_roles.values.setdefault("originator_bank", message.sender)
    _mt_ultimates(found_roles, message.fields)
    row = _role_columns(found_roles)
    texts = [_LINE_BREAK.sub(" ", v) for t, v in message.fields if t in ("70", "72")]
    row.update(
        date=f"20{yy}-{mm}-{dd}", value=value.replace(",", ".").rstrip("."), currency=currency,
        description=" | ".join(texts) or None, message_id=values["20"].strip(), end_to_end_id=values.get("21"),
        uetr=message.headers.get("121"), message_type=f"MT{message.kind}", __xpaths__=found_roles.xpaths,
    )  # fmt: skip
    return row


def _mt_ultimates(found: Found, fields: list[tuple[str, str]]) -> None:
    """Record the ultimate debtor and creditor an MT names in field 70 or 72 (codes /ULTD/, /ULTB/, as MX-MT does)."""
    for tag, value in fields:
        if tag not in ("70", "72"):
            continue
        # a name goes on only on lines starting "//" (field 72's continuation); other lines are other text
        for code, name in re.findall(r"/(ULTD|ULTB)/([^/\n]+(?:\n//[^/\n]+)*)", value):
            column = "ultimate_debtor" if code == "ULTD" else "ultimate_creditor"
            if column not in found.values:
                found.values[column] = " ".join(name.replace("//", " ").split())
                found.xpaths[column] = f"{{4}}:{tag}/{code}"


def _mt_roles(found: Found, fields: list[tuple[str, str]], kind: str) -> None:
    """Record the party fields of a message (or of a COV's customer sequence) under their roles."""
    wanted = dict((tag, column) for column, tag in mt.ROLES[kind])
    for tag, value in fields:
        column = wanted.get(tag[:2])
        if column is None or (found.xpaths.get(column, "").startswith("{4}:") and kind != "COV-B"):
            continue
        party = mt.read_party(tag, value)
        found.values[column] = party.name
        found.xpaths[column] = f"{{4}}:{tag}" + ("/B" if kind == "COV-B" else "")
        if column in ("originator", "beneficiary"):
            found.values[f"{column}__country"] = party.country
            found.values[f"{column}_account"] = party.account
        if party.bic:
            found.ids.append(f"{column}=BIC:{party.bic}")
