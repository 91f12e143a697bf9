"""pacs.008 messages read in runs by one compiled XSLT: libxslt writes each transaction's fields as a line of text.

A run of messages is parsed as one XML document (each ``<Document>`` wrapped in ``<m i="…">``) and
one stylesheet, compiled once per process, writes one line per transaction with the raw text of
every field the reader keeps (:data:`FIELDS`); :mod:`.records` turns the lines into records with
polars expressions. No Python runs per field. Only the shape the stylesheet reads exactly like
:mod:`.iso20022` takes this path (:func:`eligible`); every other message, one the stylesheet did
not write or that misses a mandatory element is read by :func:`.rows.iso_rows`, one at a time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any, Final

from lxml import etree

from screening.ingest.messages.iso20022 import FAMILIES, REMITTANCE

FS: Final = "\ue000"  # between fields (a private-use character: a line with one too many is not trusted)
RS: Final = "\ue001"  # after each transaction
LS: Final = "\ue002"  # between the texts of a repeated element
_EXT: Final = "urn:screening:xslt"
VERSIONS: Final = range(8, 14)
NAMESPACE: Final = b"urn:iso:std:iso:20022:tech:xsd:pacs.008.001."
# Anything the stylesheet does not read as the element walk does sends the message the slow way: other
# identifications (Othr), a cover, comments, CDATA and processing instructions, a wrapped party (Pty).
# A token is searched only where its hint is found: one rare byte ("?", "!") is many times quicker to search
# for than "<?"; a long or rare token is its own hint (a search skips faster the longer the token).
_SLOW: Final = {b"Othr": b"Othr", b"UndrlygCstmrCdtTrf": b"UndrlygCstmrCdtTrf", b"<!--": b"!", b"<![CDATA[": b"!",
                b"<?": b"?", b"<Pty": b"<Pty", b":Pty": b":Pty"}  # fmt: skip

# The roles come from the element walk's table (iso20022.FAMILIES), so the two readers cannot drift apart.
_ROLES: Final = FAMILIES["pacs.008"].roles
PARTIES: Final = tuple((column, tag) for column, kind, _, tag in _ROLES if kind == "party")
HEADER_AGENTS: Final = tuple((column, tag) for column, kind, base, tag in _ROLES if kind == "agent" and base == "group")
AGENTS: Final = tuple(
    (column, tag) for column, kind, _, tag in _ROLES if kind == "agent" and (column, tag) not in HEADER_AGENTS
)
ACCOUNTS: Final = tuple((column, tag) for column, kind, _, tag in _ROLES if kind == "account")
PARTY_FIELDS: Final = ("Nm", "Id/OrgId/AnyBIC", "Id/OrgId/LEI", "PstlAdr/Ctry", "CtryOfRes")
AGENT_FIELDS: Final = ("FinInstnId/BICFI", "FinInstnId/BIC", "FinInstnId/Nm", "FinInstnId/LEI",
                       "FinInstnId/ClrSysMmbId/MmbId")  # fmt: skip


def _steps(path: str) -> str:
    """Return a local path (``Dbtr/Nm``) as XPath steps in the message's namespace (``v:Dbtr/v:Nm``)."""
    return "/".join(f"v:{step}" for step in path.split("/"))


def _text(path: str, base: str = "") -> str:
    """Return XSLT writing the first text of the first element at a path (lxml's ``.text``), else nothing."""
    return f'<xsl:value-of select="({base}{_steps(path)})[1]/node()[1][self::text()]"/>'


def _present(path: str, base: str = "") -> str:
    """Return XSLT writing 1 when an element exists at a path."""
    return f'<xsl:if test="{base}{_steps(path)}">1</xsl:if>'


def _currency(path: str) -> str:
    """Return XSLT writing 1 and the ``Ccy`` attribute of the first element at a path, nothing without one."""
    return f'<xsl:for-each select="({_steps(path)})[1]/@Ccy">1<xsl:value-of select="."/></xsl:for-each>'


def _every(paths: tuple[str, ...]) -> str:
    """Return XSLT writing the first text of every element at each path in turn, each followed by LS."""
    each = '<xsl:value-of select="node()[1][self::text()]"/>' + LS
    return "".join(f'<xsl:for-each select="{_steps(p)}">{each}</xsl:for-each>' for p in paths)


