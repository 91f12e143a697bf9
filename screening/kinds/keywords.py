"""Goods-description keywords: dual-use goods named in the text when the HS code is missing or wrong.

Descriptions and terms are normalised the same way (lower case, punctuation to spaces, a leading
space) and matched with polars' Aho-Corasick ``extract_many``; a term matches at the start of a
word, so Russian stems ("подшипник") also match their inflected forms.
"""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from screening.frames import fmt
from screening.goods.reference import descriptions
from screening.kinds.base import Check, ScanContext, empty_hits, has_columns, row_check
from screening.schema import SEVERITIES

_MISSING_SCORE: Final = 0.8
_CONTRADICTS_SCORE: Final = 0.7


def normalize_text(text: pl.Expr) -> pl.Expr:
    """Lower-case, turn every run of non-letters into one space and pad with spaces."""
    body = text.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", " ")
    return pl.lit(" ") + body + pl.lit(" ")


def keyword_term(term: str, *, whole_word: bool = False) -> str:
    """Normalise a keyword the way descriptions are normalised; end it with a space when whole words or asked."""
    cleaned = " ".join("".join(ch if ch.isalnum() else " " for ch in term.lower()).split())
    return f" {cleaned}" + (" " if whole_word or term.endswith(" ") else "")


def _validate(categories: dict[str, Any]) -> None:
    """Check each category has terms, HS prefixes and a valid severity."""
    for name, spec in categories.items():
        if not isinstance(spec, dict) or not spec.get("terms") or not spec.get("hs"):
            raise ValueError(f"category '{name}' needs 'terms' and 'hs' lists")
        if spec.get("severity", "high") not in SEVERITIES:
            raise ValueError(f"category '{name}': severity must be one of {', '.join(SEVERITIES)}")
        unknown = set(spec) - {"terms", "hs", "severity", "label"}
        if unknown:
            raise ValueError(f"category '{name}': unknown keys {sorted(unknown)}; valid: hs, label, severity, terms")


def goods_keywords(*, categories: dict[str, Any]) -> Check:
    """Flag descriptions naming dual-use goods whose HS code is missing or points elsewhere."""
    _validate(categories)
    term_category = {keyword_term(t): name for name, spec in categories.items() for t in spec["terms"]}
    expected = {f"{name}|{p!s}" for name, spec in categories.items() for p in spec["hs"]}
    label = {name: str(spec.get("label", name)) for name, spec in categories.items()}
    prefixes = {name: "/".join(str(p) for p in spec["hs"]) for name, spec in categories.items()}
    severity = {name: str(spec.get("severity", "high")) for name, spec in categories.items()}
    terms = list(term_category)
    found = pl.col("_term")
    category = found.replace_strict(term_category, default=None)
    code = pl.col("hs_code")
    fits = pl.any_horizontal((category + pl.lit("|") + code.str.slice(0, n)).is_in(list(expected)) for n in (2, 4, 6))
    missing = code.is_null() | pl.col("hs6").is_null() & (code.str.len_chars() != 4)
    score = (
        pl.when(category.is_null())
        .then(0.0)
        .when(missing)
        .then(_MISSING_SCORE)
        .when(~fits)
        .then(_CONTRADICTS_SCORE)
        .otherwise(0.0)
    )
    declared = fmt(
        "declared HS {} ({}) does not fit",
        code,
        pl.col("hs6").replace_strict(descriptions(), default="unknown code"),
    )
    detail = fmt(
        "description says '{}' → {} (HS {}); {}",
        found.str.strip_chars(),
        category.replace_strict(label, default=None),
        category.replace_strict(prefixes, default=None),
        pl.when(missing).then(pl.lit("HS code missing or unusable")).otherwise(declared),
    )
    sev = category.replace_strict(severity, default=None)
    party = pl.coalesce(pl.col("consignee"), pl.col("shipper"))
    per_row = row_check(("description", "hs_code", "hs6", "_term"), score, detail, sev, party)

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        if not has_columns(frame, "description"):
            return empty_hits()
        # ledgers repeat descriptions: match each distinct text once, then join back the few that name goods
        texts = (
            frame.select(pl.col("description").unique())
            .with_columns(normalize_text(pl.col("description")).str.extract_many(terms).list.first().alias("_term"))
            .filter(pl.col("_term").is_not_null())
        )
        return per_row(frame.join(texts, on="description", how="inner"), ctx)

    return check
