"""ISO 20022 messages to transaction records: one per credit transfer or statement entry's transaction.

Supported by namespace (``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08`` …), see :data:`FAMILIES`.
Every party role keeps its own column (``schema.MESSAGE_PARTY_COLUMNS`` for those the trade
columns lack) and the XPath of the element it was read from, written with local names
(``/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/Dbtr``) in the record's ``provenance``.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Final

from lxml import etree

from screening.ingest.messages.flat import SKIP, Element, View, flatten
from screening.ingest.messages.parties import Found, read_account, read_agent, read_party


class MessageError(ValueError):
    """A message that cannot be read: the reason is the quarantine's."""


@dataclass(frozen=True)
class Family:
    """One message definition: its root element, the levels down to a transaction and the versions read."""

    root: str
    levels: tuple[str, ...]  # repeated elements from the root down to the transaction
    versions: range
    roles: tuple[tuple[str, str, str, str], ...]  # (column, party|agent|account, base, path below the base)
    amount: tuple[str, ...]  # "base:path" tried in order
    date: tuple[str, ...]
    refs: tuple[tuple[str, str], ...]  # (column, "base:path")


_PACS_ROLES: Final = (
    ("originator", "party", "tx", "Dbtr"), ("beneficiary", "party", "tx", "Cdtr"),
    ("ultimate_debtor", "party", "tx", "UltmtDbtr"), ("ultimate_creditor", "party", "tx", "UltmtCdtr"),
    ("initiating_party", "party", "tx", "InitgPty"), ("originator_bank", "agent", "tx", "DbtrAgt"),
    ("beneficiary_bank", "agent", "tx", "CdtrAgt"), ("intermediary_bank", "agent", "tx", "IntrmyAgt1"),
    ("intermediary_bank_2", "agent", "tx", "IntrmyAgt2"), ("intermediary_bank_3", "agent", "tx", "IntrmyAgt3"),
    ("previous_instructing_agent", "agent", "tx", "PrvsInstgAgt1"), ("instructing_agent", "agent", "group", "InstgAgt"),
    ("instructed_agent", "agent", "group", "InstdAgt"), ("instructing_agent", "agent", "tx", "InstgAgt"),
    ("instructed_agent", "agent", "tx", "InstdAgt"), ("originator_account", "account", "tx", "DbtrAcct"),
    ("beneficiary_account", "account", "tx", "CdtrAcct"),
)  # fmt: skip
_COVER_ROLES: Final = tuple(
    (c, k, "cover", p) for c, k, b, p in _PACS_ROLES if b == "tx" and "Instg" not in p and "Instd" not in p
)
_FI_ROLES: Final = (("originator", "agent", "tx", "Dbtr"), ("beneficiary", "agent", "tx", "Cdtr"))
_PAIN_ROLES: Final = (
    ("initiating_party", "party", "group", "InitgPty"), ("originator", "party", "info", "Dbtr"),
    ("originator_account", "account", "info", "DbtrAcct"), ("originator_bank", "agent", "info", "DbtrAgt"),
    ("ultimate_debtor", "party", "info", "UltmtDbtr"), ("ultimate_debtor", "party", "tx", "UltmtDbtr"),
    ("intermediary_bank", "agent", "tx", "IntrmyAgt1"), ("intermediary_bank_2", "agent", "tx", "IntrmyAgt2"),
    ("intermediary_bank_3", "agent", "tx", "IntrmyAgt3"), ("beneficiary_bank", "agent", "tx", "CdtrAgt"),
    ("beneficiary", "party", "tx", "Cdtr"), ("beneficiary_account", "account", "tx", "CdtrAcct"),
    ("ultimate_creditor", "party", "tx", "UltmtCdtr"),
)  # fmt: skip
_CAMT_ROLES: Final = (
    ("initiating_party", "party", "tx", "RltdPties/InitgPty"), ("originator", "party", "tx", "RltdPties/Dbtr"),
    ("originator_account", "account", "tx", "RltdPties/DbtrAcct"),
    ("ultimate_debtor", "party", "tx", "RltdPties/UltmtDbtr"), ("beneficiary", "party", "tx", "RltdPties/Cdtr"),
    ("beneficiary_account", "account", "tx", "RltdPties/CdtrAcct"),
    ("ultimate_creditor", "party", "tx", "RltdPties/UltmtCdtr"),
    ("originator_bank", "agent", "tx", "RltdAgts/DbtrAgt"), ("beneficiary_bank", "agent", "tx", "RltdAgts/CdtrAgt"),
    ("intermediary_bank", "agent", "tx", "RltdAgts/IntrmyAgt1"),
    ("intermediary_bank_2", "agent", "tx", "RltdAgts/IntrmyAgt2"),
    ("intermediary_bank_3", "agent", "tx", "RltdAgts/IntrmyAgt3"),
    ("instructing_agent", "agent", "tx", "RltdAgts/InstgAgt"), ("instructed_agent", "agent", "tx", "RltdAgts/InstdAgt"),
)  # fmt: skip
_PACS_REFS: Final = (("end_to_end_id", "tx:PmtId/EndToEndId"), ("uetr", "tx:PmtId/UETR"))
_CAMT_REFS: Final = (("end_to_end_id", "tx:Refs/EndToEndId"), ("uetr", "tx:Refs/UETR"))
_CAMT_AMOUNT: Final = ("tx:Amt", "tx:AmtDtls/TxAmt/Amt", "tx:AmtDtls/InstdAmt/Amt", "entry:Amt")
_CAMT_DATE: Final = ("entry:ValDt/Dt", "entry:BookgDt/Dt", "entry:ValDt/DtTm", "entry:BookgDt/DtTm")