def _group(test: str, parts: list[tuple[str, str]]) -> tuple[list[str], str]:
    """Return the names of a role's fields and XSLT writing them when ``test`` holds, empty fields when not."""
    written = FS.join(xslt for _, xslt in parts)
    empty = FS * (len(parts) - 1)
    choose = (
        f'<xsl:choose><xsl:when test="{test}">{written}</xsl:when><xsl:otherwise>{empty}</xsl:otherwise></xsl:choose>'
    )
    return [name for name, _ in parts], choose


def _role(name: str, tag: str, paths: tuple[str, ...], base: str = "") -> tuple[list[str], str]:
    """Return a role's fields: 1 when its element is there, then the first text at each path below it."""
    test = f"{base}{_steps(tag)}"
    return _group(test, [(f"{name}@", "1"), *((f"{name}:{p}", _text(f"{tag}/{p}", base)) for p in paths)])


# A transaction's line is asked of lxml (a call into Python) only in a message of several lines (run_text
# marks it); in a one-line message it is the message's first line, and the field is left blank.
_LINE: Final = '<xsl:if test="$n"><xsl:value-of select="x:line(.)"/></xsl:if>'


def groups() -> list[tuple[list[str], str]]:
    """Return the fields a transaction's line holds, in groups written together: their names and XSLT."""
    out = [(["i", "tx", "sourceline", "message_id", "version"], FS.join(
               f'<xsl:value-of select="{e}"/>' if e else _LINE for e in ("$i", "position()", "", "$id", "$version"))),
           _group("true()", [("amount", _text("IntrBkSttlmAmt")), ("amount_ccy", _currency("IntrBkSttlmAmt")),
                             ("instructed", _text("InstdAmt")), ("instructed_ccy", _currency("InstdAmt")),
                             ("date", _text("IntrBkSttlmDt")), ("group_date", _text("IntrBkSttlmDt", "$g/")),
                             ("end_to_end_id", _text("PmtId/EndToEndId")), ("uetr", _text("PmtId/UETR"))]),
           _group("|".join(_steps(p.split("/")[0]) for p in REMITTANCE), [("remittance", _every(REMITTANCE))]),
           _group("v:Purp", [("purpose", _text("Purp/Cd")), ("purpose_other", _text("Purp/Prtry"))])]  # fmt: skip
    out += [_role(column, tag, PARTY_FIELDS) for column, tag in PARTIES]
    out += [_role(column, tag, AGENT_FIELDS) for column, tag in AGENTS]
    for column, tag in HEADER_AGENTS:
        out += [_role(f"{column}.group", tag, AGENT_FIELDS, "$g/"), _role(f"{column}.tx", tag, AGENT_FIELDS)]
    out += [_role(column, tag, ("Id/IBAN",)) for column, tag in ACCOUNTS]
    return out


FIELDS: Final = tuple(name for names, _ in groups() for name in names)


def _template(version: int) -> str:
    """Return the template writing the transactions of one pacs.008 version's ``<Document>``."""
    line = FS.join(xslt for _, xslt in groups())
    return (
        f'<xsl:template match="v{version}:Document">'
        '<xsl:variable name="i" select="../@i"/><xsl:variable name="n" select="../@n"/>'
        f'<xsl:variable name="version" select="\'{version:02d}\'"/>'
        '<xsl:variable name="id" select="(v:FIToFICstmrCdtTrf/v:GrpHdr/v:MsgId)[1]/node()[1][self::text()]"/>'
        '<xsl:variable name="g" select="v:FIToFICstmrCdtTrf[1]/v:GrpHdr[1]"/>'
        f'<xsl:for-each select="v:FIToFICstmrCdtTrf[1]/v:CdtTrfTxInf">{line}{RS}</xsl:for-each></xsl:template>'
    ).replace("v:", f"v{version}:")


def stylesheet() -> str:
    """Return the stylesheet for every pacs.008 version read; other elements write nothing."""
    spaces = " ".join(f'xmlns:v{v}="{NAMESPACE.decode()}{v:02d}"' for v in VERSIONS)
    return (
        f'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:x="{_EXT}" {spaces}>'
        '<xsl:output method="text" encoding="utf-8"/>'
        '<xsl:template match="/"><xsl:apply-templates select="/W/m/*"/></xsl:template><xsl:template match="*"/>'
        + "".join(_template(v) for v in VERSIONS)
        + "</xsl:stylesheet>"
    )


def _line(_context: Any, nodes: list[Any]) -> int:
    """Return the line of an element in the run's document (an XSLT extension function)."""
    return int(nodes[0].sourceline or 1)


