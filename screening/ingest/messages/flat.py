"""An XML element's descendants by local path, read in one walk: what each field lookup then costs is a dict get.

Looking fields up one ElementPath at a time (``find('{ns}Dbtr/{ns}Nm')``) cost about fifty
searches per transaction; one walk over the transaction's elements, keyed by their path of local
names (``Dbtr/Nm``), costs one visit per element. Repeated elements keep every text
(:meth:`View.every`); an ``Othr`` identification is kept whole as ``scheme:id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from lxml import etree

Element = Any  # an lxml element (lxml ships no type information)
# A level's repeated children, read as their own views: payment information's transactions, a statement's entries …
SKIP: Final = frozenset({"CdtTrfTxInf", "Ntry", "NtryDtls", "TxDtls"})
_NONE: Final[frozenset[str]] = frozenset()
_ELEMENTS: Final = etree.Element  # iterchildren's tag filter for elements only


@dataclass
class Flat:
    """First text, every text and the currency attribute of each path below an element."""

    first: dict[str, str] = field(default_factory=dict)
    every: dict[str, list[str]] = field(default_factory=dict)
    currency: dict[str, str] = field(default_factory=dict)


def flatten(elem: Element, ns: str, skip: frozenset[str] = frozenset()) -> Flat:
    """Return an element's descendants by local path; children named in ``skip`` are left out."""
    flat = Flat()
    _walk(elem, "", len(ns) + 2, flat, skip)
    return flat


def _walk(elem: Element, prefix: str, cut: int, flat: Flat, skip: frozenset[str]) -> None:
    """Record the children of an element under ``prefix``, and theirs."""
    first, every = flat.first, flat.every
    for child in elem.iterchildren(_ELEMENTS):  # elements only: no comment, instruction or entity reference
        name = child.tag[cut:]
        if name in skip:
            continue
        path = prefix + name
        text = child.text
        text = text.strip() if text else ""
        if path in first:
            every.setdefault(path, [first[path]]).append(text)
        else:
            first[path] = text
            currency = child.get("Ccy")
            if currency is not None:
                flat.currency[path] = currency
        if name == "Othr":
            _other(child, path, cut, flat)
        elif len(child):
            _walk(child, path + "/", cut, flat, _NONE)


def _other(elem: Element, path: str, cut: int, flat: Flat) -> None:
    """Record an ``Othr`` identification as ``scheme:id`` under ``path#``."""
    inner = flatten(elem, elem.tag[1 : cut - 1])
    value = inner.first.get("Id")
    if value:
        scheme = inner.first.get("SchmeNm/Cd") or inner.first.get("SchmeNm/Prtry") or "id"
        flat.every.setdefault(f"{path}#", []).append(f"{scheme}:{value}")
        flat.first.setdefault(f"{path}/Id", value)


@dataclass(frozen=True)
class View:
    """The paths of a Flat below a prefix: a transaction, or the underlying transfer inside it."""

    flat: Flat
    prefix: str = ""

    def text(self, path: str) -> str | None:
        """Return the first non-blank text at a path, else None."""
        return self.flat.first.get(self.prefix + path) or None

    def has(self, path: str) -> bool:
        """Tell whether an element exists at a path."""
        return self.prefix + path in self.flat.first

    def every(self, path: str) -> list[str]:
        """Return every non-blank text at a path, in document order."""
        key = self.prefix + path
        found = self.flat.every.get(key) or ([self.flat.first[key]] if key in self.flat.first else [])
        return [t for t in found if t]

    def others(self, path: str) -> list[str]:
        """Return the ``scheme:id`` of each ``Othr`` identification at a path (``Id/OrgId`` …)."""
        return self.flat.every.get(f"{self.prefix}{path}/Othr#", [])

    def currency(self, path: str) -> str | None:
        """Return the ``Ccy`` attribute of the element at a path."""
        return self.flat.currency.get(self.prefix + path)

    def below(self, path: str) -> View | None:
        """Return the view of the element at a path, None when absent."""
        return View(self.flat, f"{self.prefix}{path}/") if self.has(path) else None
