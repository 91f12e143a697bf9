"""The result of reading a list file, and the builder every importer fills row by row.

A builder keeps the invariants all importers share: entity ids are ``<source>:<id>``, an entity
appears once (a repeated id is reported, not merged), names are never empty and are kept once per
entity, identifiers are normalised, and every skipped row is written to ``problems``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl

from screening.lists.values import ID_TYPES, normalize_identifier
from screening.schema import QUARANTINE_COLUMNS
from screening.store import LIST_TABLES

RAW_LIMIT: Final = 1000


@dataclass
class ListImport:
    """A list file read into the store's list tables."""

    source: str
    list_version: str
    format: str
    path: str
    sha256: str
    entities: pl.DataFrame
    names: pl.DataFrame
    identifiers: pl.DataFrame
    ownership: pl.DataFrame
    problems: pl.DataFrame


@dataclass
class Entity:
    """One list entry while it is being built."""

    entity_id: str
    entity_schema: str
    caption: str
    programs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    listed_on: date | None = None
    remarks: str | None = None
    listed: bool = True  # false for entities a list names as context (owned companies, relatives)
    topics: list[str] = field(default_factory=list)  # FtM topics; empty for a sanctions list's entry


def _unique(values: list[str]) -> list[str]:
    """Return the non-empty values once each, in first-seen order."""
    return list(dict.fromkeys(v for v in values if v))


class ListBuilder:
    """Collects entities, names, identifiers, links and problems for one list file."""

    def __init__(self, source: str, path: str) -> None:
        self.source = source
        self.path = path
        self.entities: dict[str, Entity] = {}
        self.names: dict[tuple[str, str], tuple[str, str]] = {}
        self.identifiers: dict[tuple[str, str, str], str] = {}
        self.links: list[dict[str, Any]] = []
        self.problems: list[dict[str, Any]] = []

    def entity_id(self, local_id: str) -> str:
        """Return the global id of a list-local id."""
        return f"{self.source}:{local_id.strip()}"

    def problem(self, line: int | None, reason: str, raw: str = "") -> None:
        """Record a skipped row or value."""
        self.problems.append({"source_file": self.path, "line": line, "reason": reason, "raw": raw[:RAW_LIMIT]})

    def add_entity(self, entity: Entity, line: int | None, raw: str = "") -> Entity | None:
        """Add an entity with its caption as primary name; report and skip duplicates."""
        caption = " ".join(entity.caption.split())
        if not caption:
            self.problem(line, f"entry {entity.entity_id} has an empty name", raw)
            return None
        if entity.entity_id in self.entities:
            self.problem(line, f"duplicate id {entity.entity_id}; the first entry is kept", raw)
            return None
        entity.caption = caption
        self.entities[entity.entity_id] = entity
        self.add_name(entity.entity_id, caption, "primary")
        return entity

    def add_name(self, entity_id: str, name: str | None, name_type: str) -> None:
        """Add a name unless it is empty or already known for the entity."""
        clean = " ".join((name or "").split())
        if not clean or (entity_id, clean) in self.names:
            return
        strength = "weak" if name_type == "weak_alias" else "strong"
        self.names[(entity_id, clean)] = (name_type, strength)

    def add_identifier(self, entity_id: str, id_type: str, raw: str | None) -> None:
        """Add a normalised identifier; unknown types become OTHER."""
        value = normalize_identifier(raw or "")
        if id_type == "IMO":
            value = value.removeprefix("IMO")
        if not value:
            return
        kind = id_type if id_type in ID_TYPES else "OTHER"
        self.identifiers.setdefault((entity_id, kind, value), (raw or "").strip())

    def add_link(self, owner_id: str, owned_id: str, share: float | None, line: int | None) -> None:
        """Add an ownership (or control) link; share is a fraction or None when unknown."""
        self.links.append(
            {
                "owner_id": owner_id,
                "owned_id": owned_id,
                "share": share,
                "source": self.source,
                "source_file": self.path,
                "line": line,
            }
        )

    def finish(self, list_version: str, fmt: str, path: Path) -> ListImport:
        """Return the collected rows as a ListImport."""
        return ListImport(
            source=self.source,
            list_version=list_version,
            format=fmt,
            path=str(path),
            sha256=file_sha256(path),
            entities=self._entity_frame(list_version),
            names=self._frame("list_names", self._name_rows()),
            identifiers=self._frame("list_identifiers", self._identifier_rows()),
            ownership=self._frame("ownership", self.links),
            problems=pl.DataFrame(self.problems, schema=QUARANTINE_COLUMNS),
        )

    def _entity_frame(self, list_version: str) -> pl.DataFrame:
        """Return the entities as a list_entities frame."""
        rows = [
            {
                "entity_id": e.entity_id,
                "source": self.source,
                "list_version": list_version,
                "entity_schema": e.entity_schema,
                "caption": e.caption,
                "programs": "; ".join(_unique(e.programs)) or None,
                "countries": ";".join(_unique(e.countries)) or None,
                "birth_dates": ";".join(_unique(e.birth_dates)) or None,
                "listed_on": e.listed_on,
                "remarks": e.remarks,
                "listed": e.listed,
                "topics": ";".join(_unique(e.topics)) or None,
            }
            for e in self.entities.values()
        ]
        return self._frame("list_entities", rows)

    def _name_rows(self) -> list[dict[str, Any]]:
        """Return name rows of known entities."""
        return [
            {"entity_id": eid, "name": name, "name_type": kind, "strength": strength}
            for (eid, name), (kind, strength) in self.names.items()
            if eid in self.entities
        ]

    def _identifier_rows(self) -> list[dict[str, Any]]:
        """Return identifier rows of known entities."""
        return [
            {"entity_id": eid, "id_type": kind, "value": value, "raw": raw}
            for (eid, kind, value), raw in self.identifiers.items()
            if eid in self.entities
        ]

    @staticmethod
    def _frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
        """Return rows as a frame with exactly the columns of a store table."""
        return pl.DataFrame(rows, schema=LIST_TABLES[table])


def with_version(imp: ListImport, version: str | None) -> ListImport:
    """Return the import recorded as the given version, or unchanged when none is given."""
    if not version:
        return imp
    entities = imp.entities.with_columns(pl.lit(version).alias("list_version"))
    return replace(imp, list_version=version, entities=entities)


def list_files(path: Path) -> list[Path]:
    """Return a list file, or a directory's files in name order."""
    return sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]


def _feed(digest: Any, path: Path) -> Any:
    """Add a file's bytes to a hash, a megabyte at a time, and return the hash."""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, or of a directory's files in name order."""
    digest = hashlib.sha256()
    for item in list_files(path):
        _feed(digest, item)
    return digest.hexdigest()


def file_hashes(path: Path) -> list[dict[str, str]]:
    """Return the name and SHA-256 of a file, or of each of a directory's files in name order."""
    return [{"name": f.name, "sha256": _feed(hashlib.sha256(), f).hexdigest()} for f in list_files(path)]
