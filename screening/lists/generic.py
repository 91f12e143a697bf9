"""The project's generic list CSV: ``entity_id,name`` plus optional columns.

Optional columns are ``schema``, ``source``, ``country``, ``birth_date``, ``name_type`` and
``program``. The list's source (its namespace in the store) is ``generic`` or the name the importer
is given: a ``source`` column is kept in the remarks only, so no row can replace another list's entry.
Rows with the same ``entity_id`` are names of one entity: the first is its primary name, the others
aliases (or what ``name_type`` says).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.textio import dict_rows
from screening.lists.values import country_code, entity_schema, iso_date
from screening.lists.version import stated_or_named

DEFAULT_SOURCE: Final = "generic"
NAME_TYPES: Final = frozenset({"primary", "alias", "weak_alias", "original_script", "former"})


def _entity_id(source: str, local: str) -> str:
    """Return the global id, keeping one that already names its source."""
    return local if local.startswith(f"{source}:") else f"{source}:{local}"


def _add_row(b: ListBuilder, line: int, row: dict[str, str]) -> None:
    """Add one name row, creating its entity on first sight."""
    eid = _entity_id(b.source, row["entity_id"])
    raw = ",".join(row.values())
    if eid not in b.entities:
        said = row.get("source", "")
        b.add_entity(
            Entity(
                eid,
                entity_schema(row.get("schema"), "Unknown"),
                row["name"],
                programs=[row.get("program", "")],
                remarks=f"source column: {said}" if said else None,
            ),
            line,
            raw,
        )
    entity = b.entities.get(eid)
    if entity is None:
        return
    kind = row.get("name_type", "").lower() or "alias"
    if kind not in NAME_TYPES:
        b.problem(line, f"name_type {kind!r} is not one of {sorted(NAME_TYPES)}", raw)
        return
    if not row["name"].strip():
        b.problem(line, f"entry {eid} has an empty name", raw)
        return
    b.add_name(eid, row["name"], kind)
    entity.countries += [country_code(c) or "" for c in re.split(r"[;|]", row.get("country", ""))]
    entity.birth_dates += [d for d in map(iso_date, row.get("birth_date", "").split(";")) if d]


def read_generic_csv(path: Path, source: str = DEFAULT_SOURCE) -> ListImport:
    """Read a generic list CSV as the given source (never one named by a column or the file name)."""
    b = ListBuilder(source, str(path))
    for line, row in dict_rows(path):
        if "__problem__" in row:
            b.problem(line, row["__problem__"], row["__raw__"])
            continue
        if not {"entity_id", "name"} <= row.keys():
            raise ListError(located(str(path), 1, "a list CSV needs the columns entity_id and name"))
        if not row["entity_id"]:
            b.problem(line, "row without an entity_id", ",".join(row.values()))
            continue
        _add_row(b, line, row)
    return b.finish(stated_or_named(None, path), "generic_csv", path)
