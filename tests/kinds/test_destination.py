"""Destination kinds: Russia/Belarus/occupied regions, and CHPL goods to transit hubs."""

from __future__ import annotations

from typing import Any

import pytest

from screening.kinds.base import ScanContext
from screening.kinds.destination import destination_country

CTX = ScanContext(record_kind="transactions")
RU_BY = ["RU", "BY", "UA-43"]


@pytest.mark.parametrize(
    ("row", "goods", "hit"),
    [
        ({"destination_country": "RU", "hs_code": "691110"}, "any", True),
        ({"destination_country": None, "consignee_country": "BY"}, "any", True),
        ({"destination_country": "UA-43"}, "any", True),
        ({"destination_country": "KZ", "hs_code": "848210"}, "any", False),
        ({"destination_country": "RU", "hs_code": "691110"}, "chpl", False),
        ({"destination_country": "RU", "hs_code": "8542.31"}, "chpl", True),
        ({"destination_country": "RU", "hs_code": "854890"}, "chpl", True),
    ],
)
def test_destination(records: Any, row: dict[str, str | None], goods: str, hit: bool) -> None:
    hits = destination_country(countries=RU_BY, goods=goods)(records([row]).lazy(), CTX).collect()
    assert (hits.height == 1) is hit


def test_destination_detail_names_the_route(records: Any) -> None:
    frame = records(
        [
            {
                "destination_country": "KG",
                "origin_country": "CN",
                "hs_code": "848210",
                "consignee": "Altyn OsOO",
            }
        ]
    )
    hits = destination_country(countries=["KG"], goods="chpl")(frame.lazy(), CTX).collect()
    assert hits.row(0, named=True)["detail"] == "CHPL goods to KG (CN → KG): HS 848210"
    assert hits["party"][0] == "Altyn OsOO"


def test_bad_goods_option() -> None:
    with pytest.raises(ValueError, match="goods must be one of any, chpl"):
        destination_country(countries=["RU"], goods="toys")
