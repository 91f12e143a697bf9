"""HS code normalisation cases."""

from __future__ import annotations

import polars as pl
import pytest

from screening.goods.hs import normalize_hs

CASES = [
    # raw, hs_code, hs6, note contains, error contains
    ("8542.31.00", "85423100", "854231", None, None),
    ("854231", "854231", "854231", None, None),
    ("8542 31 0000", "8542310000", "854231", None, None),
    ("8542-31-00-00", "8542310000", "854231", None, None),
    ("8542310000.0", "8542310000", "854231", None, None),
    ("3912200", "39122000", "391220", "read as 391220", None),
    ("10121", "010121", "010121", "read as 010121", None),
    ("8542", "8542", None, "heading only", None),
    ("999999", "999999", None, "unknown HS subheading 999999", None),
    ("85A2", None, None, None, "'85A2' is not an HS code"),
    ("8.54231E+09", None, None, None, "scientific notation"),
    ("848", None, None, None, "has 3 digits"),
    ("", None, None, None, None),
    (None, None, None, None, None),
    ("880330", "880330", "880330", None, None),
    ("854890", "854890", "854890", None, None),
]


@pytest.mark.parametrize(("raw", "code", "hs6", "note", "error"), CASES)
def test_normalize_hs(raw: str | None, code: str | None, hs6: str | None, note: str | None, error: str | None) -> None:
    out = (
        pl.DataFrame({"raw": [raw]}, schema={"raw": pl.String})
        .select(normalize_hs(pl.col("raw")).alias("h"))
        .unnest("h")
        .row(0, named=True)
    )
    assert out["hs_code"] == code
    assert out["hs6"] == hs6
    assert (note is None and out["hs_note"] is None) or (note is not None and note in out["hs_note"])
    assert (error is None and out["hs_error"] is None) or (error is not None and error in out["hs_error"])
