"""Entity red flags (ENTITY-001…007) as pure functions over canonical frames: hits, hard negatives."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.goods.hs import normalize_hs
from screening.trade.redflags import REDFLAG_HITS, conform, conform_parties
from screening.trade.redflags_changes import late_changes
from screening.trade.redflags_contacts import forwarder_end_users, shared_contacts
from screening.trade.redflags_links import russian_links, settlement_flags
from screening.trade.redflags_new import chpl_without_history, new_hub_parties, new_incorporations

Rule = Callable[[pl.DataFrame], pl.DataFrame]
# A record long before the cut-off, so that "new since 24 Feb 2022" means something.
OLD = {"date": "2019-01-03", "consignee": "BASE GMBH", "consignee_country": "DE", "hs_code": "691110"}


def tx(*rows: dict[str, Any]) -> pl.DataFrame:
    """Return canonical transactions from rows of text values, as ingestion would give them."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    raw = pl.DataFrame([{k: row.get(k) for k in keys} for row in rows], schema=dict.fromkeys(keys, pl.String))
    raw = raw.with_row_index("n", offset=1).with_columns(
        record_id=pl.col("record_id") if "record_id" in keys else pl.format("R{}", pl.col("n")),
        source_file=pl.lit("test.csv"),
        line=pl.col("n").cast(pl.Int64) + 1,
        date=pl.col("date").str.to_date() if "date" in keys else pl.lit(None, pl.Date),
    )
    if "hs_code" in keys:
        raw = raw.with_columns(normalize_hs(pl.col("hs_code")).alias("_hs")).drop("hs_code").unnest("_hs")
    return conform(raw)


