"""SWIFT MT103 and MT202 (COV) messages to transaction records: FIN blocks 1-5, fields 50a/59a/52a-58a/70/72.

A file holds FIN messages one after the other (``{1:F01…}{2:I103…}{3:{121:…}}{4:…-}{5:…}``);
each message starts at ``{1:``. A party field is read by its option: ``A`` (a BIC after an
optional ``/account`` line), ``F`` (numbered lines: ``1/`` name, ``3/`` country and town), ``K`` or
``D`` (an optional account line, then the name and address), none (``59``: like ``K``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from screening.ingest.encoding import detect_encoding
from screening.ingest.messages.iso20022 import MessageError

START: Final = re.compile(r"\{1:")
_BLOCK4: Final = re.compile(r"\{4:\s*\n(.*?)\n-\}", re.DOTALL)
_FIELD: Final = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
BIC: Final = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"
_BIC: Final = re.compile(BIC)
MT_TYPES: Final = ("103", "202")
# (role column, field tag without its option letter) per message type, the customer sequence of a COV last
ROLES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "103": (("originator", "50"), ("beneficiary", "59"), ("originator_bank", "52"), ("beneficiary_bank", "57"),
            ("intermediary_bank", "56"), ("intermediary_bank_2", "53"), ("intermediary_bank_3", "54")),
    "202": (("originator", "52"), ("beneficiary", "58"), ("beneficiary_bank", "57"), ("intermediary_bank", "56"),
            ("intermediary_bank_2", "53"), ("intermediary_bank_3", "54")),
    "202COV": (("intermediary_bank_2", "56"), ("intermediary_bank_3", "57"), ("originator_bank", "52"),
               ("beneficiary_bank", "58")),
    "COV-B": (("originator", "50"), ("beneficiary", "59"), ("originator_bank", "52"), ("beneficiary_bank", "57"),
              ("intermediary_bank", "56")),
}  # fmt: skip


@dataclass(frozen=True)
class MtPiece:
    """One FIN message as cut from its file."""

    number: int
    offset: int  # character offset of ``{1:``
    line: int
    text: str


@dataclass
class MtMessage:
    """A parsed FIN message: type, sender and receiver BICs, block-3 tags and block-4 fields in order."""

    kind: str  # 103, 202 or 202COV
    sender: str | None
    receiver: str | None
    headers: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)


def split_mt(path: Path, block: int = 1 << 23) -> Iterator[MtPiece]:
    """Yield the FIN messages of a file in blocks, decoded in the encoding the one policy detects (cp1251 …).

    A message's line ends are ``\\n``: a bank's archive written with ``\\r\\n`` reads as the same
    messages (so they take the fast path, :mod:`.mt_fast`); offsets and lines are the file's.
    """
    number, offset, line, carry = 0, 0, 1, ""
    decoder = codecs.getincrementaldecoder(detect_encoding(path))(errors="replace")
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(block)
            text = carry + decoder.decode(chunk, final=not chunk)  # a character split between blocks waits
            starts = [m.start() for m in START.finditer(text)]
            last = len(text) if not chunk else (starts[-1] if starts else 0)
            seen = 0
            for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
                if begin >= last:
                    break
                number, line, seen = number + 1, line + text.count("\n", seen, begin), begin
                yield MtPiece(number, offset + begin, line, text[begin:end].strip().replace("\r\n", "\n"))
            line += text.count("\n", seen, last)
            offset, carry = offset + last, text[last:]
            if not chunk:
                return


def _address_bic(address: str) -> str | None:
    """Return the BIC of a 12-character logical terminal address (BIC8, terminal letter, branch)."""
    if len(address) < 12:
        return None
    bic = address[:8] + address[9:12]
    return bic if _BIC.match(bic) else None


def parse_mt(text: str) -> MtMessage:
    """Parse one FIN message; raise MessageError naming what is wrong."""
    block1 = re.search(r"\{1:F01([A-Z0-9]{12})", text)
    block2 = re.search(r"\{2:([IO])(\d{3})([A-Z0-9]*)", text)
    if block1 is None or block2 is None:
        raise MessageError("not a FIN message: block 1 ({1:F01…}) or block 2 ({2:I…}/{2:O…}) missing")
    direction, kind, rest = block2.groups()
    if kind not in MT_TYPES:
        raise MessageError(f"unknown message type MT{kind}; supported: MT103, MT202, MT202 COV")
    headers = dict(re.findall(r"\{(\d{3}):([^}]*)\}", _block3(text)))
    if kind == "202" and headers.get("119") == "COV":
        kind = "202COV"
    local, other = _address_bic(block1.group(1)), _address_bic(rest[:12] if direction == "I" else rest[10:22])
    sender, receiver = (local, other) if direction == "I" else (other, local)
    body = _BLOCK4.search(text)
    if body is None:
        raise MessageError("truncated: block 4 (the message text) is missing or not closed by '-}'")
    message = MtMessage(kind, sender, receiver, headers)
    cuts = list(_FIELD.finditer(body.group(1)))
    if not cuts:
        raise MessageError("block 4 (the message text) holds no field")
    for here, after in zip(cuts, [*cuts[1:], None], strict=True):
        end = after.start() if after is not None else len(body.group(1))
        message.fields.append((here.group(1), body.group(1)[here.end() : end].strip("\r\n")))
    return message


def _block3(text: str) -> str:
    """Return the inside of block 3 (user header), empty when absent."""
    found = re.search(r"\{3:((?:\{[^}]*\})*)\}", text)
    return found.group(1) if found else ""


@dataclass
class Party:
    """A party field read: the name (a BIC for option A), the account, the country when stated."""

    name: str | None
    account: str | None
    country: str | None
    bic: str | None


def read_party(tag: str, value: str) -> Party:
    """Read a party or institution field by its option letter."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    account = lines.pop(0)[1:].strip() if lines and lines[0].startswith("/") else None
    option = tag[2:]
    if option == "A" or (lines and _BIC.match(lines[0]) and len(lines) == 1):
        bic = lines[0] if lines else None
        return Party(bic, account, bic[4:6] if bic else None, bic)
    if option == "F":
        numbered = {line[:2]: line[2:] for line in lines if re.match(r"^\d/", line)}
        place = numbered.get("3/", "")
        country = place[:2] if re.match(r"^[A-Z]{2}(/|$)", place) else None
        if account is None and lines and not re.match(r"^\d/", lines[0]):
            account = lines[0]
        return Party(numbered.get("1/"), account, country, None)
    return Party(lines[0] if lines else None, account, None, None)


def field_values(message: MtMessage) -> dict[str, str]:
    """Return the first value of each block-4 field tag of the message's first sequence."""
    values: dict[str, str] = {}
    for tag, value in message.fields:
        if message.kind == "202COV" and tag[:2] == "50":
            break
        values.setdefault(tag, value)
    return values


def sequence_b(message: MtMessage) -> list[tuple[str, str]]:
    """Return the fields of a COV's customer sequence (from field 50a on), else none."""
    if message.kind != "202COV":
        return []
    first = next((n for n, (tag, _) in enumerate(message.fields) if tag[:2] == "50"), len(message.fields))
    return message.fields[first:]
