"""Trade-statistics flow tables and ownership files go through the normal ingestion path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from screening.errors import InputError
from screening.ingest import read_records
from screening.ingest.records import NO_CURRENCY

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

FLOW_ROWS = [
    # line, reporter, partner, flow, hs_code, hs6, period, months, value
    (2, "KG", "CN", "import", "8482", None, date(2019, 1, 1), 12, 1_500_000.0),
    (3, "KG", "CN", "import", "848210", "848210", date(2021, 10, 1), 3, 400_000.0),
    (4, "KG", "CN", "import", "848210", "848210", date(2023, 4, 1), 1, 3_500_000.0),
    (5, "KG", "CN", "import", "848210", "848210", date(2022, 4, 1), 1, 2_000_000.0),
    (6, "KG", "CN", "import", "848210", "848210", date(2023, 5, 1), 1, 2_100_000.0),
]

FLOW_QUARANTINE = {
    7: "column partner_country: 'Narnia' is not a known country",
    8: "column value: -5 is negative",
    9: "column value: missing",
    10: "column period: 'someday' is not a period (e.g. 2023, 2023Q2, 2023-04, 202304, Apr 2023)",
    11: "column flow: 'sideways' is not a trade flow (import or export)",
    12: "column hs_code: missing",
}


def test_flow_table_is_read_with_mixed_periods_and_country_spellings() -> None:
    result = read_records(FIXTURES / "flows_mixed.csv")
    assert result.kind == "flows"
    columns = ("line", "reporter_country", "partner_country", "flow", "hs_code", "hs6", "period", "period_months")
    assert result.records.select(*columns, "value").rows() == FLOW_ROWS
    assert result.rows_read == 11 == result.records.height + result.quarantine.height


def test_flow_table_bad_rows_are_quarantined_with_reasons() -> None:
    result = read_records(FIXTURES / "flows_mixed.csv")
    assert dict(zip(result.quarantine["line"], result.quarantine["reason"], strict=True)) == FLOW_QUARANTINE


@pytest.mark.parametrize(
    ("fixture", "shares"),
    [
        ("ownership_mixed.csv", [1.0, 0.6, None, None, None]),  # '100%' and 60 are percent; empty, 120, -3 unknown
        ("ownership_fraction.csv", [1.0, 0.6, 0.4]),  # a column of numbers up to 1 holds fractions
    ],
)
def test_ownership_shares_are_fractions(fixture: str, shares: list[float | None]) -> None:
    result = read_records(FIXTURES / fixture)
    assert result.kind == "ownership"
    assert result.records["owner"].to_list()[:2] == ["Aleksandr Vyacheslavovich Zakharov", "OOO TSST"]
    assert result.records["owned"].to_list()[:2] == ["OOO TSST", "Kargo Logistic KG"]
    assert result.records["share"].to_list() == shares


def test_ownership_bad_shares_are_noted_and_rows_without_owner_quarantined() -> None:
    result = read_records(FIXTURES / "ownership_mixed.csv")
    reasons = dict(zip(result.quarantine["line"], result.quarantine["reason"], strict=True))
    assert reasons == {7: "column owner: missing"}
    notes = dict(zip(result.notes["line"], result.notes["reason"], strict=True))
    assert notes == {5: "column share: '120' is over 100 %", 6: "column share: '-3' is negative"}
    assert result.rows_read == 6


def test_flow_table_without_values_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    pl.DataFrame({"reporter": ["KG"], "partner": ["CN"], "flow": ["M"], "hs": ["8482"], "period": ["2023"]}).write_csv(
        path
    )
    with pytest.raises(InputError, match=r"flows.csv: a flows file needs column\(s\) \['value'\]"):
        read_records(path)


@pytest.mark.parametrize(
    ("period", "stored", "reason"),
    [
        ("2021", pytest.approx(100 * 0.013562, rel=0.05), None),  # the rouble's 2021 yearly rate
        ("2019", pytest.approx(100 * 0.015447, rel=0.05), None),
        ("2022", None, "column value: no US-dollar rate for RUB after 2021 (no longer quoted by the ECB)"),
        ("2024-03", None, "column value: no US-dollar rate for RUB after 2021 (no longer quoted by the ECB)"),
    ],
)
def test_flows_in_a_currency_no_longer_quoted_are_quarantined_not_priced_stale(
    tmp_path: Path, period: str, stored: object, reason: str | None
) -> None:
    path = tmp_path / "rub.csv"
    header = "Reporter,Partner,Flow,HS code,Period,Value (RUB)"
    path.write_text(f"{header}\nRU,CN,import,8482,{period},100\n", encoding="utf-8")
    result = read_records(path)
    assert result.records["value"].to_list() == ([] if stored is None else [stored])
    assert result.quarantine["reason"].to_list() == ([] if reason is None else [reason])


@pytest.mark.parametrize(
    ("currency", "stored", "reason", "note"),
    [
        ("EUR", [pytest.approx(1000 * 1.0813, rel=1e-6)], None, None),  # the ECB's 2023 yearly rate
        ("USD", [1000.0], None, None),
        ("€", [pytest.approx(1000 * 1.0813, rel=1e-6)], None, None),
        ("KZT", [], "column value: no US-dollar rate for KZT in 2023", None),
        ("XYZ", [], "column value: no US-dollar rate for an unknown currency in 2023", None),
        # no currency given: the row is kept with no value, and the note says why; no currency is guessed
        ("", [None], None, NO_CURRENCY),
        ("  ", [None], None, NO_CURRENCY),
    ],
)  # fmt: skip
def test_a_flow_tables_currency_column_converts_each_value_to_dollars(
    tmp_path: Path, currency: str, stored: list[object], reason: str | None, note: str | None
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(f"Reporter,Partner,Flow,HS code,Period,Value,Currency\nKG,CN,import,8482,2023,1000,{currency}\n")
    result = read_records(path)
    assert result.records["value"].to_list() == stored
    assert result.quarantine["reason"].to_list() == ([] if reason is None else [reason])
    assert result.notes["reason"].to_list() == ([] if note is None else [note])
