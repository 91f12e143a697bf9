"""Build the real name-matching development set from the public list files into ``dev/``.

Run: ``python benchmarks/names/devset.py [--data DIR] [--out DIR]``. Reads only the real data in
``../shared/data`` (list files and ``names_dev/``, nothing our generator wrote) and writes, in a
stable order so that a rebuild is byte-identical:

- ``queries.csv``: one row per query (task, query_id, name, schema, country, birth_date,
  expected_entity (';'-joined, empty for a clean query), name_type, script, split);
- ``watchlist.csv``: the list sides (list, entity_id, name, name_type, entity_schema, source,
  countries, birth_dates); ``tasks.json`` says which lists and name types each task screens against;
- ``pairs.csv``: reference scores of labelled pairs (OFAC's search score, Watchman's minimum).

Queries are split by entity (a stable hash of the expected entity, or of a clean query's key) into
``fit`` (about 60 %) and a frozen ``eval`` part (about 40 %) that nothing is fitted on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import polars as pl
import pycountry

sys.path.insert(0, str(Path(__file__).parent))
import perturb
import variants

from screening import read_list
from screening.errors import ScreeningError
from screening.lists import watchlist_from_import
from screening.lists.values import country_code
from screening.names import normalize_names

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / ".." / "shared" / "data"
FIT_SHARE = 60  # percent of entities in the fitting part
LIST_FILES = {
    "sdn": "lists/ofac_sdn_csv_2021-07",
    "cons": "lists/ofac_cons_nonsdn_csv_2025-12",
    "un": "lists/un_consolidated_2026-02-27_excerpt.xml",
    "csl": "lists/us_csl_2019-12.csv",
    "bis": "lists/bis_dpl_2022-09.txt",
    "ftm_t1": "lists/opensanctions_ftm/t1_entities.ftm.json",
    "ftm_zala": "lists/opensanctions_ftm/zala_entities.ftm.json",
}
REAL_LISTS = ("sdn", "cons", "un", "csl", "bis", "ftm_t1", "ftm_zala")
PRIMARY = ["primary"]
LATIN_NAMES = ["primary", "alias", "weak_alias", "former"]
STRONG = ["primary", "alias"]
OTHERS_LISTS = ("sdn", "cons", "un", "csl", "bis")  # the lists whose names are asked against their other entities
TASKS: dict[str, dict[str, object]] = {
    "ofac_alias": {"lists": ["sdn"], "name_types": PRIMARY, "role": "match"},
    "ofac_alias_qualified": {"lists": ["sdn"], "name_types": PRIMARY, "role": "match"},
    "ofac_cons_alias": {"lists": ["cons"], "name_types": PRIMARY, "role": "match"},
    "un_script": {"lists": ["un"], "name_types": LATIN_NAMES, "role": "match"},
    "ftm_multilingual": {"lists": ["ftm_t1", "ftm_zala"], "name_types": PRIMARY, "role": "match"},
    "csl_alias": {"lists": ["csl"], "name_types": PRIMARY, "role": "match"},
    "cross_script": {"lists": ["cross_script"], "name_types": None, "role": "match"},
    "putin": {"lists": ["sdn", "putin"], "name_types": PRIMARY, "role": "match"},
    "ofac_fixtures": {"lists": ["ofac_fixtures"], "name_types": None, "role": "reference"},
    "clean_people": {"lists": list(REAL_LISTS), "name_types": None, "role": "clean"},
    "list_others": {"lists": list(OTHERS_LISTS), "name_types": STRONG, "role": "clean", "same_list": True},
    "perturbed_real": {"lists": list(OTHERS_LISTS[:4]), "name_types": STRONG, "role": "match", "same_list": True},
    # real listed people with one named change each, against every name of every real list (like clean_people):
    # their own role, neither pooled nor fitted on
    "perturbed_people": {"lists": list(REAL_LISTS), "name_types": None, "role": "perturbed"},
    "perturbed_entities": {"lists": list(REAL_LISTS), "name_types": None, "role": "perturbed"},
    # the script tasks again against every Latin name of every real list (what an independent evaluation
    # screens against): their own role, so that neither the pooled figures nor the fit count them twice
    "un_script_all": {"lists": list(REAL_LISTS), "name_types": LATIN_NAMES, "role": "all_lists"},
    "cross_script_all": {"lists": [*REAL_LISTS, "cross_script"], "name_types": LATIN_NAMES, "role": "all_lists"},
    "putin_all": {"lists": [*REAL_LISTS, "putin"], "name_types": LATIN_NAMES, "role": "all_lists"},
}
PEOPLE_LISTS = ("sdn", "un")  # the lists whose people perturbed_people changes
PEOPLE_CLASSES = 3  # perturbations per person (of the applicable ones, drawn by a seed of the entity)
ENTITY_CLASSES = 2  # perturbations per organisation
PERTURBED_SHARE = 40  # percent of the fit split's entities of the perturbed lists given one perturbed query
NAME_OPS: Final = {"typo": variants.typo, "two_typos": variants.two_typos}
PERSON_OPS: Final = {"reorder": variants.reorder, "initials": variants.initials, "drop_middle": variants.drop_middle}
DATE_OPS: Final = {
    "year_off": variants.year_off,
    "day_month_swapped": variants.day_month_swapped,
    "year_only": variants.year_only_day,
}
QUERY_COLUMNS = (
    "task",
    "query_id",
    "name",
    "schema",
    "country",
    "birth_date",
    "expected_entity",
    "equivalent",
    "name_type",
    "origin",
)
WATCH_COLUMNS = ("list", "entity_id", "name", "name_type", "entity_schema", "source", "countries", "birth_dates")
OFAC_MATCH_SCORE = 100  # OFAC Sanctions List Search's default minimum name score
OTHER_NAMES = {"East Timor": "TL"}  # names neither the ingestion table nor pycountry knows
PUTIN = {
    "entity_id": "devset:putin",
    "name": "PUTIN, Vladimir Vladimirovich",
    "countries": "RU",
    "birth_dates": "1952-10-07",
}


def stable_hash(text: str) -> int:
    """Return a platform-independent integer hash of a text."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def split_of(key: str) -> str:
    """Return ``fit`` or ``eval`` for an entity key, about 60/40."""
    return "fit" if stable_hash(key) % 100 < FIT_SHARE else "eval"