FAMILIES: Final[dict[str, Family]] = {
    "pacs.008": Family("FIToFICstmrCdtTrf", ("CdtTrfTxInf",), range(8, 14), _PACS_ROLES,
                       ("tx:IntrBkSttlmAmt", "tx:InstdAmt"), ("tx:IntrBkSttlmDt", "group:IntrBkSttlmDt"),
                       _PACS_REFS),
    "pacs.009": Family("FICdtTrf", ("CdtTrfTxInf",), range(8, 13), _PACS_ROLES[2:] + _FI_ROLES,
                       ("tx:IntrBkSttlmAmt",), ("tx:IntrBkSttlmDt", "group:IntrBkSttlmDt"), _PACS_REFS),
    "pain.001": Family("CstmrCdtTrfInitn", ("PmtInf", "CdtTrfTxInf"), range(9, 13), _PAIN_ROLES,
                       ("tx:Amt/InstdAmt", "tx:Amt/EqvtAmt/Amt"),
                       ("info:ReqdExctnDt/Dt", "info:ReqdExctnDt/DtTm", "info:ReqdExctnDt"),
                       (("end_to_end_id", "tx:PmtId/EndToEndId"), ("uetr", "tx:PmtId/UETR"))),
    "camt.053": Family("BkToCstmrStmt", ("Stmt", "Ntry", "NtryDtls", "TxDtls"), range(8, 14), _CAMT_ROLES,
                       _CAMT_AMOUNT, _CAMT_DATE, _CAMT_REFS),
    "camt.054": Family("BkToCstmrDbtCdtNtfctn", ("Ntfctn", "Ntry", "NtryDtls", "TxDtls"), range(8, 14),
                       _CAMT_ROLES, _CAMT_AMOUNT, _CAMT_DATE, _CAMT_REFS),
}  # fmt: skip
NAMESPACE: Final = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.\d{3}\.(\d{2})$")
_PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)


def supported() -> str:
    """Return the supported message versions as text, for errors."""
    return ", ".join(f"{n}.001.{min(f.versions):02d}–{max(f.versions):02d}" for n, f in FAMILIES.items())


def parse_document(data: bytes) -> tuple[Element, str, str]:
    """Parse one ``<Document>``; return it with its namespace and family name, or raise MessageError."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise MessageError(f"malformed XML: {exc}") from exc
    namespace = etree.QName(root).namespace or ""
    found = NAMESPACE.match(namespace)
    family = FAMILIES.get(found.group(1)) if found else None
    if found is None or family is None or int(found.group(2)) not in family.versions:
        shown = namespace or "no namespace"
        raise MessageError(f"unknown message version '{shown}'; supported: {supported()}")
    return root, namespace, found.group(1)


@dataclass(frozen=True)
class Transaction:
    """One transaction element of a message with the views its fields may come from, and their XPaths."""

    tx: Element
    bases: dict[str, View | None]  # tx, cover, group, info (pain.001), entry (camt)
    xpath: dict[str, str]  # base -> XPath of the base element


def transactions(root: Element, ns: str, family: Family) -> Iterator[Transaction]:
    """Yield a message's transactions in document order, with their XPaths."""
    top = root.find(f"{{{ns}}}{family.root}")
    if top is None:
        raise MessageError(f"missing mandatory element /Document/{family.root}")
    start = f"/Document/{family.root}"
    header = top.find(f"{{{ns}}}GrpHdr")
    group = (View(flatten(header, ns)) if header is not None else None, f"{start}/GrpHdr")
    yield from _walk(top, ns, family.levels, [group], start)


