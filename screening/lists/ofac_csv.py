"""OFAC legacy CSV: SDN (sdn/alt/add/sdn_comments) and consolidated non-SDN (cons_*) files.

The files have no header (a header row some downloads add is skipped); ``-0-`` means empty. The
main file's columns are ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
GRT, Vess_flag, Vess_owner, Remarks: a title is not an identifier, a vessel's call sign is. The main
file's remarks stop at 1,000 characters and go on in the comments file, so both are joined before the
remarks are read.
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
MAIN_FILES: Final = frozenset({"sdn.csv", "cons_prim.csv"})
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


def _publication(main: Path) -> tuple[str, str]:
    """Return (source, side-file prefix) of a main file: OFAC names the non-SDN files cons_*."""
    return ("us_ofac_cons", "cons_") if main.name.lower().startswith("cons") else ("us_ofac_sdn", "")


def locate(path: Path) -> OfacFiles:
    """Return the publication's files from a folder or from its main file (of any name)."""
    folder = path if path.is_dir() else path.parent
    main = path if path.is_file() else (_find(folder, "sdn.csv") or _find(folder, "cons_prim.csv"))
    if main is None:
        raise ListError(located(str(path), None, "no sdn.csv or cons_prim.csv found for OFAC CSV"))
    source, prefix = _publication(main)
    if main.name.lower() not in MAIN_FILES:  # a renamed main file: no side files can be told apart
        return OfacFiles(source, main, None, None, None)
    comments = "sdn_comments.csv" if not prefix else "cons_comments.csv"
    return OfacFiles(
        source, main, _find(folder, f"{prefix}alt.csv"), _find(folder, f"{prefix}add.csv"), _find(folder, comments)
    )


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Return the rows of a headerless OFAC file with -0- read as empty."""
    return [(line, [("" if f.strip() == "-0-" else f.strip()) for f in fields]) for line, fields in csv_rows(path)]


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
    b.add_identifier(entity.entity_id, "CALL_SIGN", f[5])  # f[4] is a title, not an identifier
    return facts.linked_to


def read_ofac_csv(path: Path) -> ListImport:
    """Read an OFAC legacy CSV publication (a folder, sdn.csv or cons_prim.csv)."""
    files = locate(path)
    b = ListBuilder(files.source, str(path))
    comments = _comments(files)
    links: list[tuple[str, str, int]] = []
    for line, f in _rows(files.main):
        if line == 1 and len(f) == 12 and not f[0].isdigit():
            continue  # a header row some downloads carry (ent_num, SDN_Name, …)
        if len(f) != 12 or not f[0].isdigit():
            found = f"{len(f)} fields" if len(f) != 12 else f"entry number {f[0]!r}"
            b.problem(line, f"expected 12 fields starting with an entry number, found {found}", ",".join(f))
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
