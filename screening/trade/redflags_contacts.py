"""ENTITY-004 and ENTITY-005: consignees sharing contact details, and freight forwarders as end users.

FinCEN/BIS Joint Alert FIN-2022-Alert003 (28 June 2022) names as red flags parties that share
addresses, phone numbers or officers with other customers or with listed parties, and "a freight
forwarding firm listed as the product's final end customer". Contact details are compared in a
normal form: addresses upper-cased with punctuation dropped and words sorted, phones as their last
nine digits (so +996 555 123 456 and 0555 123456 agree), directors by the names module's key.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.trade.redflags import (
    HUBS,
    conform,
    conform_parties,
    empty_hits,
    hit_frame,
    hub_receipts,
    party_keys,
    summarise,
    with_key,
)

# Word stems that name a forwarder, English, Russian, Turkish, Chinese; found inside compounds too
# (ТрансЭкспедиция, TRANSLOGISTIC), except the short English words, which must stand alone.
FORWARDER_PATTERN: Final = (
    r"(?i)(logisti\w*|forward\w*|freight\w*|[ck]argo\w*|transport\w*|lojisti\w*|nakliy\w*|ekspedi\w*"
    r"|экспеди\w*|логисти\w*|карго\w*|транспорт\w*|\bshipping\b|\bexpress\b|物流|货运|货代)"
)
MIN_ADDRESS_CHARS: Final = 8
MIN_PHONE_DIGITS: Final = 7


def forwarder_word(name: pl.Expr) -> pl.Expr:
    """Return the word that makes a name a freight forwarder's, null when none does."""
    return name.str.extract(FORWARDER_PATTERN, 1)


