"""Optional schema validation of ISO 20022 messages against the official XSDs shipped in ``screening/data/xsd``.

Screening does not need it: every message that can be read is read. Asked for (``scan --validate``,
``inspect --validate``, or :func:`validating` around :func:`screening.scan`), a message that breaks
its version's schema is quarantined with its position and the schema's first error, and the
file's other messages are still read. The schemas are loaded once per version from the package:
no network, no entity expansion, no DTD. A version the reader knows but no schema is shipped for
(pacs.009) is read and screened unvalidated, and the file says so once. SWIFT MT messages have no
schema: reading one checks its FIN structure (blocks 1, 2 and 4, block 4 closed by ``-}``) and
mandatory fields (:20:, :32A:).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Final

from lxml import etree

from screening.ingest.messages.flat import Element

XSD_DIR: Final = Path(__file__).resolve().parents[2] / "data" / "xsd"
_WANTED: Final[ContextVar[bool]] = ContextVar("validate_messages", default=False)
_PARSER: Final = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@contextmanager
def validating(on: bool = True) -> Iterator[None]:
    """Validate the ISO 20022 messages of the files opened inside the block (or not, with ``on`` false)."""
    token = _WANTED.set(on)
    try:
        yield
    finally:
        _WANTED.reset(token)


def validation_wanted() -> bool:
    """Tell whether the messages of a file opened now are to be validated."""
    return _WANTED.get()


def shipped() -> list[str]:
    """Return the message versions whose official schema is shipped (``pacs.008.001.08`` …)."""
    return sorted(path.name.removesuffix(".xsd") for path in XSD_DIR.glob("*.xsd"))


@cache
def schema(version: str) -> etree.XMLSchema | None:
    """Return the official schema of a message version, None when none is shipped."""
    path = XSD_DIR / f"{version}.xsd"
    if version not in shipped():
        return None
    return etree.XMLSchema(etree.parse(str(path), _PARSER))


def unvalidated(path: str, versions: set[str]) -> str:
    """Return what a file says once when some of its messages are of versions no schema is shipped for."""
    listed = ", ".join(sorted(versions))
    return f"{path}: {listed} messages read and screened but not validated: no official schema shipped for them"


def schema_problem(root: Element, namespace: str, first_line: int) -> str | None:
    """Return why a parsed message breaks its version's schema (the first error, with its file line), else None."""
    version = namespace.rsplit(":", 1)[-1]
    found = schema(version)
    if found is None or found.validate(root):  # a version with no schema is read unvalidated (:func:`unvalidated`)
        return None
    error = found.error_log[0]
    message = error.message.replace(f"{{{namespace}}}", "")  # the elements' local names are enough
    return f"does not match the official {version} schema: line {first_line + error.line - 1}: {message}"
