"""OFAC update folders: alias (alt) and address (add) files without a main file, applied to a stored list.

Such a folder adds names and address countries to the entries of the source's stored version; the
result is a new version of that source (its dated folder name, or ``--version``), recorded as any
import. A row for an entry the stored version lacks is a problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import ListError, located
from screening.ingest.countries import normalize_country
from screening.lists.model import ListImport, file_sha256
from screening.lists.ofac_csv import ALT_TYPES, MAIN_FILES, _rows
from screening.lists.version import stated_or_named
from screening.schema import QUARANTINE_COLUMNS, conform
from screening.store import LIST_TABLES, Store

SIDE_FILES: Final[dict[str, tuple[str, str]]] = {
    "alt.csv": ("us_ofac_sdn", "alt"),
    "add.csv": ("us_ofac_sdn", "add"),
    "cons_alt.csv": ("us_ofac_cons", "alt"),
    "cons_add.csv": ("us_ofac_cons", "add"),
}


def is_update_folder(path: Path) -> bool:
    """Return whether a folder holds OFAC alias or address files but no main file."""
    if not path.is_dir():
        return False
    names = {p.name.lower() for p in path.iterdir()}
    return not names & MAIN_FILES and bool(names & set(SIDE_FILES))


def _side_files(path: Path) -> tuple[str, dict[str, Path]]:
    """Return the source an update folder is for and its files by kind (alt, add)."""
    found = {p.name.lower(): p for p in path.iterdir() if p.name.lower() in SIDE_FILES}
    sources = {SIDE_FILES[name][0] for name in found}
    if len(sources) != 1:
        raise ListError(located(str(path), None, "an update folder holds the files of one list (SDN or cons_*)"))
    return sources.pop(), {SIDE_FILES[name][1]: p for name, p in found.items()}


def _stored(store: Store, source: str, table: str) -> pl.DataFrame:
    """Return a stored list table's rows of one source."""
    own = "entity_id IN (SELECT entity_id FROM list_entities WHERE source = ?)"
    where = "source = ?" if table in ("list_entities", "ownership") else own
    return conform(store.frame(f"SELECT * FROM {table} WHERE {where}", [source]), LIST_TABLES[table])


def _side_rows(path: Path | None, width: int, source: str, known: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the rows of a side file that belong to stored entries, and the others as problems."""
    rows = _rows(path) if path else []
    frame = pl.DataFrame(
        {
            "line": [line for line, _ in rows],
            "fields": [f for _, f in rows],
            "raw": [",".join(f) for _, f in rows],
        },
        schema={"line": pl.Int64(), "fields": pl.List(pl.String()), "raw": pl.String()},
    ).with_columns(entity_id=pl.lit(f"{source}:") + pl.col("fields").list.first().fill_null(""))
    good = (pl.col("fields").list.len() == width) & pl.col("entity_id").is_in(known.implode())
    reason = f"update row of another width than {width} fields, or for an entry the stored list lacks"
    bad = frame.filter(~good).select(source_file=pl.lit(str(path)), line="line", reason=pl.lit(reason), raw="raw")
    return frame.filter(good), conform(bad, QUARANTINE_COLUMNS)


def read_update(store: Store, path: Path, version: str | None) -> ListImport:
    """Return the source's stored version with an update folder's aliases and address countries added."""
    source, files = _side_files(path)
    entities = _stored(store, source, "list_entities")
    if entities.height == 0:
        raise ListError(located(str(path), None, f"an update of {source}, but no {source} list is imported"))
    alt, alt_bad = _side_rows(files.get("alt"), 5, source, entities["entity_id"])
    add, add_bad = _side_rows(files.get("add"), 6, source, entities["entity_id"])
    names = _names(_stored(store, source, "list_names"), alt)
    region = pl.col("fields").list.get(4).str.strip_prefix("Region: ")
    countries = add.select("entity_id", code=normalize_country(region))
    new_version = version or stated_or_named(None, path)
    return ListImport(
        source=source,
        list_version=new_version,
        format="ofac_csv_update",
        path=str(path),
        sha256=file_sha256(path),
        entities=_with_countries(entities, countries).with_columns(list_version=pl.lit(new_version)),
        names=names,
        identifiers=_stored(store, source, "list_identifiers"),
        ownership=_stored(store, source, "ownership"),
        problems=pl.concat([alt_bad, add_bad]),
    )


def _names(stored: pl.DataFrame, alt: pl.DataFrame) -> pl.DataFrame:
    """Return the stored names with the update's aliases added once each."""
    kind = pl.col("fields").list.get(2).str.to_lowercase().replace_strict(ALT_TYPES, default="alias")
    new = alt.select(
        "entity_id",
        name=pl.col("fields").list.get(3).str.replace_all(r"\s+", " ").str.strip_chars(),  # as ListBuilder.add_name
        name_type=kind,
        strength=pl.lit("strong"),
    )
    both = pl.concat([stored, new]).filter(pl.col("name") != "")
    return both.unique(["entity_id", "name"], keep="first", maintain_order=True)


def _with_countries(entities: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """Return entities with new country codes appended once each to their ';'-joined countries."""
    added = countries.drop_nulls("code").group_by("entity_id").agg(new=pl.col("code"))
    merged = entities.join(added, on="entity_id", how="left").with_columns(
        countries=pl.concat_list(pl.col("countries").str.split(";").fill_null([]), pl.col("new").fill_null([]))
        .list.unique(maintain_order=True)
        .list.join(";")
    )
    return merged.with_columns(countries=pl.when(pl.col("countries") != "").then("countries")).drop("new")
