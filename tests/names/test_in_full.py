"""An organisation's query naming a listed organisation in full, by a hit, lowers its other organisation pairs."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import build_index, match_index
from screening.names.align import IN_FULL_NOTE
from screening.names.model import shipped
from tests.names.conftest import both_paths_in

# a bank and its branch, listed apart (organisations), a bank of a known founding year
PARTIES = pl.DataFrame(
    [
        ("bank", "BANK SEPAH", "Organization", "IR", None),
        ("branch", "BANK SEPAH INTERNATIONAL PLC", "Organization", "GB", None),
        ("melli", "BANK MELLI", "Organization", "IR", "1927"),
        ("melli-uk", "BANK MELLI IRAN UK LIMITED", "Organization", "GB", None),
    ],
    schema=["entity_id", "name", "entity_schema", "countries", "birth_dates"],
    orient="row",
)
# query, its type, country and birth date, the threshold in force, another listed party, whether it scores lower
# than where the others are listed as vessels (no organisation to name in full, the same names) and says why
CASES = [
    ("BANK SEPAH", "Organization", None, None, 0.3, "branch", True),  # names the parent in full: not its branch
    ("BANK SEPAH", "Company", None, None, 0.3, "branch", True),
    ("BANK SEPAH", "PublicBody", None, None, 0.3, "branch", True),
    ("BANK SEPAH", "Organization", "DE", None, 0.3, "branch", True),  # 0.92 with the country differing: a hit
    # the query must be typed an organisation: a vessel, an aircraft or a party of no type may bear a bank's name
    ("BANK SEPAH", "Vessel", None, None, 0.3, "branch", False),  # lowered before
    ("BANK SEPAH", "Aircraft", None, None, 0.3, "branch", False),  # lowered before
    ("BANK SEPAH", "LegalEntity", None, None, 0.3, "branch", False),
    # the pair naming it in full must be a hit after qualifiers, at the default threshold at least
    ("BANK MELLI", "Organization", None, None, 0.3, "melli-uk", True),
    ("BANK MELLI", "Organization", None, "1999", 0.3, "melli-uk", False),  # 0.70: 72 years apart (lowered before)
    ("BANK MELLI", "Organization", None, "1999", 0.6, "melli-uk", False),  # a hit at 0.6, not at the default
    ("BANK MELLI", "Organization", None, "1999", 0.86, "melli-uk", False),  # 0.86: an alert (none before)
    ("BANK MELLI", "Organization", None, "1928", 0.3, "melli-uk", True),  # 0.97: a year apart, still a hit
]


@pytest.mark.parametrize(("query", "schema", "country", "birth", "threshold", "other", "lowered"), CASES)
def test_named_in_full_by_a_hit_in_both_paths(
    query: str, schema: str, country: str | None, birth: str | None, threshold: float, other: str, lowered: bool
) -> None:
    vessels = pl.when(pl.col("entity_id") == other).then("entity_schema").otherwise(pl.lit("Vessel"))
    alone = build_index(PARTIES.with_columns(entity_schema=vessels))
    hit, before = (
        both_paths_in(index, query, schema=schema, threshold=at, facts=(country, birth), scorer="hand").filter(
            pl.col("entity_id") == other
        )
        for index, at in ((build_index(PARTIES), threshold), (alone, 0.3))
    )
    assert before.height == 1
    if hit.is_empty():  # lowered below the threshold in force
        assert lowered
        return
    assert (hit["score"].item() < before["score"].item()) == lowered, (hit, before)
    assert (IN_FULL_NOTE in hit["detail"].item()) == lowered  # the detail says why, in both paths


# query type and birth date: whether the learned model's rows of BANK MELLI ~ BANK MELLI IRAN UK LIMITED say the
# query names another organisation in full (the model scores the lowered pair: batch path only)
MODEL_CASES = [("Organization", None, True), ("Organization", "1999", False), ("Vessel", None, False)]


@pytest.mark.parametrize(("schema", "birth", "lowered"), MODEL_CASES)
def test_named_in_full_with_the_model(schema: str, birth: str | None, lowered: bool) -> None:
    query = pl.DataFrame({"id": ["q"], "name": ["BANK MELLI"], "schema": [schema], "birth_date": [birth]})
    hits = match_index(query, build_index(PARTIES), 0.0, 5, shipped())
    assert (IN_FULL_NOTE in hits.filter(pl.col("entity_id") == "melli-uk")["detail"].item()) == lowered