def query_id(task: str, *parts: str) -> str:
    """Return a stable query id from its task and the facts that make it."""
    return f"{task}:{hashlib.sha256('|'.join(parts).encode()).hexdigest()[:12]}"


def script_of(name: str) -> str:
    """Return the first non-Latin script among a name's letters, or LATIN."""
    for ch in name:
        if ch.isalpha():
            word = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            if word not in ("LATIN", "MODIFIER"):
                return "HAN" if word == "CJK" else word
    return "LATIN"


def list_frame(data: Path, key: str) -> pl.DataFrame:
    """Return every name of one real list file with its entity's attributes and name type."""
    imp = read_list(data / LIST_FILES[key])
    watch = watchlist_from_import(imp).drop("list_version", strict=False)
    types = imp.names.select("entity_id", "name", "name_type").unique(["entity_id", "name"], keep="first")
    frame = watch.join(types, on=["entity_id", "name"], how="left").with_columns(list=pl.lit(key))
    return frame.select(WATCH_COLUMNS).unique(["entity_id", "name"], keep="first", maintain_order=True)


def alias_queries(task: str, frame: pl.DataFrame, query_types: Iterable[str]) -> pl.DataFrame:
    """Return the non-primary names of a list as queries for their own entity."""
    rows = frame.filter(pl.col("name_type").is_in(list(query_types)))
    primaries = frame.filter(pl.col("name_type") == "primary").select("entity_id", p=pl.col("name").str.to_uppercase())
    rows = rows.join(primaries, on="entity_id", how="left").filter(pl.col("name").str.to_uppercase() != pl.col("p"))
    twins = primaries.group_by("p").agg(twins=pl.col("entity_id"))
    rows = rows.join(twins, on="p", how="left").with_columns(u=pl.col("name").str.to_uppercase())
    rows = rows.join(twins.rename({"p": "u", "twins": "named"}), on="u", how="left")
    # entities a name cannot tell apart: the same primary name, or a primary name equal to the query
    both = pl.concat_list(pl.col("twins").fill_null([]), pl.col("named").fill_null([]))
    others = both.list.set_difference(pl.concat_list("entity_id")).list.unique().list.sort().list.join(";")
    schema = pl.when(pl.col("entity_schema") == "Unknown").then(None).otherwise(pl.col("entity_schema"))
    return rows.select(
        task=pl.lit(task),
        name="name",
        schema=schema,
        country=pl.lit(None, pl.String),
        birth_date=pl.lit(None, pl.String),
        expected_entity="entity_id",
        equivalent=pl.when(others != "").then(others),
        name_type="name_type",
    ).unique(["expected_entity", "name"], keep="first", maintain_order=True)


