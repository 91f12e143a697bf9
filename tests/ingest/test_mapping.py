"""A second party name column, by synonym or a duplicated header cell, is screened or refused, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from screening.errors import InputError
from screening.ingest import read_records
from screening.ingest.mapping import resolve

Writer = Callable[[Path, list[str], list[str]], Path]


def _csv(path: Path, header: list[str], row: list[str]) -> Path:
    """Write a one-record CSV file and return its path."""
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, header: list[str], row: list[str]) -> Path:
    """Write a one-record workbook and return its path."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(("header", "expected"), [
    (["shipper", "consignee", "consignee", "hs_code"],
     {"shipper": "A", "consignee": "B", "consignee_alt": "C"}),
    (["shipper", "exporter", "consignee", "hs_code"],
     {"shipper": "A", "shipper_alt": "B", "consignee": "C"}),
    (["SHIPPER", "shipper", "consignee", "hs_code"],
     {"shipper": "A", "shipper_alt": "B", "consignee": "C"}),
    (["seller", "seller", "buyer", "hs_code"],
     {"shipper": "A", "shipper_alt": "B", "consignee": "C"}),
])  # fmt: skip
@pytest.mark.parametrize(("write", "suffix"), [(_csv, ".csv"), (_xlsx, ".xlsx")])
def test_second_party_column_is_screened(
    header: list[str], expected: dict[str, str], write: Writer, suffix: str, tmp_path: Path
) -> None:
    path = write(tmp_path / f"ledger{suffix}", header, ["A", "B", "C", "8501"])
    records = read_records(path).records
    assert {c: records[c][0] for c in expected} == expected


@pytest.mark.parametrize(("header", "mapping", "columns"), [
    (["consignee", "consignee", "consignee", "hs_code"], None, "'consignee' and 'consignee_3'"),
    (["shipper", "supplier_name", "seller", "hs_code"], None, "'shipper' and 'seller'"),
    (["name", "company name", "country", "x"], None, "'name' and 'company name'"),
    (["vessel", "ship", "hs_code", "x"], None, "'vessel' and 'ship'"),
    (["a", "payer", "hs_code", "x"], {"a": "originator"}, "'a' and 'payer'"),
])  # fmt: skip
def test_unscreenable_party_column_is_refused(
    header: list[str], mapping: dict[str, str] | None, columns: str, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "ledger.csv", header, ["A", "B", "8501", "D"])
    with pytest.raises(InputError) as caught:
        read_records(path, mapping)
    text = str(caught.value)
    assert text.startswith(str(path)) and f"columns {columns} both map to the party column" in text
    assert "\n" not in text


@pytest.mark.parametrize(("columns", "explicit", "expected"), [
    (["consignee", "consignee_2"], None, {"consignee": "consignee", "consignee_2": "consignee_alt"}),
    (["item_2"], None, {"item_2": None}),
    (["consignee", "consignee_2"], {"consignee_2": ""}, {"consignee": "consignee", "consignee_2": None}),
    (["value", "value_2"], None, {"value": "value", "value_2": None}),
    (["shipper_2", "shipper"], None, {"shipper_2": None, "shipper": "shipper"}),
])  # fmt: skip
def test_resolve_duplicated_header(
    columns: list[str], explicit: dict[str, str] | None, expected: dict[str, str | None]
) -> None:
    assert resolve(columns, explicit) == expected
