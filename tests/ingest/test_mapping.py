"""A second party name column, by synonym or a duplicated header cell, is screened or refused, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from screening.errors import InputError
from screening.ingest import read_records
from screening.ingest.mapping import PATTERN_EXAMPLES, claims, resolve

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


# Rows copied from the public files in ../shared/data (list entries and HS codes are public facts).
CSL_HEADER = "source,entity_number,type,name,addresses,citizenships,dates_of_birth,nationalities,ids"  # us_csl_2019-12
CSL_ROW = ("Specially Designated Nationals (SDN) - Treasury Department,22094,Individual,\"AL-'UBAYSI, Mus'id\","
           "SY,,1965-07-01,SY,\"US, 80-0890696, Tax ID No.\"")  # fmt: skip
DPL_HEADER = '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"'  # lists/bis_dpl_2022-09.txt
DPL_ROW = '"AARON ABRAHAM VILLA"\t"3415 RIVERA AVENUE"\t"EL PASO"\t"TX"\t"US"'
VALREP_HEADER = "full_name,first_name,middle_name,last_name,gender,date_of_birth,place_of_birth,nationality"
VALREP_ROW = "Ingeborg Abrahamsen,Ingeborg,,Abrahamsen,female,1972-11-21,Birmingham,France"  # names_dev/valrep_*
EU_HEADER = "hs6,sanction_date,sanctioned,partially_exempt,dual_use,category"  # reference/eu_sanctions_hs6_master
EU_ROW = "010121,2022-03-15,1.0,0.0,,luxury"
CHPL_HEADER = "tier,tier_description,hs6_hs2022,hs2022_description,hs2017_equivalent,hs2017_description"
CHPL_ROW = "1,Items of the highest concern,854231,Electronic integrated circuits; processors,854231,processors"


@pytest.mark.parametrize(("source", "header", "row", "expected"), [
    ("us_csl", CSL_HEADER, CSL_ROW,
     {"name": "AL-'UBAYSI, Mus'id", "address": "SY", "birth_date": "1965-07-01", "country": "SY",
      "identifier": "US, 80-0890696, Tax ID No.", "entity_schema": "Person"}),
    ("bis_dpl", DPL_HEADER, DPL_ROW, {"name": "AARON ABRAHAM VILLA", "address": "3415 RIVERA AVENUE", "country": "US"}),
    ("valrep", VALREP_HEADER, VALREP_ROW,
     {"name": "Ingeborg Abrahamsen", "birth_date": "1972-11-21", "country": "FR"}),
    ("eu_hs6", EU_HEADER, EU_ROW, {"hs_code": "010121", "hs6": "010121"}),
    ("chpl", CHPL_HEADER, CHPL_ROW, {"hs_code": "854231", "description": "Electronic integrated circuits; processors"}),
])  # fmt: skip
def test_real_list_and_reference_columns_are_recognised(
    source: str, header: str, row: str, expected: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / f"{source}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    records = read_records(path).records
    assert {c: records[c][0] for c in expected} == expected


@pytest.mark.parametrize(("header", "expected"), [
    (["From HS2022", "To HS2017"], {"From HS2022": "hs_code", "To HS2017": None}),  # the UN correlation workbook
    (["HS2022", " HS2017", "Relationship"], {"HS2022": "hs_code", " HS2017": None, "Relationship": None}),
    (["HTS10", "HS6 description"], {"HTS10": "hs_code", "HS6 description": "description"}),
    (["HS2017_equivalent", "hashes", "house"], {"HS2017_equivalent": None, "hashes": None, "house": None}),
])  # fmt: skip
def test_hs_column_named_with_its_digits_or_year(header: list[str], expected: dict[str, str | None]) -> None:
    assert resolve(header) == expected


def test_workbook_header_under_a_title_row_found_by_an_hs_column(tmp_path: Path) -> None:
    # reference/HS2022toHS2017ConversionAndCorrelationTables.xlsx, sheet "HS2022-HS2017 Correlations"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Between", None, None], ["HS2022", " HS2017", "Relationship"], ["010121", "010121", "1:1"]):
        sheet.append(row)
    book.save(tmp_path / "correlation.xlsx")
    records = read_records(tmp_path / "correlation.xlsx").records
    assert records.select("hs_code", "line").row(0) == ("010121", 3)


@pytest.mark.parametrize("canonical", sorted(PATTERN_EXAMPLES))
def test_pattern_examples_shown_by_inspect_are_recognised(canonical: str) -> None:
    examples = [e.strip(" …") for e in PATTERN_EXAMPLES[canonical].split(",")]
    assert set(resolve(examples[:1]).values()) == {canonical}
    assert all(claims([e])[e] == canonical for e in examples)


@pytest.mark.parametrize(("header", "expected"), [
    ("Customer Name", "name"), ("CLIENT_NAME", "name"), ("Legal Name", "name"), ("Account Holder", "name"),
    ("Наименование клиента", "name"), ("ФИО", "name"), ("Country of Residence", "country"),
    ("Country Code", "country"), ("Passport Number", "identifier"), ("ОГРН", "identifier"),
    ("Year of Birth", "birth_date"), ("Beneficiary Name", "beneficiary"), ("Payer Name", "originator"),
    ("Ordering Customer Name", "originator"), ("Remitter", "originator"),
])  # fmt: skip
def test_bank_export_column_names(header: str, expected: str) -> None:
    assert resolve([header]) == {header: expected}