def qualified_queries(frame: pl.DataFrame) -> pl.DataFrame:
    """Return one strong alias per listed person with a birth date, carrying its first birth date and country.

    A customer record of a listed person as a screening system would see it: another of the
    person's names, with the birth date and a country the list gives for them.
    """
    people = frame.filter((pl.col("entity_schema") == "Person") & pl.col("birth_dates").is_not_null())
    facts = people.filter(pl.col("name_type") == "primary").select(
        expected_entity="entity_id",
        b=pl.col("birth_dates").str.split(";").list.first(),
        c=pl.col("countries").str.split(";").list.first(),
    )
    asked = alias_queries("ofac_alias_qualified", people, ["alias"]).join(facts, on="expected_entity")
    return asked.with_columns(birth_date="b", country="c").drop("b", "c")


def _first(column: str) -> pl.Expr:
    """Return the first of a ';'-joined column's values."""
    return pl.col(column).str.split(";").list.first()


def _name_key(frame: pl.DataFrame) -> pl.DataFrame:
    """Return a frame with ``u``: its names in the matcher's own order-free phonetic key, legal forms left out.

    Names equal under it (``AL-HARAMAYN ~ AL HARAMAIN``, ``SMILE PROPERTY AND TRAVEL LTD. ~ SMILE
    PROPERTY & TRAVEL LTD``) no name matcher can be asked to tell apart.
    """
    keys = normalize_names(frame["name"].unique().sort()).select(name="raw", u="sorted")
    return frame.join(keys, on="name", how="left")


def _same_name(frame: pl.DataFrame) -> pl.DataFrame:
    """Return, per name key, the entities bearing it with their first birth year."""
    return frame.select("u", other="entity_id", other_year=_first("birth_dates").str.slice(0, 4)).unique(
        maintain_order=True
    )


def others_queries(frame: pl.DataFrame) -> pl.DataFrame:
    """Return each strong name of a list as a clean query against the list's other entities (every alert false).

    Two entries of one list are two parties. The query carries its entity's first birth date, not
    its country: near names within one list share their country far more often than a customer
    shares a listed party's (a bank's branches, one family), so a country agreeing there would be
    learnt as a sign of another party. Its own entity, and another whose name the matcher's key
    cannot tell from it (:func:`_name_key`) and no birth year tells apart (either lacks one, or they
    share it), count neither way (``equivalent``).
    """
    rows = _name_key(frame.filter(pl.col("name_type").is_in(STRONG))).with_columns(
        year=_first("birth_dates").str.slice(0, 4)
    )
    named = rows.join(_same_name(rows), on="u").filter(
        (pl.col("other") == pl.col("entity_id"))
        | pl.col("year").is_null()
        | pl.col("other_year").is_null()
        | (pl.col("year") == pl.col("other_year"))
    )
    same = named.group_by("entity_id", "name").agg(pl.col("other").unique().sort().str.join(";"))
    schema = pl.when(pl.col("entity_schema") == "Unknown").then(None).otherwise(pl.col("entity_schema"))
    return (
        rows.join(same, on=["entity_id", "name"], how="left")
        .select(
            name="name",
            schema=schema,
            country=pl.lit(None, pl.String),
            birth_date=_first("birth_dates"),
            expected_entity=pl.lit(None, pl.String),
            equivalent="other",
            name_type="name_type",
            origin="entity_id",
        )
        .unique(["origin", "name"], keep="first", maintain_order=True)
    )


