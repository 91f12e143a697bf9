"""The real-layouts corpus: every layout loads without a mapping, and a bad side field costs no row."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.ingest import read_records
from screening.schema import PARTY_COLUMNS

CORPUS = Path(__file__).parents[2] / "fixtures" / "real_layouts"

COUNTS = [
    # file, kind, rows read, stored, rows with a party screened, fields noted, quarantined
    ("vendor_short_ru.csv", "transactions", 5, 5, 5, 2, 0),
    ("vendor_full_uz.csv", "transactions", 4, 3, 3, 0, 1),
    ("vendor_mn.csv", "transactions", 4, 4, 3, 2, 0),
    ("vendor_am.csv", "transactions", 3, 3, 3, 0, 0),
    ("vendor_tr.csv", "transactions", 3, 2, 2, 0, 1),
    ("vendor_title_rows_kz.xlsx", "transactions", 4, 3, 3, 0, 1),
    ("comext_total.csv", "flows", 5, 5, 0, 1, 0),
    ("comext_labels.csv", "flows", 4, 4, 0, 1, 0),
    ("comtrade_api.csv", "flows", 3, 3, 0, 0, 0),
    ("comtrade_bulk.csv", "flows", 2, 2, 0, 0, 0),
]


@pytest.mark.parametrize(("name", "kind", "read", "stored", "screened", "noted", "quarantined"), COUNTS)
def test_corpus_counts(
    name: str, kind: str, read: int, stored: int, screened: int, noted: int, quarantined: int
) -> None:
    result = read_records(CORPUS / name)
    parties = [c for c in PARTY_COLUMNS if c in result.records.columns]
    has_party = pl.any_horizontal(pl.col(c).is_not_null() for c in parties) if parties else pl.lit(False)
    with_party = result.records.filter(has_party).height
    assert result.kind == kind
    assert (result.rows_read, result.records.height, with_party) == (read, stored, screened)
    assert (result.notes.height, result.quarantine.height) == (noted, quarantined)


VALUES = [
    # file, line, column, value stored
    ("vendor_short_ru.csv", 2, "shipper", "PERSIAN GLAZE TILE CO"),
    ("vendor_short_ru.csv", 2, "shipper_alt", "شرکت کاشی پرشین"),
    ("vendor_short_ru.csv", 4, "origin_country", "EU"),  # EUROPEAN UNION: an aggregate, kept
    ("vendor_short_ru.csv", 4, "shipper_country", None),  # OTHER COUNTRY: a placeholder
    ("vendor_short_ru.csv", 4, "quantity", None),  # N/A
    ("vendor_short_ru.csv", 5, "value", None),  # 'abc': nulled and noted, the row kept
    ("vendor_short_ru.csv", 2, "currency", "USD"),  # read from TOTAL_VALUE_USD
    ("vendor_full_uz.csv", 3, "record_id", "10702/15.03.2023/0001234/2"),  # declaration/item
    ("vendor_full_uz.csv", 3, "origin_country", "MD"),  # MOLDOVA/FOR CUSTOMS CLEARANCE
    ("vendor_full_uz.csv", 2, "hs_code", "84571010001"),  # an 11-digit national code, kept as declared
    ("vendor_full_uz.csv", 2, "hs6", "845710"),
    ("vendor_full_uz.csv", 2, "counterparty", "ISTANBUL MAKINA AS, TURKEY"),
    ("vendor_full_uz.csv", 2, "applicant", "OOO TASHKENT IMPORT"),
    ("vendor_full_uz.csv", 2, "declarant", "BROKER SERVIS"),
    ("vendor_mn.csv", 2, "origin_country", "CN"),  # БНХАУ
    ("vendor_mn.csv", 3, "origin_country", "US"),  # АНУ
    ("vendor_mn.csv", 4, "origin_country", "RU"),  # ОХУ
    ("vendor_mn.csv", 5, "shipper", None),  # UNKNOWN: a placeholder
    ("vendor_tr.csv", 2, "destination_country", "RU"),  # Rusya Federasyonu
    ("vendor_tr.csv", 2, "consignee_alt", "OOO PROMSNAB"),
    ("vendor_tr.csv", 3, "destination_country", "KZ"),  # Kazakistan
    ("vendor_title_rows_kz.xlsx", 7, "origin_country", "KR"),  # Корея, Республика
    ("comext_total.csv", 2, "reporter_country", "DE"),
    ("comext_total.csv", 3, "reporter_country", "IE"),
    ("comext_total.csv", 5, "reporter_country", "EU"),
    ("comext_total.csv", 6, "reporter_country", "EURO_AREA"),
    ("comext_total.csv", 6, "flow", "import"),
    ("comext_total.csv", 4, "period_months", 12),  # 201952-Jan.-Dec. 2019
    ("comext_total.csv", 2, "hs_code", None),  # TOTAL: no product detail, noted once
    ("comext_total.csv", 3, "value", pytest.approx(1234567 * 1.0824)),  # EUR at the 2024 ECB average
    ("comext_labels.csv", 2, "partner_country", "RU"),  # Russian Federation (Russia)
    ("comext_labels.csv", 2, "flow", "export"),  # EXPORTATION
    ("comext_labels.csv", 3, "period_months", 12),  # Y2019
    ("comtrade_api.csv", 4, "partner_country", "WORLD"),  # W00
    ("comtrade_api.csv", 4, "period_months", 1),  # period 202304, not refPeriodId
    ("comtrade_bulk.csv", 3, "value", 2900000.0),
]


@pytest.mark.parametrize(("name", "line", "column", "value"), VALUES)
def test_corpus_values(name: str, line: int, column: str, value: object) -> None:
    records = read_records(CORPUS / name).records
    assert records.filter(pl.col("line") == line)[column].to_list() == [value]


def test_total_product_rows_are_noted_once_per_file() -> None:
    notes = read_records(CORPUS / "comext_total.csv").notes
    assert notes.select("line", "column", "value").rows() == [(2, "PRODUCT", "TOTAL")]


@pytest.mark.parametrize(
    ("header", "listed"),
    [
        ("SUPPLIER_NAME_EN", "Concern Almaz-Antey JSC"),
        ("BUYER_NAME", "АО Концерн Алмаз-Антей"),  # the native name beside BUYER_NAME_EN
        ("CUSTOMS_APPLICANT_NAME", "Aquanika OOO"),
        ("CONTRACTORS_NAME_AND_LOCATION", "Hangzhou Hikvision Digital Technology Co Ltd"),
    ],
)
def test_listed_party_in_a_vendor_column_is_found(tmp_path: Path, header: str, listed: str) -> None:
    columns = ["SUPPLIER_NAME_EN", "BUYER_NAME_EN", "BUYER_NAME", "CUSTOMS_APPLICANT_NAME",
               "CONTRACTORS_NAME_AND_LOCATION", "HS_CODE", "ORIGIN_COUNTRY"]  # fmt: skip
    row = {c: f"Plain {c.title()} Trading Ltd" for c in columns} | {"HS_CODE": "691110", "ORIGIN_COUNTRY": "NULL"}
    path = tmp_path / "vendor.csv"
    pl.DataFrame([row | {header: listed}]).write_csv(path)
    hits = scan([path]).hits.filter(pl.col("rule_id") == "NAME-001")
    assert hits["party"].to_list() == [listed]
