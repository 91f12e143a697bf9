"""Each reader on the fixtures derived from, or written in the layout of, the real lists."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.lists import FORMATS, detect_format, read_list, watchlist_from_import
from screening.schema import QUARANTINE_COLUMNS
from screening.store import LIST_TABLES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"

# file, format, source, entities, names, identifiers, links, problems
CASES = [
    ("ofac_sdn_2021-07", "ofac_csv", "us_ofac_sdn", 15, 53, 30, 1, 0),
    ("ofac_sdn_2021-07/sdn.csv", "ofac_csv", "us_ofac_sdn", 15, 53, 30, 1, 0),
    ("ofac_cons_2025-12", "ofac_csv", "us_ofac_cons", 5, 22, 11, 0, 0),
    ("sdn_advanced_sample.xml", "ofac_xml", "us_ofac_sdn", 3, 5, 4, 1, 0),
    ("un_excerpt_2026-02-27.xml", "un_xml", "un_sc", 7, 18, 2, 0, 0),
    ("eu_fsf_sample.xml", "eu_xml", "eu_fsf", 2, 5, 2, 0, 0),
    ("uk_sanctions_list_sample.csv", "uk_csv", "gb_fcdo", 3, 7, 2, 0, 1),
    ("uk_sanctions_list_sample.xml", "uk_xml", "gb_fcdo", 3, 7, 2, 0, 0),
    ("us_csl_2019-12.csv", "csl_csv", "us_trade_csl", 12, 38, 4, 0, 0),
    ("bis_dpl_2022-09.txt", "bis_dpl", "us_bis_dpl", 10, 10, 0, 0, 0),
    ("zala_entities.ftm.json", "ftm_json", "opensanctions", 17, 245, 55, 14, 0),
    ("t1_entities.ftm.json", "ftm_json", "opensanctions", 6, 35, 2, 0, 0),
    ("targets.simple.csv", "os_simple_csv", "opensanctions", 2, 6, 1, 0, 0),
    ("generic_watchlist.csv", "generic_csv", "generic", 3, 6, 0, 0, 0),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_reader_counts(case: tuple[str, str, str, int, int, int, int, int]) -> None:
    name, fmt, source, ents, names, ids, links, probs = case
    path = FIXTURES / name
    assert detect_format(path) == fmt
    imp = read_list(path)
    assert (imp.format, imp.source) == (fmt, source)
    got = (imp.entities.height, imp.names.height, imp.identifiers.height, imp.ownership.height)
    assert (*got, imp.problems.height) == (ents, names, ids, links, probs)


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_frames_have_store_columns(name: str) -> None:
    imp = read_list(FIXTURES / name)
    for frame, table in (
        (imp.entities, "list_entities"),
        (imp.names, "list_names"),
        (imp.identifiers, "list_identifiers"),
        (imp.ownership, "ownership"),
    ):
        assert frame.schema == pl.Schema(LIST_TABLES[table])
    assert imp.problems.schema == pl.Schema(QUARANTINE_COLUMNS)
    assert imp.entities["entity_id"].str.starts_with(imp.source + ":").all() or imp.format == "generic_csv"
    assert imp.entities["entity_id"].is_unique().all()
    assert len(imp.sha256) == 64
    assert set(imp.names["entity_id"]) <= set(imp.entities["entity_id"])
    watch = watchlist_from_import(imp)
    listed = imp.entities.filter(pl.col("listed"))["entity_id"]
    assert watch.height == imp.names.filter(pl.col("entity_id").is_in(listed.implode())).height


def test_ftm_context_entities_are_not_listed() -> None:
    imp = read_list(FIXTURES / "zala_entities.ftm.json")
    listed = dict(zip(imp.entities["entity_id"], imp.entities["listed"], strict=True))
    assert listed["opensanctions:ru-inn-5920040846"] is False  # owned by a listed person, not a target
    assert listed["opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw"] is True  # Aleksandr Zakharov
    names = set(watchlist_from_import(imp)["entity_id"])
    assert "opensanctions:ru-inn-5920040846" not in names


def test_formats_registry_is_complete() -> None:
    assert {c[1] for c in CASES} == set(FORMATS)


def _entity(name: str, entity_id: str) -> dict[str, object]:
    imp = read_list(FIXTURES / name)
    row = imp.entities.filter(pl.col("entity_id") == entity_id).to_dicts()[0]
    row["names"] = dict(imp.names.filter(pl.col("entity_id") == entity_id).select("name", "name_type").iter_rows())
    row["ids"] = set(imp.identifiers.filter(pl.col("entity_id") == entity_id).select("id_type", "value").iter_rows())
    return row


def test_ofac_remarks_become_facts() -> None:
    row = _entity("ofac_sdn_2021-07", "us_ofac_sdn:12300")
    assert row["entity_schema"] == "Person"
    assert row["birth_dates"] == "1965-05-13;1968-04-13;1964-07-07"
    assert {("PASSPORT", "AL720622"), ("NATIONAL_ID", "1724897291"), ("TAX", "OUSV640707")} <= row["ids"]  # type: ignore[operator]


def test_ofac_aliases_and_russian_ids() -> None:
    bank = _entity("ofac_sdn_2021-07", "us_ofac_sdn:16681")
    assert {("BIC", "ROSYRU2P"), ("OGRN", "1027800000084"), ("INN", "7831000122")} <= bank["ids"]  # type: ignore[operator]
    assert _entity("ofac_sdn_2021-07", "us_ofac_sdn:306")["names"] == {
        "BANCO NACIONAL DE CUBA": "primary",
        "NATIONAL BANK OF CUBA": "alias",
        "BNC": "weak_alias",
    }
    assert "former" in _entity("ofac_sdn_2021-07", "us_ofac_sdn:4359")["names"].values()  # type: ignore[attr-defined]


def test_ofac_vessel_imo_flag_and_link() -> None:
    vessel = _entity("ofac_sdn_2021-07", "us_ofac_sdn:30823")
    assert (vessel["entity_schema"], vessel["countries"]) == ("Vessel", "RU")
    assert ("IMO", "8674156") in vessel["ids"]  # type: ignore[operator]
    links = read_list(FIXTURES / "ofac_sdn_2021-07").ownership
    assert links.select("owner_id", "owned_id", "share").row(0) == (
        "us_ofac_sdn:30822",
        "us_ofac_sdn:30823",
        None,
    )


def test_hikvision_cmic_entry() -> None:
    row = _entity("ofac_cons_2025-12", "us_ofac_cons:30946")
    assert row["programs"] == "CMIC-EO13959"
    assert str(row["listed_on"]) == "2021-06-03"
    assert ("ISIN", "CNE100000PM8") in row["ids"]  # type: ignore[operator]
    assert row["names"]["HIKVISION"] == "alias"  # type: ignore[index]


def test_ofac_xml_matches_csv_ids() -> None:
    bank = _entity("sdn_advanced_sample.xml", "us_ofac_sdn:16681")
    assert bank["names"] == {
        "BANK ROSSIYA": "primary",
        "ROSSIYA": "weak_alias",
        "JOINT STOCK COMPANY AKTSIONERNY BANK ROSSIYA": "alias",
    }
    assert (bank["programs"], str(bank["listed_on"])) == ("UKRAINE-EO13661", "2014-03-20")
    person = _entity("sdn_advanced_sample.xml", "us_ofac_sdn:12300")
    assert (person["birth_dates"], person["countries"]) == ("1965-05-13", "CO")


def test_un_qualities_and_original_script() -> None:
    imp = read_list(FIXTURES / "un_excerpt_2026-02-27.xml")
    kinds = set(imp.names["name_type"])
    assert {"primary", "alias", "weak_alias", "original_script"} <= kinds
    weak = imp.names.filter(pl.col("name_type") == "weak_alias")
    assert (weak["strength"] == "weak").all()
    assert imp.entities["listed_on"].null_count() == 0


def test_ftm_ownership_shares_are_fractions() -> None:
    links = read_list(FIXTURES / "zala_entities.ftm.json").ownership
    shares = links["share"]
    assert shares.null_count() == 4
    assert shares.drop_nulls().is_between(0, 1).all()
    assert 0.51 in shares.to_list() and 1.0 in shares.to_list()


def test_uk_weak_alias_and_ship() -> None:
    for name in ("uk_sanctions_list_sample.csv", "uk_sanctions_list_sample.xml"):
        bank = _entity(name, "gb_fcdo:RUS0250")
        assert bank["names"]["ROSSIYA"] == "weak_alias"  # type: ignore[index]
        ship = _entity(name, "gb_fcdo:RUS1900")
        assert (ship["entity_schema"], ship["countries"], ship["ids"]) == (
            "Vessel",
            "GA",
            {("IMO", "9256597")},
        )


def test_generic_rows_with_one_id_are_aliases() -> None:
    row = _entity("generic_watchlist.csv", "generic:romashka-1")
    assert row["names"] == {
        "OOO Romashka": "primary",
        "ООО Ромашка": "alias",
        "Romashka LLC": "alias",
    }
    assert (row["source"], row["remarks"]) == ("generic", "source column: demo_list")