@cache
def transform() -> etree.XSLT:
    """Return the compiled stylesheet (once per process)."""
    return etree.XSLT(etree.XML(stylesheet().encode()), extensions={(_EXT, "line"): _line})


PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)


_SEPARATOR: Final = re.compile(rb"\xee\x80[\x80-\x82]|&#(?:[xX]0*[eE]00[0-2]|0*5734[4-6]);")
# What a separator starts with: found by a byte search, far quicker than the regular expression over a run.
_SEPARATOR_STARTS: Final = (b"\xee", b"#")


@dataclass(frozen=True)
class Written:
    """The stylesheet's lines for a run of messages: the places of those it read among a chunk's, their first lines."""

    text: str
    chosen: list[int]
    starts: list[int]  # each chosen message's first line in the run


def eligible(data: bytes) -> bool:
    """Tell whether a message may be read by the stylesheet: a pacs.008 of the plain shape, no separator in it."""
    return is_pacs008(data) and plain(data) and not _separated(data)


def _separated(data: bytes) -> bool:
    """Tell whether a message (or a run of them) holds a separator, as a character or a character reference."""
    return any(start in data for start in _SEPARATOR_STARTS) and _SEPARATOR.search(data) is not None


def ineligible(messages: list[bytes], run: bytes) -> set[int]:
    """Return the places of the messages joined in ``run`` that hold a slow token or a separator.

    Each token is searched in the whole run, not message by message; a message found to hold one
    is not searched further. A token across two messages' boundary marks the first: read the slow
    way, it gives the same records.
    """
    ends = list(accumulate(len(data) for data in messages))
    found: set[int] = set()
    for token in _slow_tokens(run):
        at = run.find(token)
        while at >= 0:
            found.add(place := bisect_right(ends, at))
            at = run.find(token, ends[place])  # at < ends[-1], so place is a message's
    if any(start in run for start in _SEPARATOR_STARTS):
        found.update(bisect_right(ends, match.start()) for match in _SEPARATOR.finditer(run))
    return found


def is_pacs008(data: bytes) -> bool:
    """Tell whether a message's start tag names a pacs.008 namespace."""
    return data.find(NAMESPACE, 0, 1024) >= 0


def plain(data: bytes) -> bool:
    """Tell whether a message (or a run of them) holds nothing the stylesheet does not read like the element walk."""
    return not any(token in data for token in _slow_tokens(data))


def _slow_tokens(data: bytes) -> list[bytes]:
    """Return the slow tokens whose hint a message (or a run) holds: those that may be in it."""
    hints = {hint for hint in set(_SLOW.values()) if hint in data}
    return [token for token, hint in _SLOW.items() if hint in hints]


def parses(data: bytes) -> bool:
    """Tell whether a message is well-formed XML alone."""
    try:
        etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return False
    return True


def write_run(pieces: list[bytes]) -> Written | None:
    """Return the stylesheet's lines for the eligible messages among ``pieces`` (lxml only: no polars here).

    A separator in a text (a private-use character) would shift the fields: such a message is left
    out. A run holding a malformed message is written again without the messages that do not parse alone.
    """
    chosen = [n for n, data in enumerate(pieces) if is_pacs008(data)]
    run = b"".join(pieces[n] for n in chosen)
    slow = ineligible([pieces[n] for n in chosen], run)  # searches over the whole run, most often finding nothing
    chosen = [n for k, n in enumerate(chosen) if k not in slow]
    written = run_text([pieces[n] for n in chosen]) if chosen else None
    if written is None and chosen:
        chosen = [n for n in chosen if parses(pieces[n])]
        written = run_text([pieces[n] for n in chosen]) if chosen else None
    return None if written is None else Written(written[0], chosen, written[1])


def run_text(messages: list[bytes]) -> tuple[str, list[int]] | None:
    """Return the stylesheet's lines for a run of messages and each one's first line in the run; None if malformed.

    A message of several lines is marked (``n="1"``): only there is a transaction's line asked of lxml.
    """
    parts, starts, line = [b"<W>"], [], 1
    for number, data in enumerate(messages):
        breaks = data.count(b"\n")
        parts += [b'<m i="%d"%s>' % (number, b' n="1"' if breaks else b""), data, b"</m>"]
        starts.append(line)
        line += breaks
    parts.append(b"</W>")
    try:
        document = etree.fromstring(b"".join(parts), PARSER)
    except etree.XMLSyntaxError:
        return None
    return str(transform()(document)), starts
