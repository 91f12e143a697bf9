"""The list side of matching, built once per watchlist and reused for every batch of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from screening.errors import ListError
from screening.names import acronyms, align, blocking, identifiers, prefilter, titles
from screening.names.lookup import Sorted, hashed
from screening.names.marks import form_marks
from screening.names.normalize import normalize_names
from screening.names.token_sims import rarity
from screening.schema import conform

ENTITY_COLUMNS: Final[dict[str, pl.DataType]] = {
    "entity_id": pl.String(),
    "name": pl.String(),
    "source": pl.String(),
    "entity_schema": pl.String(),
    "countries": pl.String(),
    "birth_dates": pl.String(),
    # issue 18: a name's strength (strong | weak: stricter threshold) and the entity's FtM topics
    "strength": pl.String(),
    "topics": pl.String(),
}
MIN_MAX_DF: Final = 50


@dataclass(frozen=True)
class NameIndex:
    """Normalised distinct list names, their blocking keys, entity rows and identifiers."""

    names: pl.DataFrame  # wid + normal form of each distinct list name
    entities: pl.DataFrame  # one row per (entity, name): ENTITY_COLUMNS
    keys: blocking.KeyTable  # blocking keys and token postings
    ids: pl.DataFrame  # value, id_type, entity_id
    rarity: Sorted  # th, t, rarity: token weights, by the token's hash
    marked: pl.DataFrame  # names with their legal-form marks (:func:`.marks.form_marks`), for every batch
    # the list side of every stage made once, so that a batch costs as its queries and their candidates
    facts: prefilter.Facts  # what the prefilter reads of each name
    tokens: align.Side  # the tokens of every name, as alignment reads them
    first_names: pl.DataFrame  # entity_id, matched_name, source: the name an identifier match shows
    by_wid: Sorted  # the entity rows of each list name by its wid, without the name
    acronyms: pl.DataFrame  # acronym, wid: organisations' names by their initials (:mod:`.acronyms`)
    people: pl.Series  # by wid: whether every entity bearing the name is a person


def _entities(watchlist: pl.DataFrame) -> pl.DataFrame:
    """Return the watchlist with every entity column, missing ones null."""
    missing = [c for c in ("entity_id", "name") if c not in watchlist.columns]
    if missing:
        raise ListError(f"watchlist: missing column(s) {', '.join(missing)}; needs entity_id, name")
    extra = [pl.lit(None, dtype=t).alias(c) for c, t in ENTITY_COLUMNS.items() if c not in watchlist.columns]
    frame = conform(watchlist.with_columns(extra), ENTITY_COLUMNS)
    return frame.filter(pl.col("name").str.strip_chars().fill_null("") != "").unique(maintain_order=True)


def _identifiers(frame: pl.DataFrame | None) -> pl.DataFrame:
    """Return the strong list identifiers as (value, id_type, entity_id)."""
    schema = {"value": pl.String(), "id_type": pl.String(), "entity_id": pl.String()}
    if frame is None or frame.is_empty():
        return pl.DataFrame(schema=schema)
    value = pl.col("value").cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    return (
        frame.select(
            value=value,
            id_type=pl.col("id_type").cast(pl.String).str.to_uppercase(),
            entity_id=pl.col("entity_id").cast(pl.String),
        )
        .filter(pl.col("id_type").is_in(sorted(identifiers.STRONG_TYPES)))
        .filter(pl.col("value").str.len_bytes() >= 5)
        .unique()
    )


def build_index(watchlist: pl.DataFrame, ids: pl.DataFrame | None = None, max_df: int | None = None) -> NameIndex:
    """Build the matching index of a watchlist (one row per name) and its identifiers."""
    entities = _entities(watchlist)
    kinds = entities.select(titles.kind("entity_schema")).to_series()  # only people's names lose titles
    names = normalize_names(entities["name"], kinds).with_row_index("wid")
    cap = max_df if max_df is not None else max(MIN_MAX_DF, names.height // 1000)
    by_wid = _by_wid(entities.with_columns(kind=kinds), names)
    weights, marked = rarity(names, by_wid), form_marks(names, "wid")
    return NameIndex(
        names=names,
        entities=entities,
        keys=blocking.key_table(names, cap),
        ids=_identifiers(ids),
        rarity=Sorted.of(weights.with_columns(hashed("t")), "th"),
        marked=marked,
        facts=prefilter.Facts.of(marked, "wid", prefilter.FORMS, words=True),
        tokens=align.side(marked, "wid", marked["wid"], weights),
        first_names=_first_names(entities),
        by_wid=Sorted.of(by_wid, "wid"),
        acronyms=acronyms.list_keys(names, entities),
        people=names["kind"] == titles.PERSON,  # a wid's entities all share its kind (its name's normal form)
    )


def _by_wid(entities: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Return the entity rows with the wid of their name's normal form (by name and kind) in place of the name."""
    return entities.join(names.select("wid", "kind", name="raw"), on=["name", "kind"]).drop("name", "kind")


def _first_names(entities: pl.DataFrame) -> pl.DataFrame:
    """Return each entity's alphabetically first name and its source: it stands for the entity, whatever the order."""
    return entities.group_by("entity_id").agg(
        matched_name=pl.col("name").min(), source=pl.col("source").sort_by("name").first()
    )
