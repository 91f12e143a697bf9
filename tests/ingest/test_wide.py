"""Wide statistics tables: one value column per year or quarter, read as one flow row per period."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from screening.ingest.batches import iter_batches, read_records
from screening.ingest.inspect import column_plan
from screening.ingest.wide import find_wide

BASE = ["Reporter", "Partner", "Flow", "HS code"]


@pytest.mark.parametrize(
    ("periods", "expected", "value"),
    [
        (["2019", "2020", "2021"], ["2019", "2020", "2021"], "value"),
        (["Y2019", "Y2020"], ["2019", "2020"], "value"),
        (["2023Q1", "2023 Q2", "2023-Q3"], ["2023Q1", "2023Q2", "2023Q3"], "value"),
        (["2019 (EUR)", "2020 (EUR)"], ["2019", "2020"], "VALUE_IN_EUR"),
        (["2019_USD", "2020"], ["2019", "2020"], "value"),
        (["2019"], None, None),  # one period column: a column, not a wide table
        (["2019 thousand USD", "2020 thousand USD"], None, None),  # a unit the value would lose
        (["2019 (EUR)", "2020 (USD)"], None, None),  # two currencies: not one value column
        (["2019 (CNY)", "2020 (CNY)"], None, None),  # no rate for flow values in yuan
        (["2019-2020", "2021-2022"], None, None),  # spans, not periods
        (["1850", "1851"], None, None),
    ],
)
def test_period_columns(periods: list[str], expected: list[str] | None, value: str | None) -> None:
    wide = find_wide([*BASE, *periods], None)
    assert (list(wide.periods.values()) if wide else None) == expected
    assert (wide.value if wide else None) == value


@pytest.mark.parametrize(
    ("extra", "mapping"),
    [
        (["Value"], None),  # a value column already: the years are something else
        (["Period"], None),
        (["Record ID"], None),
        (["Amount"], {"Amount": "value"}),
        ([], {"2020": "value"}),  # a period column mapped by the user: read as the mapping says
    ],
)
def test_not_wide_when_a_value_or_period_is_mapped(extra: list[str], mapping: dict[str, str] | None) -> None:
    assert find_wide([*BASE, *extra, "2019", "2020"], mapping) is None


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "national.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_per_period(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Reporter,Partner,Flow,HS code,2019,2020,Y2021\n"
        "Kazakhstan,China,import,848210,100,200,..\n"
        "Kazakhstan,Russia,export,854231,-,x,:\n"
        "Kazakhstan,Russia,export,854232,5,abc,7\n",
    )
    read = read_records(path)
    records = read.records.select("record_id", "line", "period", "period_months", "value")
    assert records.rows() == [
        ("national.csv:2/2019", 2, records["period"][0], 12, 100.0),
        ("national.csv:2/2020", 2, records["period"][1], 12, 200.0),
        ("national.csv:4/2019", 4, records["period"][2], 12, 5.0),
        ("national.csv:4/2021", 4, records["period"][3], 12, 7.0),
    ]
    assert [d.year for d in records["period"]] == [2019, 2020, 2019, 2021]
    # a line with no value keeps one row and is quarantined; an unreadable value quarantines its period only
    assert read.quarantine.select("line", "reason").rows() == [
        (3, "column value: missing"),
        (4, read.quarantine["reason"][1]),
    ]
    assert "'abc'" in read.quarantine["reason"][1]


def test_reshape_said_once(tmp_path: Path) -> None:
    rows = "".join(f"Kazakhstan,China,import,8482{i:02d},1,2\n" for i in range(30))
    path = _csv(tmp_path, "Reporter,Partner,Flow,HS code,2019,2020\n" + rows)
    said = [m for b in iter_batches(path, batch_rows=10) for m in b.messages]
    assert said == [f"{path}: a wide table: 2 period columns (2019 to 2020) read as one row per period"]


def test_workbook_with_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Reporter", "Partner", "Flow", "HS code", "2022 (EUR)", "2023 (EUR)"])
    sheet.append(["Germany", "Kyrgyzstan", "export", 848210, 1000, 2000.5])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    read = read_records(path)
    assert read.records.height == 2
    assert read.quarantine.height == 0
    assert read.records["value"].to_list() == pytest.approx([1000 * 1.0530, 2000.5 * 1.0813])


def test_inspect_shows_the_reshaped_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Reporter,Partner,Flow,HS code,2019,2020\nKazakhstan,China,import,848210,1,2\n")
    plan = column_plan(path)
    assert plan.kind == "flows"
    assert {s: t for s, t in plan.mapping.items() if t in {"period", "value", "record_id"}} == {
        "period": "period",
        "value": "value",
        "record_id": "record_id",
    }
