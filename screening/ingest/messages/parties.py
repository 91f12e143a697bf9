"""The party roles of a payment message read from its XML: a party's or an agent's name, country, BIC and ids.

A role is written to its column as the party's name (an agent's BIC when it has one: the rules read
a bank's country from it), with every identifier kept in ``party_ids`` as ``role=scheme:id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

Element = Any  # an lxml element (lxml ships no type information)


@lru_cache(maxsize=4096)
def qualified(namespace: str, path: str) -> str:
    """Return an ElementPath with every step in the namespace (``Dbtr/Nm`` -> ``{ns}Dbtr/{ns}Nm``)."""
    return "/".join(f"{{{namespace}}}{step}" for step in path.split("/"))


@dataclass
class Found:
    """What a message says of its roles: a value per column, the ids, and the XPath per role."""

    values: dict[str, str | None] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    xpaths: dict[str, str] = field(default_factory=dict)


def text(elem: Element | None, ns: str, path: str) -> str | None:
    """Return the stripped text at a path below an element, None when absent or blank."""
    if elem is None:
        return None
    value = elem.findtext(qualified(ns, path))
    return value.strip() or None if value is not None else None


def node(elem: Element | None, ns: str, path: str) -> Element | None:
    """Return the element at a path below an element, None when absent."""
    return None if elem is None else elem.find(qualified(ns, path))


def _other_ids(elem: Element, ns: str, path: str) -> list[str]:
    """Return ``scheme:id`` of each ``Othr`` id below a path (the scheme's code, else its proprietary name)."""
    found = []
    for other in elem.iterfind(qualified(ns, f"{path}/Othr")):
        value = text(other, ns, "Id")
        scheme = text(other, ns, "SchmeNm/Cd") or text(other, ns, "SchmeNm/Prtry") or "id"
        if value:
            found.append(f"{scheme}:{value}")
    return found


def read_party(found: Found, column: str, elem: Element | None, ns: str, where: str) -> None:
    """Record a party (PartyIdentification): its name, address country and identifiers."""
    if elem is None:
        return
    wrapped = node(elem, ns, "Pty")  # camt's related parties (version 8 on) wrap the party
    if wrapped is not None:
        elem, where = wrapped, f"{where}/Pty"
    bic = text(elem, ns, "Id/OrgId/AnyBIC")
    lei = text(elem, ns, "Id/OrgId/LEI")
    ids = [f"BIC:{bic}"] if bic else []
    ids += [f"LEI:{lei}"] if lei else []
    ids += _other_ids(elem, ns, "Id/OrgId") + _other_ids(elem, ns, "Id/PrvtId")
    found.values[column] = text(elem, ns, "Nm") or bic
    found.values.setdefault(f"{column}__country", text(elem, ns, "PstlAdr/Ctry") or text(elem, ns, "CtryOfRes"))
    found.ids.extend(f"{column}={i}" for i in ids)
    found.xpaths[column] = where


def read_agent(found: Found, column: str, elem: Element | None, ns: str, where: str) -> None:
    """Record an agent (BranchAndFinancialInstitutionIdentification): its BIC, else its name, and its ids."""
    if elem is None:
        return
    institution = node(elem, ns, "FinInstnId")
    bic = text(institution, ns, "BICFI") or text(institution, ns, "BIC")
    name = text(institution, ns, "Nm")
    lei = text(institution, ns, "LEI")
    member = text(institution, ns, "ClrSysMmbId/MmbId")
    ids = [f"BIC:{bic}"] if bic else []
    ids += [f"name:{name}"] if name and bic else []
    ids += [f"LEI:{lei}"] if lei else []
    ids += [f"clearing:{member}"] if member else []
    found.values[column] = bic or name or member
    found.ids.extend(f"{column}={i}" for i in ids)
    found.xpaths[column] = f"{where}/FinInstnId"


def read_account(found: Found, column: str, elem: Element | None, ns: str, where: str) -> None:
    """Record an account: its IBAN, else its other id as written."""
    if elem is None:
        return
    found.values[column] = text(elem, ns, "Id/IBAN") or text(elem, ns, "Id/Othr/Id")
    found.xpaths[column] = f"{where}/Id"