def parties(*rows: dict[str, Any]) -> pl.DataFrame:
    """Return canonical party records from rows of text values."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    raw = pl.DataFrame([{k: row.get(k) for k in keys} for row in rows], schema=dict.fromkeys(keys, pl.String))
    raw = raw.with_row_index("n", offset=1).with_columns(
        record_id=pl.format("P{}", pl.col("n")),
        line=pl.col("n").cast(pl.Int64) + 1,
        incorporated=pl.col("incorporated").str.to_date() if "incorporated" in keys else pl.lit(None, pl.Date),
    )
    return conform_parties(raw)


def kg(name: str, when: str, hs: str, **more: str) -> dict[str, str]:
    """Return a row of goods from a German shipper to a consignee in Kyrgyzstan."""
    row = {"date": when, "consignee": name, "consignee_country": "KG", "hs_code": hs, "shipper": "ACME GMBH"}
    return {**row, "shipper_country": "DE", **more}


CASES: list[tuple[str, Rule, list[dict[str, Any]], set[str], str]] = [
    # ENTITY-001 new party receiving CHPL goods
    ("001 new", new_hub_parties, [OLD, kg("TOO KARGO", "2022-05-14", "848210")], {"TOO KARGO"},
     "first appears on 2022-05-14"),
    ("001 heading", new_hub_parties, [OLD, kg("TOO KARGO", "2022-05-14", "8542")], {"TOO KARGO"}, "8542"),
    ("001 long-standing", new_hub_parties, [kg("OLD KG", "2019-02-01", "691110"), kg("OLD KG", "2022-05-14", "848210")],
     set(), ""),
    ("001 seen as shipper", new_hub_parties,
     [{**OLD, "shipper": "OOO ALFA"}, kg("ALFA LLC", "2022-05-14", "848210")], set(), ""),
    ("001 non-hub", new_hub_parties, [OLD, {**kg("NEU GMBH", "2022-05-14", "848210"), "consignee_country": "FR"}],
     set(), ""),
    ("001 ordinary goods", new_hub_parties, [OLD, kg("TOO KARGO", "2022-05-14", "691110")], set(), ""),
    ("001 no history", new_hub_parties, [kg("TOO KARGO", "2022-05-14", "848210")], set(), ""),
    # ENTITY-002 CHPL goods without history
    ("002 new to CHPL", chpl_without_history,
     [kg("OLD KG", "2020-01-01", "691110"), kg("OLD KG", "2023-01-01", "854231")], {"OLD KG"},
     "only non-CHPL goods before 24 Feb 2022"),
    ("002 always CHPL", chpl_without_history,
     [kg("OLD KG", "2020-01-01", "854232"), kg("OLD KG", "2023-01-01", "854231")], set(), ""),
    ("002 non-hub", chpl_without_history,
     [{**OLD, "date": "2020-01-01"}, {**OLD, "date": "2023-01-01", "hs_code": "854231"}], set(), ""),
    ("002 new party", chpl_without_history, [OLD, kg("NEW KG", "2023-01-01", "854231")], set(), ""),
    ("002 still ordinary", chpl_without_history,
     [kg("OLD KG", "2020-01-01", "691110"), kg("OLD KG", "2023-01-01", "691110")], set(), ""),
    # ENTITY-003 ships to or paid by Russia/Belarus
    ("003 ships to RU", russian_links,
     [kg("ARM TRADE", "2022-05-01", "854231", consignee_country="AM"),
      {"date": "2022-06-01", "shipper": "ARM TRADE LLC", "consignee": "OOO ROMASHKA", "destination_country": "RU",
       "hs_code": "854231"}], {"ARM TRADE"}, "ships to RU"),
    ("003 paid from RU", russian_links,
     [kg("ARM TRADE", "2022-05-01", "854231", consignee_country="AM"),
      {"date": "2022-06-01", "beneficiary": "ARM TRADE", "originator_bank": "SABRRUMM", "value": "100"}],
     {"ARM TRADE"}, "paid through banks in RU"),
    ("003 ships to DE", russian_links,
     [kg("ARM TRADE", "2022-05-01", "854231", consignee_country="AM"),
      {"date": "2022-06-01", "shipper": "ARM TRADE", "consignee": "X GMBH", "destination_country": "DE"}], set(), ""),
    ("003 no CHPL in", russian_links,
     [kg("ARM TRADE", "2022-05-01", "691110", consignee_country="AM"),
      {"date": "2022-06-01", "shipper": "ARM TRADE", "consignee": "OOO ROMASHKA", "destination_country": "RU"}],
     set(), ""),
    ("003 non-hub", russian_links,
     [{**OLD, "hs_code": "854231", "consignee": "BASE GMBH"},
      {"date": "2022-06-01", "shipper": "BASE GMBH", "consignee": "OOO ROMASHKA", "destination_country": "RU"}],
     set(), ""),
    # ENTITY-005 freight forwarder as end user
    ("005 logistics", forwarder_end_users, [kg("TOO KARGO LOGISTIC", "2022-05-14", "848210")], {"TOO KARGO LOGISTIC"},
     "freight forwarder ('KARGO')"),
    ("005 chinese", forwarder_end_users, [kg("深圳市货运有限公司", "2022-05-14", "854231", consignee_country="HK")],
     {"深圳市货运有限公司"}, "货运"),
    ("005 russian", forwarder_end_users,
     [kg("ООО Транспортная компания", "2022-05-14", "854231", consignee_country="KZ")],
     {"ООО Транспортная компания"}, "Транспортная"),
    ("005 turkish", forwarder_end_users, [kg("Nakliyat A.S.", "2022-05-14", "854231", consignee_country="TR")],
     {"Nakliyat A.S."}, ""),
    ("005 ordinary goods", forwarder_end_users, [kg("TOO KARGO LOGISTIC", "2022-05-14", "691110")], set(), ""),
    ("005 non-hub", forwarder_end_users, [{**OLD, "consignee": "Schenker Logistics", "hs_code": "854231"}], set(), ""),
    ("005 not a word", forwarder_end_users, [kg("EXPRESSIONS ART", "2022-05-14", "854231")], set(), ""),
    # ENTITY-006 settlement
    ("006 CNY", settlement_flags, [kg("KG BUYER", "2022-05-14", "854231", currency="CNY")], {"KG BUYER"},
     "paid in CNY though neither side is in CN"),
    ("006 CNY chinese seller", settlement_flags,
     [kg("KG BUYER", "2022-05-14", "854231", currency="CNY", shipper_country="CN")], set(), ""),
    ("006 third-country bank", settlement_flags,
     [kg("KG BUYER", "2022-05-14", "854231", currency="USD", beneficiary_bank="EBILAEAD")], {"KG BUYER"},
     "beneficiary bank EBILAEAD is in AE"),
    ("006 USD clearing", settlement_flags,
     [kg("KG BUYER", "2022-05-14", "854231", currency="USD", intermediary_bank="CHASUS33",
         beneficiary_bank="DEUTDEFF", originator_bank="KICBKG22")], set(), ""),
    ("006 second intermediary of a message", settlement_flags,
     [kg("KG BUYER", "2022-05-14", "854231", currency="USD", intermediary_bank_2="EBILAEAD",
         beneficiary_bank="DEUTDEFF", originator_bank="KICBKG22")], {"KG BUYER"},
     "intermediary bank 2 EBILAEAD is in AE"),
    ("006 USD clearing third intermediary", settlement_flags,
     [kg("KG BUYER", "2022-05-14", "854231", currency="USD", intermediary_bank_3="CHASUS33",
         beneficiary_bank="DEUTDEFF", originator_bank="KICBKG22")], set(), ""),
    ("006 ordinary goods", settlement_flags, [kg("KG BUYER", "2022-05-14", "691110", currency="CNY")], set(), ""),
    ("006 not bound for a hub", settlement_flags,
     [{**OLD, "hs_code": "854231", "currency": "CNY", "shipper_country": "US"}], set(), ""),
    # ENTITY-007 late change of consignee or destination
    ("007 consignee change", late_changes,
     [{**OLD, "date": "2023-03-01", "shipper": "S1", "hs_code": "854231", "quantity": "100", "value": "5000"},
      kg("BETA LLC", "2023-03-05", "854231", shipper="S1", quantity="100", value="5000")], {"BETA LLC"},
     "then R2 on 2023-03-05 to BETA LLC (KG)"),
    ("007 destination to RU", late_changes,
     [{**OLD, "date": "2023-03-01", "shipper": "S1", "hs_code": "854231", "value": "5000"},
      {**OLD, "date": "2023-03-02", "shipper": "S1", "hs_code": "854231", "value": "5000",
       "destination_country": "RU"}],
     {"BASE GMBH"}, "(RU)"),
    ("007 date-only correction", late_changes,
     [kg("BETA LLC", "2023-03-01", "854231", quantity="100", value="5000"),
      kg("BETA LLC", "2023-03-05", "854231", quantity="100", value="5000")], set(), ""),
    ("007 change away from hub", late_changes,
     [kg("BETA LLC", "2023-03-01", "854231", value="5000"),
      {**OLD, "date": "2023-03-05", "shipper": "ACME GMBH", "hs_code": "854231", "value": "5000"}], set(), ""),
    ("007 too late", late_changes,
     [{**OLD, "date": "2023-01-01", "shipper": "S1", "hs_code": "854231", "value": "5000"},
      kg("BETA LLC", "2023-03-05", "854231", shipper="S1", value="5000")], set(), ""),
    ("007 other value", late_changes,
     [{**OLD, "date": "2023-03-01", "shipper": "S1", "hs_code": "854231", "value": "5000"},
      kg("BETA LLC", "2023-03-05", "854231", shipper="S1", value="5001")], set(), ""),
]  # fmt: skip


def _check(hits: pl.DataFrame, parties_hit: set[str], detail: str) -> None:
    """Assert the hits name exactly the expected parties, once each, with the detail and valid scores."""
    assert hits.schema == pl.Schema(REDFLAG_HITS)
    assert set(hits["party"].to_list()) == parties_hit
    assert hits.height == len(parties_hit)
    assert hits["score"].is_between(0.0, 1.0, closed="right").all()
    if detail:
        assert all(detail in d for d in hits["detail"].to_list()), hits["detail"].to_list()


@pytest.mark.parametrize(("name", "rule", "rows", "expected", "detail"), CASES, ids=[c[0] for c in CASES])
def test_rule_cases(name: str, rule: Rule, rows: list[dict[str, Any]], expected: set[str], detail: str) -> None:
    _check(rule(tx(*rows)), expected, detail)


INCORPORATED = [
    ("new in hub", [{"name": "TOO KARGO", "country": "KG", "incorporated": "2022-03-01"}], {"TOO KARGO"},
     "incorporated on 2022-03-01"),
    ("receives CHPL", [{"name": "Kargo TOO", "country": "KG", "incorporated": "2022-03-01"}], {"Kargo TOO"},
     "receives CHPL goods in this run"),
    ("old in hub", [{"name": "TOO KARGO", "country": "KG", "incorporated": "2021-03-01"}], set(), ""),
    ("new elsewhere", [{"name": "NEU GMBH", "country": "DE", "incorporated": "2023-03-01"}], set(), ""),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "expected", "detail"), INCORPORATED, ids=[c[0] for c in INCORPORATED])
def test_new_incorporations(name: str, rows: list[dict[str, Any]], expected: set[str], detail: str) -> None:
    goods = tx(OLD, kg("TOO KARGO", "2022-05-14", "848210"))
    _check(new_incorporations(parties(*rows), goods), expected, detail)


def _at(name: str, country: str, **contact: str) -> dict[str, str]:
    """Return a goods row for a consignee with contact details."""
    return {**kg(name, "2021-01-01", "691110"), "consignee_country": country, **contact}


LISTED = pl.DataFrame({"party": ["ROSTEC TRADING"], "listed_as": ["ROSTEC"]})
SHARED = [
    ("phone, three formats", [_at("A LLC", "KG", phone="+996 555 123 456"), _at("B LLC", "KG", phone="0555123456"),
                             _at("C GMBH", "DE", phone="(555) 123-456")], None, {"A LLC", "B LLC"},
     "with 2 other party(ies)"),
    ("address by two only", [_at("A LLC", "KG", address="12 Abay Ave, Bishkek"),
                             _at("B LLC", "KG", address="Abay Ave 12 Bishkek")], None, set(), ""),
    ("one party thrice", [_at("A LLC", "KG", address="12 Abay Ave"), _at("A LLC", "KG", address="12 Abay Ave"),
                          _at("OOO A", "KG", address="12 Abay Ave")], None, set(), ""),
    ("listed neighbour", [_at("A LLC", "KG", address="12 Abay Ave, Bishkek"),
                          _at("ROSTEC TRADING", "RU", address="12 ABAY AVE BISHKEK")], LISTED, {"A LLC"},
     "including listed ROSTEC TRADING (~ ROSTEC)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "listed", "expected", "detail"), SHARED, ids=[c[0] for c in SHARED])
def test_shared_contacts(
    name: str, rows: list[dict[str, Any]], listed: pl.DataFrame | None, expected: set[str], detail: str
) -> None:
    _check(shared_contacts(tx(*rows), listed=listed), expected, detail)


def test_shared_director_across_tables() -> None:
    people = parties(
        {"name": "KZ ONE TOO", "country": "KZ", "director": "Ivanov Ivan"},
        {"name": "DE ONE GMBH", "country": "DE", "director": "IVAN IVANOV"},
        {"name": "DE TWO GMBH", "country": "DE", "director": "Иван Иванов"},
    )
    _check(shared_contacts(tx(OLD), people), {"KZ ONE TOO"}, "shares its director 'Ivanov Ivan'")


def _ledger_module() -> Any:
    """Import the synthetic-ledger benchmark from fixtures/ (not a package)."""
    path = Path(__file__).parent.parent.parent / "fixtures" / "trade" / "redflags_ledger.py"
    spec = importlib.util.spec_from_file_location("redflags_ledger", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_planted_ledger_benchmark() -> None:
    ledger = _ledger_module()
    transactions, party_rows, truth = ledger.make_ledger()
    assert transactions.height > 50_000
    scores = ledger.benchmark(transactions, party_rows, truth)
    for rule_id, row in scores.items():
        print(f"{rule_id}: planted {row['planted']}, recall {row['recall']:.2f}, false flags {row['false_flags']}")
    assert all(row["recall"] == 1.0 and row["planted"] >= 10 for row in scores.values())
    assert scores == json.loads(ledger.GOLDEN.read_text(encoding="utf-8"))  # the committed reference run
