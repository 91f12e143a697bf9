"""Goods kinds: HS codes on the CHPL or the EU 833/2014 ban lists, description keywords, code quality."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.goods.reference import chpl, descriptions, eu833
from screening.kinds.base import Check, row_check

_TIER_SCORE_PARTIAL: Final = 0.8  # an HS2017 code whose HS2022 successor is only partly on the CHPL
_HEADING_SCORE: Final = 0.6  # a 4-digit heading that contains CHPL subheadings


def _party() -> pl.Expr:
    """Return the party a goods hit is about: the consignee, else the shipper."""
    return pl.coalesce(pl.col("consignee"), pl.col("shipper"))


def chpl_goods(*, tiers: list[str] | None = None) -> Check:
    """Flag HS codes on the Common High Priority List, by tier, from HS2022 or HS2017 codes."""
    table = chpl() if tiers is None else chpl().filter(pl.col("tier").is_in(tiers))
    known = set(chpl()["tier"].to_list())
    if tiers is not None and not set(tiers) <= known:
        raise ValueError(f"unknown CHPL tiers {sorted(set(tiers) - known)}; valid: {sorted(known)}")
    direct = dict(zip(table["hs6"], table["hs6"], strict=True))
    legacy = table.filter(pl.col("hs6") != pl.col("hs6_hs2017")).group_by("hs6_hs2017").agg(pl.col("hs6").min())
    via2017 = dict(zip(legacy["hs6_hs2017"], legacy["hs6"], strict=True))  # 854150 splits in two
    headings = table.with_columns(pl.col("hs6").str.slice(0, 4).alias("h4")).group_by("h4").agg(pl.col("hs6").min())
    via_heading = dict(zip(headings["h4"], headings["hs6"], strict=True))
    tier = dict(zip(table["hs6"], table["tier"], strict=True))
    severity = dict(zip(table["hs6"], table["severity"], strict=True))
    text = dict(zip(table["hs6"], table["description"], strict=True))
    hs6 = pl.col("hs6")
    code4 = pl.when(pl.col("hs_code").str.len_chars() == 4).then(pl.col("hs_code"))
    matched = pl.coalesce(
        hs6.replace_strict(direct, default=None),
        hs6.replace_strict(via2017, default=None),
        code4.replace_strict(via_heading, default=None),
    )
    how = (
        pl.when(hs6.is_in(list(direct)))
        .then(pl.lit(""))
        .when(hs6.is_in(list(via2017)))
        .then(fmt(" (declared as HS2017 {}; partial correspondence)", hs6))
        .otherwise(fmt(" (heading {} only; it contains CHPL codes)", pl.col("hs_code")))
    )
    score = (
        pl.when(matched.is_null())
        .then(0.0)
        .when(hs6.is_in(list(direct)))
        .then(1.0)
        .when(hs6.is_in(list(via2017)))
        .then(_TIER_SCORE_PARTIAL)
        .otherwise(_HEADING_SCORE)
    )
    detail = fmt(
        "CHPL tier {}: {} {}{}{}",
        matched.replace_strict(tier, default=None),
        matched,
        matched.replace_strict(text, default=None),
        how,
        _note_suffix(),
    )
    return row_check(("hs6", "hs_code"), score, detail, matched.replace_strict(severity, default=None), _party())


def eu_export_ban(
    *,
    categories: list[str] | None = None,
    destinations: list[str] | None = None,
) -> Check:
    """Flag goods banned for export to Russia by EU Regulation 833/2014 going to a listed destination."""
    table = eu833()
    valid = sorted({c for cats in table["categories"].to_list() if cats for c in cats.split(";")})
    wanted = categories or [c for c in valid if c != "luxury"]
    if not set(wanted) <= set(valid):
        raise ValueError(f"unknown EU categories {sorted(set(wanted) - set(valid))}; valid: {valid}")
    table = table.filter(pl.col("categories").str.split(";").list.set_intersection(wanted).list.len() > 0)
    places = destinations or ["RU", "BY"]
    cats = dict(zip(table["hs6"], table["categories"], strict=True))
    dates = dict(zip(table["hs6"], table["sanction_date"], strict=True))
    dest = pl.coalesce(pl.col("destination_country"), pl.col("consignee_country"))
    banned = pl.col("hs6").is_in(list(cats)) & dest.is_in(places)
    detail = fmt(
        "EU 833/2014 ban since {} ({}): {} {} to {}{}",
        pl.col("hs6").replace_strict(dates, default=None),
        pl.col("hs6").replace_strict(cats, default=None).str.replace_all(";", ", "),
        pl.col("hs6"),
        pl.col("hs6").replace_strict(descriptions(), default=""),
        dest,
        _note_suffix(),
    )
    needs = ("hs6", "destination_country", "consignee_country")
    return row_check(needs, pl.when(banned).then(1.0).otherwise(0.0), detail, None, _party())


def hs_code_quality() -> Check:
    """Flag declared HS codes that are unknown or ambiguous, so they are never silently ignored."""
    flagged = pl.col("hs_note").is_not_null() & pl.col("hs6").is_null()
    flagged = flagged & ~pl.col("hs_note").is_in(["heading only", "chapter only"])
    detail = fmt("HS code unusable: {}", pl.col("hs_note"))
    return row_check(("hs6", "hs_note"), pl.when(flagged).then(1.0).otherwise(0.0), detail, None, _party())


def _note_suffix() -> pl.Expr:
    """Return '; <how the code was read>' for repaired codes, else an empty string."""
    return pl.when(pl.col("hs_note").is_not_null()).then(fmt("; {}", pl.col("hs_note"))).otherwise(pl.lit(""))