def _perturbed(row: dict[str, str | None]) -> tuple[str, str, str | None] | None:
    """Return one perturbation of a list entity's primary name or birth date: (operation, name, birth date)."""
    rng = random.Random(stable_hash(f"perturbed_real|{row['entity_id']}|{row['name']}"))
    birth = (row["birth_dates"] or "").split(";")[0] or None
    ops: list[tuple[str, str, str | None]] = []
    person = row["entity_schema"] == "Person"
    for op, change in (NAME_OPS | PERSON_OPS if person else NAME_OPS).items():
        name = change(str(row["name"]), rng)
        if name and name != row["name"]:
            ops.append((op, name, birth if rng.random() < 0.5 else None))
    for op, shift in DATE_OPS.items():
        date = shift(birth, rng) if birth and person else None
        if date:
            ops.append((op, str(row["name"]), date))
    return rng.choice(ops) if ops else None


def twins(queries: pl.DataFrame, side: pl.DataFrame) -> pl.DataFrame:
    """Return queries with ``equivalent`` widened by the list side's other entities bearing one of their entity's names.

    The name in the matcher's key (:func:`_name_key`) with no birth year telling them apart, as in
    :func:`others_queries`: the same party listed by another list (UN and OFAC list one person
    under one name) or a namesake no name matcher can tell apart counts neither way.
    """
    keyed = _name_key(side.filter(pl.col("name_type").is_in(LATIN_NAMES))).select("u", "entity_id", "birth_dates")
    own = keyed.join(queries.select(entity_id="expected_entity").unique(), on="entity_id", how="semi")
    own = own.with_columns(year=_first("birth_dates").str.slice(0, 4))
    same = own.join(_same_name(keyed), on="u").filter(
        (pl.col("other") != pl.col("entity_id"))
        & (pl.col("year").is_null() | pl.col("other_year").is_null() | (pl.col("year") == pl.col("other_year")))
    )
    found = same.group_by("entity_id").agg(found=pl.col("other").unique())
    joined = queries.join(found.rename({"entity_id": "expected_entity"}), on="expected_entity", how="left")
    every = pl.concat_list(pl.col("equivalent").str.split(";").fill_null([]), pl.col("found").fill_null([]))
    merged = every.list.unique().list.sort().list.join(";")
    return joined.with_columns(equivalent=pl.when(merged != "").then(merged)).drop("found")


def perturbed_queries(frame: pl.DataFrame) -> pl.DataFrame:
    """Return generated perturbations of the fit split's real primary names, each expecting its own entity.

    ``PERTURBED_SHARE`` percent of a list's fit-split entities get one: a typo or two; for a person
    also the words reordered, a given name cut to an initial, a middle name dropped (the birth date
    kept or not), or the exact name with its birth year one off, day and month swapped, or a full
    date where the list gives a year only (a company's words are not reordered nor dropped: that
    names another company as often as not). The operation is the query's ``name_type``. Only fit-split entities are
    perturbed: the frozen eval split stays real. Another entity whose name the matcher's key cannot
    tell from the original (:func:`others_queries`) counts neither way.
    """
    primary = frame.filter(pl.col("name_type") == "primary").unique("entity_id", keep="first", maintain_order=True)
    equivalent = others_queries(frame).select("origin", "name", "equivalent")
    rows = []
    for row in primary.iter_rows(named=True):
        chosen = stable_hash(f"perturbed_real|{row['entity_id']}") % 100 < PERTURBED_SHARE
        made = _perturbed(row) if chosen and split_of(row["entity_id"]) == "fit" else None
        if made:  # half the queries carry the entity's first country
            rows.append((row["entity_id"], row["name"], *made, stable_hash(f"country|{row['entity_id']}") % 2 == 0))
    columns = ["origin", "listed", "name_type", "name", "birth_date", "keep"]
    asked = pl.DataFrame(rows, schema=columns, orient="row")
    facts = primary.select(origin="entity_id", schema="entity_schema", country=_first("countries"))
    asked = asked.join(facts, on="origin").join(
        equivalent.rename({"name": "listed"}), on=["origin", "listed"], how="left"
    )
    return asked.select(
        name="name",
        schema=pl.when(pl.col("schema") == "Unknown").then(None).otherwise(pl.col("schema")),
        country=pl.when("keep").then(pl.col("country")),
        birth_date="birth_date",
        expected_entity="origin",
        equivalent=pl.col("equivalent").str.split(";").list.set_difference(pl.concat_list("origin")).list.join(";"),
        name_type="name_type",
        origin="origin",
    ).with_columns(equivalent=pl.when(pl.col("equivalent") != "").then(pl.col("equivalent")))


