"""The HTML report's data: a name hit's list, programme and matched-name strength from its list entry."""

from __future__ import annotations

import polars as pl
import pytest

from screening.report.html_data import LIST_COLUMNS, list_columns

OFAC = "us_ofac_sdn 2024-05-01"
PROGRAMMES = "RUSSIA-EO14024; UKRAINE-EO13661"
ENTITIES = pl.DataFrame(
    {
        "entity_id": ["x:1", "x:2"],
        "source": ["us_ofac_sdn", "un_sc"],
        "list_version": ["2024-05-01", None],
        "programs": [PROGRAMMES, None],
    }
)
NAMES = pl.DataFrame(
    {
        "entity_id": ["x:1", "x:1", "x:1", "x:2"],
        "name": ["ACME", "ACME (UK)", "ACME HOLDING", "Abu Ali"],
        "strength": ["weak", "strong", "strong", "weak"],
    }
)


@pytest.mark.parametrize(
    ("entity_id", "party", "detail", "expected"),
    [
        ("x:1", "Acme", "Acme ~ ACME (0.97): legal form", (OFAC, PROGRAMMES, "weak")),
        ("x:1", "Acme", "Acme ~ ACME (UK) (0.95): same name", (OFAC, PROGRAMMES, "strong")),
        ("x:1", "Acme Hldg", "Acme Hldg ~ ACME HOLDING (0.91): misspelt", (OFAC, PROGRAMMES, "strong")),
        ("x:1", "Acme", "Acme ~ ACME LTD (0.93): dropped from the list", (OFAC, PROGRAMMES, None)),
        ("x:2", "Abu Ali", "Abu Ali ~ Abu Ali (1.00): same name", ("un_sc version unknown", None, "weak")),
        ("x:9", "Gone", "Gone ~ GONE (1.00): same name", (None, None, None)),
        (None, "Acme", "shipment to RU (DE → RU): HS 848210", (None, None, None)),
    ],
)  # fmt: skip
def test_list_columns_per_hit(entity_id: str | None, party: str, detail: str, expected: tuple[str | None, ...]) -> None:
    hit = pl.DataFrame(
        {"entity_id": [entity_id], "party": [party], "detail": [detail]}, schema_overrides={"entity_id": pl.String}
    )
    assert list_columns(hit, ENTITIES, NAMES).select(LIST_COLUMNS).rows() == [expected]


def test_list_columns_keep_the_hits_order() -> None:
    parties = [f"P{i}" for i in range(50)]
    hits = pl.DataFrame(
        {"entity_id": ["x:1", None] * 25, "party": parties, "detail": [f"{p} ~ ACME (0.9): x" for p in parties]}
    )
    shown = list_columns(hits, ENTITIES, NAMES)
    assert shown["party"].to_list() == parties
    assert shown["strength"].to_list() == ["weak", None] * 25
