"""The list formats, their readers, and format detection from name, extension and first bytes."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.bis import read_bis_dpl
from screening.lists.csl import read_csl_csv
from screening.lists.eu import read_eu_xml
from screening.lists.generic import read_generic_csv
from screening.lists.model import ListImport
from screening.lists.ofac_csv import read_ofac_csv
from screening.lists.ofac_update import is_update_folder
from screening.lists.ofac_xml import read_ofac_xml
from screening.lists.os_ftm import read_ftm_json
from screening.lists.os_simple import read_os_simple
from screening.lists.uk import read_uk_csv, read_uk_xml
from screening.lists.un import read_un_xml
from screening.lists.xmlsafe import root_tag

Reader = Callable[[Path], ListImport]

FORMATS: Final[dict[str, Reader]] = {
    "ofac_csv": read_ofac_csv,
    "ofac_xml": read_ofac_xml,
    "un_xml": read_un_xml,
    "eu_xml": read_eu_xml,
    "uk_csv": read_uk_csv,
    "uk_xml": read_uk_xml,
    "csl_csv": read_csl_csv,
    "bis_dpl": read_bis_dpl,
    "ftm_json": read_ftm_json,
    "os_simple_csv": read_os_simple,
    "generic_csv": read_generic_csv,
}

XML_ROOTS: Final[dict[str, str]] = {
    "CONSOLIDATED_LIST": "un_xml",
    "export": "eu_xml",
    "Designations": "uk_xml",
    "Sanctions": "ofac_xml",
}
# the sources publishers' formats write; a generic list may not take one of their names
PUBLISHER_SOURCES: Final = frozenset(
    {"us_ofac_sdn", "us_ofac_cons", "un_sc", "eu_fsf", "gb_fcdo", "us_trade_csl", "us_bis_dpl", "opensanctions"}
)
OFAC_MAIN_FILES: Final = frozenset({"sdn.csv", "cons_prim.csv"})


def _head(path: Path, size: int = 8192) -> str:
    """Return the first bytes of a file as text."""
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8-sig", "replace").lstrip("\ufeff")


HEADER_COLUMNS: Final[tuple[tuple[frozenset[str], str], ...]] = (
    (frozenset({"name", "effective_date", "street_address"}), "bis_dpl"),
    (frozenset({"source", "entity_number", "alt_names"}), "csl_csv"),
    (frozenset({"id", "schema", "name", "aliases"}), "os_simple_csv"),
    (frozenset({"entity_id", "name"}), "generic_csv"),
    (frozenset({"ent_num", "sdn_name", "sdn_type"}), "ofac_csv"),
)


def _header_format(lines: list[str]) -> str | None:
    """Return the format a delimited file's first lines point to."""
    first = lines[0] if lines else ""
    row = next(csv.reader([first], delimiter="\t" if "\t" in first else ","), [])
    fields = {f.strip().lower() for f in row}
    found = next((fmt for columns, fmt in HEADER_COLUMNS if columns <= fields), None)
    if found is None and any("unique id" in line.lower() for line in lines[:5]):
        found = "uk_csv"
    if found is None and len(row) == 12 and row[0].strip().isdigit():
        found = "ofac_csv"
    return found


def detect_format(path: Path, format_option: str = "--format") -> str:
    """Return the format name of a list file or folder; raise ListError (naming the option to pass) when unknown."""
    if path.is_dir():
        if any(p.name.lower() in OFAC_MAIN_FILES for p in path.iterdir()):
            return "ofac_csv"
        if is_update_folder(path):
            raise ListError(
                located(
                    str(path),
                    None,
                    "an OFAC update folder (alias/address files without sdn.csv) only applies to an "
                    "imported list: run `screening lists import` on it",
                )
            )
        names = ", ".join(sorted(p.name for p in path.iterdir())[:6]) or "nothing"
        raise ListError(
            located(
                str(path),
                None,
                f"cannot read this folder as a list (it holds {names}): only an OFAC CSV publication "
                "(sdn.csv or cons_prim.csv with its alt, add and comments files) is read as a folder; "
                "import each list file on its own",
            )
        )
    if path.name.lower() in OFAC_MAIN_FILES:
        return "ofac_csv"
    head = _head(path)
    if head.lstrip().startswith("<"):
        tag = root_tag(path)
        if tag in XML_ROOTS:
            return XML_ROOTS[tag]
        raise ListError(
            located(
                str(path),
                None,
                f"unknown XML list <{tag}>; known roots are {', '.join(f'<{t}>' for t in XML_ROOTS)}",
            )
        )
    if head.lstrip().startswith("{"):
        return "ftm_json"
    found = _header_format(head.splitlines()[:5])
    if found is None:
        raise ListError(
            located(
                str(path),
                1,
                f"cannot tell the list format; pass {format_option}, one of {', '.join(FORMATS)}",
            )
        )
    return found


def _source_name(source: str, name: str) -> str:
    """Return a generic list's source name once checked; raise ListError for a publisher's or a bad one."""
    if name != "generic_csv":
        raise ListError(f"a source name ({source!r}) can only be given to a generic_csv list, not to {name}")
    if source in PUBLISHER_SOURCES or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", source):
        raise ListError(
            f"source name {source!r} is not allowed: use lower-case letters, digits, '_', '.' or '-', "
            f"and none of the publishers' sources ({', '.join(sorted(PUBLISHER_SOURCES))})"
        )
    return source


def read_list(
    path: str | Path, fmt: str | None = None, *, source: str | None = None, format_option: str = "--format"
) -> ListImport:
    """Read a list file (or a folder of OFAC CSVs), detecting its format unless given.

    ``source`` names a generic list CSV's source (default ``generic``); publishers' formats name their own.
    """
    target = Path(path)
    if not target.exists():
        raise ListError(located(str(target), None, "no such file or folder"))
    name = fmt or detect_format(target, format_option)
    if name not in FORMATS:
        raise ListError(f"unknown list format {name!r}; choose one of {', '.join(FORMATS)}")
    reader = FORMATS[name] if source is None else partial(read_generic_csv, source=_source_name(source, name))
    try:
        result = reader(target)
    except (ValueError, KeyError, IndexError, TypeError, OSError) as exc:
        raise ListError(located(str(target), None, f"cannot read as {name}: {exc!r}")) from exc
    if result.entities.height == 0 and result.problems.height == 0:
        raise ListError(located(str(target), None, f"no list entries found (read as {name})"))
    return result