def _walk(
    parent: Element, ns: str, levels: tuple[str, ...], chain: list[tuple[View | None, str]], path: str
) -> Generator[Transaction, None, int]:
    """Yield the transactions below ``parent`` along the remaining levels and return how many.

    ``chain`` holds the views of the levels above, with their XPaths.
    """
    count = 0
    for number, elem in enumerate(parent.iterfind(f"{{{ns}}}{levels[0]}"), start=1):
        here = f"{path}/{levels[0]}[{number}]"
        if len(levels) > 1:
            level = View(flatten(elem, ns, SKIP))
            found = yield from _walk(elem, ns, levels[1:], [*chain, (level, here)], here)
            if not found and levels[0] == "Ntry":  # an entry without transaction details is its own record
                found = 1
                yield Transaction(
                    elem, {"group": chain[0][0], "tx": level, "entry": level}, {"tx": here, "entry": here}
                )
            count += found
            continue
        # chain: GrpHdr, then PmtInf (pain.001) or Stmt, Ntry, NtryDtls (camt)
        named = dict(zip(("group", "info", "entry"), chain, strict=False))
        bases = {name: held for name, (held, _) in named.items()}
        paths = {name: where for name, (_, where) in named.items()}
        tx = View(flatten(elem, ns))
        bases.update(tx=tx, cover=tx.below("UndrlygCstmrCdtTrf"))
        paths.update(tx=here, cover=f"{here}/UndrlygCstmrCdtTrf")
        count += 1
        yield Transaction(elem, bases, paths)
    return count


def _view(t: Transaction, spec: str) -> tuple[View | None, str]:
    """Return the view and path of a ``base:path`` spec."""
    base, path = spec.split(":", 1)
    return t.bases.get(base), path


def read_roles(t: Transaction, family: Family) -> Found:
    """Return the transaction's parties, agents and accounts, a later spec of a column overriding an earlier one."""
    found = Found()
    roles = family.roles
    if t.bases.get("cover") is not None:  # pacs.009 COV: the underlying customer transfer's parties
        roles = (*roles, *_COVER_ROLES)
    readers = {"party": read_party, "agent": read_agent, "account": read_account}
    for column, kind, base, path in roles:
        view = t.bases.get(base)
        held = view.below(path) if view is not None else None
        if held is not None:
            readers[kind](found, column, held, f"{t.xpath.get(base, '')}/{path}")
    return found


REMITTANCE: Final = ("RmtInf/Ustrd", "RmtInf/Strd/AddtlRmtInf", "RmtInf/Strd/CdtrRefInf/Ref", "AddtlTxInf",
                     "InstrForCdtrAgt/InstrInf", "InstrForNxtAgt/InstrInf")  # fmt: skip


def remittance(t: Transaction) -> str | None:
    """Return the remittance, purpose and instruction texts of a transaction joined by " | "."""
    parts: list[str] = []
    for view in (t.bases.get("tx"), t.bases.get("cover")):
        if view is None:
            continue
        parts += [text for path in REMITTANCE for text in view.every(path)]
        purpose = view.text("Purp/Cd") or view.text("Purp/Prtry")
        parts += [f"purpose {purpose}"] if purpose else []
    return " | ".join(dict.fromkeys(parts)) or None


def amount(t: Transaction, family: Family) -> tuple[str | None, str | None]:
    """Return the transaction's amount and currency as written."""
    for spec in family.amount:
        view, path = _view(t, spec)
        value = view.text(path) if view is not None else None
        if value is not None and view is not None:
            return value, view.currency(path)
    return None, None


def first_text(t: Transaction, specs: tuple[str, ...]) -> str | None:
    """Return the first present text among ``base:path`` specs."""
    for spec in specs:
        view, path = _view(t, spec)
        value = view.text(path) if view is not None else None
        if value is not None:
            return value
    return None