def people_queries(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``PEOPLE_CLASSES`` named perturbations of each listed person with a birth date and a country.

    The query is the person's real primary name with the list's first birth date and first
    country (a customer record of the listed person), changed in one way (:mod:`perturb`); the
    perturbation is the query's ``name_type`` and every query expects its own entity.
    """
    people = frame.filter(
        (pl.col("entity_schema") == "Person") & pl.col("birth_dates").is_not_null() & pl.col("countries").is_not_null()
    )
    return subject_queries(people, "perturbed_people", perturb.PERTURBATIONS, PEOPLE_CLASSES)


def entity_queries(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``ENTITY_CLASSES`` named perturbations of each listed organisation with a country, as for people."""
    entities = frame.filter((pl.col("entity_schema") == "Organization") & pl.col("countries").is_not_null())
    return subject_queries(entities, "perturbed_entities", perturb.ENTITY_PERTURBATIONS, ENTITY_CLASSES)


def subject_queries(frame: pl.DataFrame, task: str, ops: dict[str, perturb.Perturbation], classes: int) -> pl.DataFrame:
    """Return up to ``classes`` perturbations (of ``ops``) of each primary record, each expecting its entity."""
    primary = frame.filter(pl.col("name_type") == "primary").unique("entity_id", keep="first", maintain_order=True)
    facts = primary.select("entity_id", "name", _first("birth_dates"), _first("countries"), "entity_schema")
    rows = [
        (made[0], made[1], made[2], entity, op, schema, name)
        for entity, name, birth, country, schema in facts.iter_rows()
        for op, made in perturb.perturbed(f"{task}|{entity}", (name, birth, country), classes, ops)
    ]
    columns = ("name", "birth_date", "country", "expected_entity", "name_type", "schema", "listed")
    asked = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String()), orient="row")
    # a changed name that is another of the entity's own listed names (an alias) is no perturbation
    own = frame.select(expected_entity="entity_id", u=_spelt("name")).unique()
    alias = asked.with_columns(u=_spelt("name")).join(own, on=["expected_entity", "u"], how="semi")
    asked = asked.join(
        alias.filter(pl.col("u") != _spelt("listed")),
        on=["expected_entity", "name_type"],
        how="anti",
        maintain_order="left",
    )
    return asked.select(
        "name",
        "schema",
        "country",
        "birth_date",
        "expected_entity",
        equivalent=pl.lit(None, pl.String),
        name_type="name_type",
        origin="expected_entity",
    )


def _spelt(column: str) -> pl.Expr:
    """Return a name column upper-cased with its spaces collapsed (names that differ in case alone are one)."""
    return pl.col(column).str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()


def one_per_entity(queries: pl.DataFrame) -> pl.DataFrame:
    """Return the query of each expected entity with the smallest (hash-made) query id."""
    return queries.sort("query_id").unique("expected_entity", keep="first").sort("query_id")


def query_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Return query rows built in Python as a frame of the query columns."""
    schema = {c: pl.String() for c in QUERY_COLUMNS if c != "task"}
    return pl.DataFrame(rows, schema=schema)


def cross_script(data: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return the Watchman cross-script pairs as queries, their Latin forms as a list, and their minimum scores."""
    lines = (data / "names_dev" / "cross_script_pairs.csv").read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    table = pl.read_csv("\n".join(body).encode(), has_header=False, new_columns=["q", "latin", "min", "what"])
    table = table.with_columns(
        entity_id=pl.lit("cross_script:") + pl.col("latin").str.to_lowercase().str.replace_all(" ", "_")
    )
    rows = [
        {
            "name": q,
            "expected_entity": e,
            "name_type": "cross_script",
            "schema": None,
            "country": None,
            "birth_date": None,
        }
        for q, e in table.select("q", "entity_id").iter_rows()
    ]
    queries = query_frame(rows)
    watch = table.select(entity_id="entity_id", name="latin", name_type=pl.lit("primary")).unique(
        "entity_id", keep="first", maintain_order=True
    )
    pairs = table.select(
        q="q", entity_id="entity_id", ref_score=pl.col("min").cast(pl.Float64), ref=pl.lit("watchman_min_score")
    )
    return queries, watch, pairs


