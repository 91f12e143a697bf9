"""OFAC legacy CSV: SDN (sdn/alt/add/sdn_comments) and consolidated non-SDN (cons_*) files.

The files have no header; ``-0-`` means empty. The main file's remarks stop at 1,000
characters and go on in the comments file, so both are joined before the remarks are read.
Remarks carry identifiers, birth dates, weak aliases and ``Linked To:`` links.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.ofac_remarks import parse_remarks
from screening.lists.textio import csv_rows
from screening.lists.values import country_code, entity_schema
from screening.lists.version import stated_or_named

# alt_type -> (name_type); OFAC's alt.csv aliases are its strong ones.
ALT_TYPES: Final[dict[str, str]] = {"aka": "alias", "fka": "former", "nka": "alias"}
_SCHEMA_BY_TYPE: Final = {
    "": "Organization",
    "individual": "Person",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
}


@dataclass(frozen=True)
class OfacFiles:
    """The files of one OFAC CSV publication."""

    source: str
    main: Path
    alt: Path | None
    add: Path | None
    comments: Path | None


def _find(folder: Path, name: str) -> Path | None:
    """Return the file in a folder whose name matches case-insensitively."""
    for item in folder.iterdir():
        if item.name.lower() == name:
            return item
    return None


def locate(path: Path) -> OfacFiles:
    """Return the publication's files from a folder or from its main file."""
    folder = path if path.is_dir() else path.parent
    for main, prefix, source in (
        ("sdn.csv", "", "us_ofac_sdn"),
        ("cons_prim.csv", "cons_", "us_ofac_cons"),
    ):
        found = path if path.is_file() and path.name.lower() == main else None
        found = found or (_find(folder, main) if path.is_dir() else None)
        if found is not None:
            comments = "sdn_comments.csv" if not prefix else "cons_comments.csv"
            return OfacFiles(
                source,
                found,
                _find(folder, f"{prefix}alt.csv"),
                _find(folder, f"{prefix}add.csv"),
                _find(folder, comments),
            )
    raise ListError(located(str(path), None, "no sdn.csv or cons_prim.csv found for OFAC CSV"))


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Return the rows of a headerless OFAC file with -0- read as empty."""
    return [
        (line, [("" if f.strip() == "-0-" else f.strip()) for f in fields])
        for line, fields in csv_rows(path)
    ]


def _comments(files: OfacFiles) -> dict[str, str]:
    """Return the remark continuations keyed by entry number."""
    if files.comments is None:
        return {}
    return {fields[0]: fields[1] for _, fields in _rows(files.comments) if len(fields) >= 2}


def _add_entry(b: ListBuilder, line: int, f: list[str], more: str) -> list[str]:
    """Add one main-file row with the facts of its remarks; return its 'Linked To' names."""
    remarks = f[11] + more
    facts = parse_remarks(remarks)
    programs = [p.strip("[] ") for p in f[3].split("] [")]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(f[0]),
            entity_schema=_SCHEMA_BY_TYPE.get(f[2].lower(), entity_schema(f[2])),
            caption=f[1],
            programs=programs,
            countries=[*facts.countries, country_code(f[9]) or ""],
            birth_dates=facts.birth_dates,
            listed_on=facts.listed_on,
            remarks=remarks or None,
        ),
        line,
        ",".join(f),
    )
    if entity is None:
        return []
    for alias in facts.weak_aliases:
        b.add_name(entity.entity_id, alias, "weak_alias")
    for id_type, value in facts.identifiers:
        b.add_identifier(entity.entity_id, id_type, value)
    b.add_identifier(entity.entity_id, "CALL_SIGN", f[4])
    return facts.linked_to


def read_ofac_csv(path: Path) -> ListImport:
    """Read an OFAC legacy CSV publication (a folder, sdn.csv or cons_prim.csv)."""
    files = locate(path)
    b = ListBuilder(files.source, str(path))
    comments = _comments(files)
    links: list[tuple[str, str, int]] = []
    for line, f in _rows(files.main):
        if len(f) != 12 or not f[0].isdigit():
            b.problem(
                line,
                f"expected 12 fields starting with an entry number, found {len(f)}",
                ",".join(f),
            )
            continue
        linked = _add_entry(b, line, f, comments.get(f[0], ""))
        links.extend((f[0], target, line) for target in linked)
    _read_alt(b, files.alt)
    _read_add(b, files.add)
    _resolve_links(b, links)
    return b.finish(stated_or_named(None, path), "ofac_csv", path)


def _owned_rows(b: ListBuilder, path: Path | None, width: int, what: str) -> Iterator[tuple[str, list[str]]]:
    """Yield (entity id, fields) of a side file's rows; a row of another width or entry is a problem."""
    for line, f in _rows(path) if path else []:
        eid = b.entity_id(f[0]) if f else ""
        if len(f) != width or eid not in b.entities:
            b.problem(line, f"{what} row does not belong to a known entry ({len(f)} fields)", ",".join(f))
            continue
        yield eid, f


def _read_alt(b: ListBuilder, path: Path | None) -> None:
    """Add the aliases of alt.csv."""
    for eid, f in _owned_rows(b, path, 5, "alias"):
        b.add_name(eid, f[3], ALT_TYPES.get(f[2].lower(), "alias"))


def _read_add(b: ListBuilder, path: Path | None) -> None:
    """Add the address countries of add.csv."""
    for eid, f in _owned_rows(b, path, 6, "address"):
        code = country_code(f[4].removeprefix("Region: "))
        if code:
            b.entities[eid].countries.append(code)


def _resolve_links(b: ListBuilder, links: list[tuple[str, str, int]]) -> None:
    """Record 'Linked To:' targets found on the same list as links of unknown share."""
    by_caption = {e.caption.upper(): eid for eid, e in b.entities.items()}
    for local, target, line in links:
        owner = by_caption.get(target.upper().rstrip("."))
        if owner and b.entity_id(local) in b.entities:
            b.add_link(owner, b.entity_id(local), None, line)