def forwarder_end_users(
    tx: pl.DataFrame, *, hubs: tuple[str, ...] | list[str] = HUBS, keys: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Flag hub consignees named like freight forwarders that receive CHPL goods."""
    receipts = hub_receipts(conform(tx), hubs, keys).filter(
        pl.col("chpl") & forwarder_word(pl.col("party")).is_not_null()
    )
    found = summarise(receipts).with_columns(word=forwarder_word(pl.col("party")))
    detail = fmt(
        "{} ({}) is named like a freight forwarder ('{}') yet is the end consignee of CHPL goods ({}) in {} record(s)",
        pl.col("party"),
        pl.col("party_country"),
        pl.col("word"),
        pl.col("codes"),
        pl.col("n"),
    )
    return hit_frame(found, 0.6 + 0.1 * pl.col("n"), detail)


def _normal(kind: str, value: pl.Expr) -> pl.Expr:
    """Return the comparable form of an address or phone (null when too short to mean anything)."""
    if kind == "phone":
        digits = value.str.replace_all(r"\D", "")
        return pl.when(digits.str.len_chars() >= MIN_PHONE_DIGITS).then(digits.str.slice(-9))
    words = value.str.to_uppercase().str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars().str.split(" ")
    text = words.list.sort().list.join(" ")
    return pl.when(text.str.len_chars() >= MIN_ADDRESS_CHARS).then(text)


def contacts(tx: pl.DataFrame, parties: pl.DataFrame | None = None, keys: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return one row per (record, party, kind of contact, normal value) from transactions and party records."""
    tx, parties = conform(tx), conform_parties(parties if parties is not None else pl.DataFrame())
    base = ["record_id", "source_file", "line", "party", "country"]
    goods = tx.select(
        *base[:3], pl.col("date"), pl.col("consignee").alias("party"), pl.col("consignee_country").alias("country"),
        "address", "phone", pl.lit(None, pl.String).alias("director"),
    )  # fmt: skip
    records = parties.select(*base[:3], pl.lit(None, pl.Date).alias("date"), pl.col("name").alias("party"),
                            "country", "address", "phone", "director")  # fmt: skip
    both = pl.concat([goods, records]).filter(pl.col("party").is_not_null())
    long = both.unpivot(
        on=["address", "phone", "director"], index=[*base, "date"], variable_name="kind", value_name="raw"
    )
    # normalise each distinct contact once, then join back: addresses repeat across records
    distinct = long.select("kind", "raw").drop_nulls().unique()
    directors = party_keys(both["director"]).rename({"key": "director_key"})
    value = (
        pl.when(pl.col("kind") == "phone")
        .then(_normal("phone", pl.col("raw")))
        .when(pl.col("kind") == "address")
        .then(_normal("address", pl.col("raw")))
        .otherwise(pl.col("director_key"))
    )
    values = distinct.join(directors, on="raw", how="left").select("kind", "raw", value.alias("value"))
    long = long.join(values.drop_nulls("value"), on=["kind", "raw"])
    return with_key(long, "party", "key", keys).filter(pl.col("key").is_not_null())


def neighbours(
    tx: pl.DataFrame,
    parties: pl.DataFrame | None = None,
    *,
    hubs: tuple[str, ...] | list[str] = HUBS,
    long: pl.DataFrame | None = None,
) -> pl.Series:
    """Return the distinct names that share an address, phone or director with a hub party (to screen them).

    ``long`` holds the :func:`contacts` of ``tx`` and ``parties`` when the caller has them already.
    """
    long = contacts(tx, parties) if long is None else long
    touched = long.filter(pl.col("country").is_in(list(hubs))).select("kind", "value").unique()
    return long.join(touched, on=["kind", "value"])["party"].unique().sort()


def shared_contacts(
    tx: pl.DataFrame,
    parties: pl.DataFrame | None = None,
    *,
    hubs: tuple[str, ...] | list[str] = HUBS,
    min_parties: int = 3,
    listed: pl.DataFrame | None = None,
    long: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag hub parties sharing an address, phone or director with ``min_parties``-1 others or a listed party.

    ``listed`` holds input names that match the watchlist (``party`` as written, ``listed_as``);
    ``long`` the :func:`contacts` of ``tx`` and ``parties`` when the caller has them already.
    """
    long = contacts(tx, parties) if long is None else long
    if long.height == 0:
        return empty_hits()
    marks = listed if listed is not None else pl.DataFrame(schema={"party": pl.String, "listed_as": pl.String})
    long = long.join(marks.select("party", "listed_as").unique("party"), on="party", how="left")
    long = long.sort("key", "date", "record_id", nulls_last=True)
    members = long.group_by("kind", "value", "key", maintain_order=True).agg(pl.all().first())
    label = pl.when(pl.col("listed_as").is_not_null()).then(fmt("{} (~ {})", pl.col("party"), pl.col("listed_as")))
    groups = members.group_by("kind", "value").agg(
        pl.col("key").n_unique().alias("n"), pl.col("party").alias("names"), label.drop_nulls().alias("listed_names")
    )
    own = pl.concat_list(pl.col("party"))
    own_label = pl.concat_list(label.fill_null(""))
    found = (
        members.filter(pl.col("country").is_in(list(hubs)))
        .join(groups, on=["kind", "value"])
        .with_columns(
            others=pl.col("names").list.set_difference(own).list.sort(),
            others_listed=pl.col("listed_names").list.set_difference(own_label).list.sort(),
        )
        .filter((pl.col("n") >= min_parties) | (pl.col("others_listed").list.len() > 0))
    )
    if found.height == 0:
        return empty_hits()
    found = found.with_columns(
        score=pl.when(pl.col("others_listed").list.len() > 0)
        .then(1.0)
        .otherwise((0.6 + 0.1 * (pl.col("n") - min_parties)).clip(0.0, 0.9))
    ).sort("key", "score", "date", "kind", "value", descending=[False, True, False, False, False], nulls_last=True)
    best = found.unique(subset="key", keep="first", maintain_order=True)
    listed_text = fmt(" including listed {}", pl.col("others_listed").list.head(2).list.join(", "))
    detail = fmt(
        "{} ({}) shares its {} '{}' with {} other party(ies): {}{}",
        pl.col("party"),
        pl.col("country"),
        pl.col("kind"),
        pl.col("raw"),
        pl.col("others").list.len(),
        pl.col("others").list.head(4).list.join(", "),
        pl.when(pl.col("others_listed").list.len() > 0).then(listed_text).otherwise(pl.lit("")),
    )
    return hit_frame(best, pl.col("score"), detail)
