"""Safe XML reading: no entity expansion, no external resources, line numbers kept.

Elements lose their namespace (list files use one namespace each) and carry the line of their
start tag, so importers can report ``file:line`` for a bad entry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from screening.errors import ListError, located

_LINE: Final = "{urn:screening}line"


class _LineTreeBuilder(ET.TreeBuilder):
    """Builds elements without namespaces, each tagged with its source line."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        """Start an element, dropping namespaces and recording the line."""
        clean = {k.rsplit("}", 1)[-1]: v for k, v in attrs.items()}
        if self.parser is not None:
            clean[_LINE] = str(self.parser.parser.CurrentLineNumber)
        return super().start(tag.rsplit("}", 1)[-1], clean)


def parse_xml(path: Path) -> ET.Element:
    """Return the root element of an XML file; raise ListError on unsafe or broken XML."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False)
    builder.parser = parser
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                parser.feed(chunk)
        root: ET.Element = parser.close()
    except DefusedXmlException as exc:
        raise ListError(
            located(
                str(path),
                None,
                f"refused: the XML declares an entity ({type(exc).__name__}); "
                "list files never need entities and expanding them is unsafe",
            )
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ListError(located(str(path), line, f"not well-formed XML ({exc})")) from exc
    return root


def parse_list_xml(path: Path, tag: str, what: str) -> ET.Element:
    """Parse a list file and check its root element; ``what`` names the expected root in errors."""
    root = parse_xml(path)
    if root.tag != tag:
        raise ListError(located(str(path), line_of(root), f"expected {what}, found <{root.tag}>"))
    return root


def line_of(element: ET.Element) -> int | None:
    """Return the source line of an element parsed by parse_xml."""
    value = element.get(_LINE)
    return int(value) if value else None


def text(element: ET.Element | None, path: str = ".") -> str:
    """Return the stripped text at a path below an element, or an empty string."""
    if element is None:
        return ""
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def texts(element: ET.Element, path: str) -> list[str]:
    """Return the non-empty stripped texts of all elements at a path."""
    return [v for v in (" ".join((e.text or "").split()) for e in element.iterfind(path)) if v]


def root_tag(path: Path, limit: int = 4096) -> str:
    """Return the first element name in a file's head, without parsing the file."""
    with path.open("rb") as handle:
        head = handle.read(limit).decode("utf-8", "replace")
    pos = 0
    while (pos := head.find("<", pos)) >= 0:
        pos += 1
        if head[pos : pos + 1] not in ("?", "!"):
            name = re.split(r"[\s>/]", head[pos:], maxsplit=1)[0]
            return name.rsplit(":", 1)[-1]
    return ""