def putin(data: Path, real: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """Return the 77 spellings of Putin's name as queries, the list entry they expect, and which entry it is."""
    names = [
        s.strip()
        for s in (data / "names_dev" / "putin_names.txt").read_text(encoding="utf-8").splitlines()
        if s.strip()
    ]
    listed = real.filter(
        pl.col("name").str.to_uppercase().str.contains(r"\bPUTIN\b") & (pl.col("entity_schema") == "Person")
    )
    listed = listed.filter(pl.col("name").str.to_uppercase().str.contains("VLADIMIR"))
    if listed.height:
        entity, note = listed["entity_id"][0], f"the real list entry {listed['entity_id'][0]}"
        watch = pl.DataFrame(schema={c: pl.String() for c in WATCH_COLUMNS})
    else:
        entity, note = PUTIN["entity_id"], "no real list file here lists him: one added entry, his Latin primary name"
        watch = pl.DataFrame(
            [{**PUTIN, "list": "putin", "name_type": "primary", "entity_schema": "Person", "source": "devset"}]
        )
    rows = [
        {
            "name": n,
            "expected_entity": entity,
            "name_type": "spelling",
            "schema": "Person",
            "country": None,
            "birth_date": None,
        }
        for n in dict.fromkeys(names)
    ]
    return query_frame(rows), watch.select(WATCH_COLUMNS), note


def ofac_fixtures(data: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return OFAC's search fixtures: distinct queries, the listed names as entities, OFAC's score per pair."""
    table = pl.read_csv(data / "names_dev" / "ofac_fixtures.csv", infer_schema=False).with_columns(
        pl.col("ofac_score").str.strip_chars().cast(pl.Int64),
        entity_id=pl.lit("ofac_fixtures:")
        + pl.col("result_name").map_elements(lambda s: query_id("n", s)[2:], pl.String),
    )
    positive = table.filter(pl.col("ofac_score") >= OFAC_MATCH_SCORE)
    expected = positive.group_by("query_name").agg(pl.col("entity_id").sort().str.join(";"))
    queries = table.select("query_name").unique(maintain_order=True).join(expected, on="query_name", how="left")
    queries = queries.select(
        name="query_name",
        schema=pl.lit(None, pl.String),
        country=pl.lit(None, pl.String),
        birth_date=pl.lit(None, pl.String),
        expected_entity="entity_id",
        name_type=pl.lit("ofac_search"),
    )
    watch = table.select("entity_id", name="result_name", name_type=pl.lit("primary")).unique(
        "entity_id", keep="first", maintain_order=True
    )
    pairs = table.select(
        q="query_name",
        entity_id="entity_id",
        ref_score=pl.col("ofac_score").cast(pl.Float64),
        ref=pl.lit("ofac_search_score"),
    )
    return queries, watch, pairs


def nationality_code(name: str) -> str | None:
    """Return the ISO-2 code of a nationality: the ingestion table, then pycountry's fuzzy search."""
    code = country_code(name) or OTHER_NAMES.get(name)
    if code:
        return code
    try:
        found = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    return str(found[0].alpha_2)


def clean_people(data: Path) -> pl.DataFrame:
    """Return the 2,000 unlisted people of yente's validation data as clean queries with birth date and nationality."""
    frames = []
    for part in ("global", "us"):
        raw = pl.read_csv(data / "names_dev" / f"valrep_negatives_{part}.csv", infer_schema=False).with_row_index(
            "line", offset=2
        )
        codes = {n: nationality_code(n) for n in raw["nationality"].drop_nulls().unique().sort()}
        frames.append(
            raw.select(
                name="full_name",
                schema=pl.lit("Person"),
                country=pl.col("nationality").replace_strict(codes, default=None),
                birth_date="date_of_birth",
                expected_entity=pl.lit(None, pl.String),
                name_type=pl.lit("clean"),
                origin=pl.lit(f"valrep_negatives_{part}.csv:") + pl.col("line").cast(pl.String),
            )
        )
    return pl.concat(frames)


def finish(task: str, queries: pl.DataFrame, origin: str, *, by_type: bool = False) -> pl.DataFrame:
    """Return a task's queries with their task, origin, stable id and split, in the query columns.

    ``by_type`` puts the query's ``name_type`` in its id too (several queries of one entity and name).
    """
    if "origin" not in queries.columns:
        queries = queries.with_columns(origin=pl.lit(origin))
    if "equivalent" not in queries.columns:
        queries = queries.with_columns(equivalent=pl.lit(None, pl.String))
    single = pl.when(pl.col("expected_entity").str.contains(";")).then(None).otherwise(pl.col("expected_entity"))
    clean = pl.when(pl.col("expected_entity").is_null()).then(pl.col("origin"))
    key = pl.coalesce(single, clean, pl.col("name"))
    framed = queries.with_columns(task=pl.lit(task), _key=key)
    kinds = framed["name_type"] if by_type else pl.Series([None] * framed.height, dtype=pl.String)
    ids = [
        query_id(task, k, n, *([t] if t else []))
        for (k, n), t in zip(framed.select("_key", "name").iter_rows(), kinds, strict=True)
    ]
    splits = [split_of(k) for k in framed["_key"]]
    scripts = [script_of(n) for n in framed["name"]]
    framed = framed.with_columns(query_id=pl.Series(ids), split=pl.Series(splits), script=pl.Series(scripts))
    return framed.select([*QUERY_COLUMNS, "script", "split"]).cast(pl.String)


def real_lists(data: Path) -> dict[str, pl.DataFrame]:
    """Return every real list file's names, by list key."""
    return {key: list_frame(data, key) for key in REAL_LISTS}


def list_tasks(lists: dict[str, pl.DataFrame]) -> list[pl.DataFrame]:
    """Return the tasks made from the list files: aliases against primary names, scripts against Latin names."""
    other = ["alias", "weak_alias", "former"]
    ftm = pl.concat([lists["ftm_t1"], lists["ftm_zala"]])
    un = lists["un"]
    return [
        finish("ofac_alias", alias_queries("ofac_alias", lists["sdn"], other), "sdn/alt.csv"),
        one_per_entity(finish("ofac_alias_qualified", qualified_queries(lists["sdn"]), "sdn/alt.csv")),
        finish("ofac_cons_alias", alias_queries("ofac_cons_alias", lists["cons"], other), "cons_alt.csv"),
        finish("un_script", alias_queries("un_script", un, ["original_script"]), "un NAME_ORIGINAL_SCRIPT"),
        finish("ftm_multilingual", alias_queries("ftm_multilingual", ftm, other), "opensanctions_ftm"),
        finish("csl_alias", alias_queries("csl_alias", lists["csl"], other), "us_csl alt_names"),
        finish("list_others", pl.concat([others_queries(lists[k]) for k in OTHERS_LISTS]), "own list"),
        finish("perturbed_real", pl.concat([perturbed_queries(lists[k]) for k in OTHERS_LISTS[:4]]), "own list"),
    ]


def build(data: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """Return the development set's queries, list sides, reference pair scores and notes."""
    lists = real_lists(data)
    real = pl.concat(list(lists.values()))
    cs_q, cs_w, cs_p = cross_script(data)
    pu_q, pu_w, note = putin(data, real)
    of_q, of_w, of_p = ofac_fixtures(data)
    cs_side, of_side = (made_list(k, w) for k, w in (("cross_script", cs_w), ("ofac_fixtures", of_w)))
    queries = pl.concat(
        [
            *list_tasks(lists),
            finish("cross_script", cs_q, "cross_script_pairs.csv"),
            finish("putin", pu_q, "putin_names.txt"),
            finish("ofac_fixtures", of_q, "ofac_fixtures.csv"),
            finish("clean_people", clean_people(data), "valrep_negatives"),
            *all_lists_tasks(lists, real, (cs_q, cs_side), (pu_q, pu_w)),
        ]
    )
    watch = pl.concat([real, pu_w, cs_side, of_side]).cast(pl.String)
    return queries, watch, pair_ids(queries, cs_p, of_p), {"putin": note}


def made_list(key: str, watch: pl.DataFrame) -> pl.DataFrame:
    """Return a list side made here (no list file) in the list columns, its entities of unknown schema."""
    made = watch.with_columns(list=pl.lit(key), entity_schema=pl.lit("Unknown"), source=pl.lit(key))
    return made.with_columns(countries=pl.lit(None, pl.String), birth_dates=pl.lit(None, pl.String)).select(
        WATCH_COLUMNS
    )


def all_lists_tasks(
    lists: dict[str, pl.DataFrame],
    real: pl.DataFrame,
    cross: tuple[pl.DataFrame, pl.DataFrame],
    spelt: tuple[pl.DataFrame, pl.DataFrame],
) -> list[pl.DataFrame]:
    """Return the tasks asked against every real list: the script tasks (with their own entries), perturbed people."""
    un = alias_queries("un_script_all", lists["un"], ["original_script"])
    people = pl.concat([people_queries(lists[k]) for k in PEOPLE_LISTS])
    entities = pl.concat([entity_queries(lists[k]) for k in PEOPLE_LISTS])
    asked = [
        ("un_script_all", un, real, "un NAME_ORIGINAL_SCRIPT"),
        ("cross_script_all", cross[0], pl.concat([real, cross[1]]), "cross_script_pairs.csv"),
        ("putin_all", spelt[0], pl.concat([real, spelt[1]]), "putin_names.txt"),
    ]
    made = [finish(task, twins(queries, side), origin) for task, queries, side, origin in asked]
    return [
        *made,
        finish("perturbed_people", twins(people, real), "sdn, un", by_type=True),
        finish("perturbed_entities", twins(entities, real), "sdn, un", by_type=True),
    ]


def pair_ids(queries: pl.DataFrame, *pairs: pl.DataFrame) -> pl.DataFrame:
    """Return reference pair scores keyed by the query ids of their task."""
    tasks = {"watchman_min_score": "cross_script", "ofac_search_score": "ofac_fixtures"}
    both = pl.concat(pairs).with_columns(task=pl.col("ref").replace_strict(tasks))
    ids = queries.select("task", "query_id", q="name").unique(["task", "q"], keep="first")
    joined = both.join(ids, on=["task", "q"], how="left")
    return joined.select("task", "query_id", "entity_id", "ref_score", "ref").unique(maintain_order=True)


def write(out: Path, queries: pl.DataFrame, watch: pl.DataFrame, pairs: pl.DataFrame, notes: dict[str, str]) -> None:
    """Write the development set's files in a stable order."""
    out.mkdir(parents=True, exist_ok=True)
    queries.sort("task", "query_id").write_csv(out / "queries.csv")
    watch.sort("list", "entity_id", "name").write_csv(out / "watchlist.csv")
    pairs.sort("task", "query_id", "entity_id").write_csv(out / "pairs.csv")
    meta = {"tasks": TASKS, "notes": notes, "fit_share_percent": FIT_SHARE, "ofac_match_score": OFAC_MATCH_SCORE}
    (out / "tasks.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    """Build the development set and print its make-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=HERE / "dev", help="where to write the set")
    args = parser.parse_args()
    try:
        queries, watch, pairs, notes = build(args.data)
    except (OSError, ScreeningError, pl.exceptions.PolarsError) as exc:
        print(f"devset: cannot read the shared data in {args.data}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    write(args.out, queries, watch, pairs, notes)
    made = queries.with_columns(clean=pl.col("expected_entity").is_null())
    print(made.group_by("task", "split").agg(n=pl.len(), clean=pl.col("clean").sum()).sort("task", "split"))
    print(watch.group_by("list").agg(names=pl.len(), entities=pl.col("entity_id").n_unique()).sort("list"))
    print(notes)


if __name__ == "__main__":
    main()
