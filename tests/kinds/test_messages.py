"""Payment-message kinds and the other rules on message records, over a real scan of the hand-written fixtures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.kinds.base import Resources, ScanContext
from screening.kinds.messages import (
    ENTITY_CORES,
    _name_patterns,
    bic_country,
    hub_routing,
    imo_valid,
    remittance_text,
    text_forms,
)
from screening.kinds.names import NAME_INDEX, watchlist_index
from screening.names import build_index

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "messages"


@pytest.fixture(scope="module")
def hits() -> pl.DataFrame:
    result = scan([FIXTURES / "pacs008.xml", FIXTURES / "mt103.fin"])
    return result.reported.frame().sort("rule_id", "record_id")


@pytest.mark.parametrize(
    ("rule", "record", "line", "detail"),
    [
        ("NAME-001", "MSG-0001/1", 14, "ultimate_creditor: Concern Almaz-Antey JSC ~ JOINT-STOCK COMPANY CONCERN"),
        ("GOODS-001", "MSG-0001/1", 14, "CHPL tier 3.B: 848210"),  # the HS code written in the remittance text
        ("GOODS-003", "REF0001/1", 1, "description says 'ball bearing'"),
        ("PAY-001", "MSG-0001/1", 14, "(ultimate creditor, ?, 2023-04-03, $1.2 M): money reaches a listed party"),
        ("PAY-002", "MSG-0002/1", 54, "routed through originator_bank KICBKG22XXX in KG; beneficiary OOO Romashka"),
        ("PAY-002", "REF0002/2", 19, "beneficiary OOO ROMASHKA is in RU (address)"),
        ("PAY-003", "MSG-0001/1", 14, "remittance names Russian port Novorossiysk"),
    ],
)
def test_hits_point_at_the_message(hits: pl.DataFrame, rule: str, record: str, line: int, detail: str) -> None:
    found = hits.filter((pl.col("rule_id") == rule) & (pl.col("record_id") == record))
    assert found.height == 1
    assert found["line"][0] == line
    assert detail in found["detail"][0]


def test_no_hit_on_the_ordinary_payment(hits: pl.DataFrame) -> None:
    assert hits.filter(pl.col("record_id") == "MSG-0001/2").is_empty()


@pytest.mark.parametrize(
    ("value", "country"), [("KICBKG22XXX", "KG"), ("SABRRUMM", "RU"), ("Some Bank", None), ("DEUTDEFF1", None)]
)
def test_bic_country(value: str, country: str | None) -> None:
    assert pl.select(bic_country(pl.lit(value))).item() == country


@pytest.mark.parametrize(("number", "valid"), [("9321483", True), ("8943155", True), ("8943156", False)])
def test_imo_check_digit(number: str, valid: bool) -> None:
    assert pl.select(imo_valid(pl.lit(number))).item() is valid


@pytest.mark.parametrize(("ports", "found"), [([], 0), (["Novorossiysk"], 1), (["Ust-Luga"], 0)])
def test_remittance_ports(ports: list[str], found: int) -> None:
    frame = pl.LazyFrame(
        {"record_id": ["r1"], "description": ["spares, port of Novorossiysk"], "message_type": ["pacs.008.001.08"]}
    )
    hits = remittance_text(ports=ports, min_name_chars=60)(frame, ScanContext(record_kind="transactions")).collect()
    assert hits.filter(pl.col("detail").str.contains("port")).height == found  # no port given: no crash, no hit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_remittance_names_do_not_depend_on_the_index_order(seed: int) -> None:
    index = watchlist_index(ScanContext(record_kind="transactions"))
    shuffled = replace(index, names=index.names.sample(fraction=1.0, shuffle=True, seed=seed))
    assert _name_patterns(text_forms(shuffled), 8) == _name_patterns(text_forms(index), 8)


# a listed Person's name keeps edge words that read as a legal form (B M: בע"מ) and loses its titles
TYPED = [
    ("smith", "SMITH, Johnathan B M", "Person"),
    ("khamis", "Dr. Abdelkarim Khamis", "Person"),
    ("trading", "JOHNATHAN SMITH TRADING", "Organization"),
    ("ghali", "AG GHALI, Iyad", "Person"),  # AG reads as a legal form in free text
]


@pytest.mark.parametrize(
    ("description", "parties", "named"),
    [
        ("Payment to SMITH Johnathan, inv 4", {}, "SMITH, Johnathan B M"),  # written without the edge words
        ("Payment to SMITH Johnathan B M inv 4", {}, "SMITH, Johnathan B M"),  # and with them
        ("Fee Dr Abdelkarim Khamis inv 4", {}, "Dr. Abdelkarim Khamis"),  # with the title
        ("Fee Abdelkarim Khamis inv 4", {}, "Dr. Abdelkarim Khamis"),  # and without it
        ("JOHNATHAN SMITH TRADING goods", {}, "JOHNATHAN SMITH TRADING"),
        # the party is the listed Person as free text reads it: NAME-001's
        ("Payment to SMITH Johnathan, inv 4", {"beneficiary": "Smith Johnathan"}, None),
        ("Payment to SMITH Johnathan, inv 4", {"beneficiary": "Alfa Trade LLC"}, "SMITH, Johnathan B M"),
        # ... or as NAME-001 reads the party (untyped: its title goes)
        ("Fee Abdelkarim Khamis inv 4", {"beneficiary": "Prof Abdelkarim Khamis"}, None),
        # ... in any word order, as NAME-001 compares names
        ("Payment to SMITH Johnathan, inv 4", {"beneficiary": "Johnathan Smith"}, None),
        ("transfer GHALI IYAD ref", {}, "AG GHALI, Iyad"),
        ("transfer GHALI IYAD ref", {"beneficiary": "Iyad Ghali"}, None),
        ("transfer GHALI IYAD ref", {"beneficiary": "Iyad Ag Ghali"}, None),
        ("transfer GHALI IYAD ref", {"beneficiary": "Iyad Ghali Trading"}, "AG GHALI, Iyad"),
        ("Payment to JOHNATHAN SMYTHE", {}, None),
    ],
)  # fmt: skip
def test_remittance_finds_a_typed_name_as_free_text_writes_it(
    description: str, parties: dict[str, str], named: str | None
) -> None:
    watchlist = pl.DataFrame(TYPED, schema=["entity_id", "name", "entity_schema"], orient="row")
    ctx = ScanContext(record_kind="transactions", resources=Resources({NAME_INDEX.name: build_index(watchlist)}))
    row = {"record_id": "r1", "description": description, "message_type": "MT103", "beneficiary": None, **parties}
    frame = pl.LazyFrame([row], schema=dict.fromkeys(row, pl.String))
    hits = remittance_text(ports=[])(frame, ctx).collect()
    assert hits["party"].to_list() == ([] if named is None else [named])


HUBS, DESTINATIONS = ["KG", "KZ", "AE"], ["RU", "BY"]
DE_TO_KG = {"originator": "Nordtech GmbH", "originator_bank": "DEUTDEFFXXX", "beneficiary": "Alfa Trade LLC",
            "beneficiary_bank": "KICBKG22XXX"}  # fmt: skip


def routed(**columns: str) -> pl.DataFrame:
    """Return PAY-002's hits on one record with the given columns (every other agent and party column null)."""
    names = ("originator_country", "beneficiary_country", "originator_account", "beneficiary_account", "party_ids",
             "intermediary_bank", "intermediary_bank_2", "intermediary_bank_3", "previous_instructing_agent",
             "instructing_agent", "instructed_agent", "ultimate_debtor", "ultimate_creditor", "initiating_party",
             *DE_TO_KG)  # fmt: skip
    row = {"record_id": "r1", **dict.fromkeys(names), **columns}
    frame = pl.LazyFrame([row], schema=dict.fromkeys(row, pl.String))
    check = hub_routing(hubs=HUBS, destinations=DESTINATIONS)
    return check(frame, ScanContext(record_kind="transactions")).collect()


@pytest.mark.parametrize(
    ("columns", "party", "detail"),
    [
        ({"ultimate_creditor": "OOO Romashka", "party_ids": "ultimate_creditor=INN:7701234560"},
         "OOO Romashka", "ultimate_creditor OOO Romashka is in RU (INN)"),
        ({"ultimate_debtor": "Uralsk AO", "party_ids": "beneficiary=BIC:KICBKG22; ultimate_debtor=BIC:URMKRUMM"},
         "Uralsk AO", "ultimate_debtor Uralsk AO is in RU (own BIC)"),
        ({"initiating_party": "Minsk Traktor OAO", "party_ids": "initiating_party=UNP:100230591"},
         "Minsk Traktor OAO", "initiating_party Minsk Traktor OAO is in BY (UNP)"),
        # an ultimate party's address country, read when the records carry it
        ({"ultimate_creditor": "OOO Romashka", "ultimate_creditor_country": "RU"},
         "OOO Romashka", "ultimate_creditor OOO Romashka is in RU (address)"),
        # the creditor's side comes first for the party, the debtor's first in the detail, as before
        ({"beneficiary_country": "RU", "ultimate_debtor": "Uralsk AO", "party_ids": "ultimate_debtor=INN:6658000000"},
         "Alfa Trade LLC", "beneficiary Alfa Trade LLC is in RU (address)"),
        ({"originator_country": "BY", "ultimate_creditor": "OOO Romashka", "party_ids": "ultimate_creditor=OGRN:1"},
         "Nordtech GmbH", "originator Nordtech GmbH is in BY (address)"),
        # Russian numbers told by their check digits: a person's 12-digit INN, an OGRN
        ({"ultimate_creditor": "Ivanov I.I.", "party_ids": "ultimate_creditor=INN:500501060043"},
         "Ivanov I.I.", "ultimate_creditor Ivanov I.I. is in RU (INN)"),
        ({"ultimate_debtor": "Sberbank PAO", "party_ids": "ultimate_debtor=OGRN:1027700132195"},
         "Sberbank PAO", "ultimate_debtor Sberbank PAO is in RU (OGRN)"),
        # an "INN" that is not Russian: a Kyrgyz 14-digit one, ten digits with a wrong check digit
        ({"ultimate_creditor": "Osh Textile LLC", "party_ids": "ultimate_creditor=INN:01234567891011"}, None, None),
        ({"ultimate_creditor": "Osh Textile LLC", "party_ids": "ultimate_creditor=INN:7701234567"}, None, None),
        ({"ultimate_creditor": "Osh Textile LLC", "party_ids": "ultimate_creditor=OGRN:1027700132194"}, None, None),
        # not in a destination: a French BIC, a German tax id, an INN of another role, no party named
        ({"ultimate_creditor": "Lyon Optique SA", "party_ids": "ultimate_creditor=BIC:LYOPFRPP"}, None, None),
        ({"ultimate_creditor": "Lyon Optique SA", "party_ids": "ultimate_creditor=TXID:DE123"}, None, None),
        ({"ultimate_creditor": "Lyon Optique SA", "party_ids": "ultimate_debtor=INN:7701234560"}, None, None),
        ({"party_ids": "ultimate_creditor=INN:7701234560"}, None, None),
        # a party named with nothing that tells its country (no evidence column holds a value)
        ({"ultimate_debtor": "Uralsk AO"}, None, None),
        # a Russian ultimate creditor without a hub agent on the way
        ({"ultimate_creditor": "OOO Romashka", "party_ids": "ultimate_creditor=INN:7701234560",
          "beneficiary_bank": "BNPAFRPPXXX"}, None, None),
    ],
)  # fmt: skip
def test_hub_routing_reads_every_party_role(columns: dict[str, str], party: str | None, detail: str | None) -> None:
    hits = routed(**(DE_TO_KG | columns))
    assert hits.height == (detail is not None)
    if detail is not None:
        assert hits["party"][0] == party
        assert hits["detail"][0] == f"routed through beneficiary_bank KICBKG22XXX in KG; {detail}"


LISTED = "Almaz-Antey Defense Corporation"


@pytest.mark.parametrize(
    ("description", "parties", "detail"),
    [
        # the name is a party of the message (here from MT103 field 72's /ULTB/): NAME-001's alert, not this rule's
        (f"Invoice 117 | /ULTB/{LISTED}", {"ultimate_creditor": LISTED}, None),
        (f"Payment for {LISTED}", {"beneficiary": LISTED}, None),
        (f"Payment for {LISTED}", {"beneficiary": "ALMAZ-ANTEY DEFENSE CORPORATION"}, None),  # the same normal form
        # the text alone names it: this rule's
        (f"Payment for {LISTED}", {"beneficiary": "Alfa Trade LLC"}, "remittance names listed party 'ALMAZ-ANTEY"),
        (f"Payment for {LISTED}", {}, "remittance names listed party 'ALMAZ-ANTEY"),
        # the other findings of the text stay
        (f"Spares for {LISTED}, port Novorossiysk", {"beneficiary": LISTED},
         "remittance names Russian port Novorossiysk"),
    ],
)  # fmt: skip
def test_one_alert_per_message_and_listed_name(description: str, parties: dict[str, str], detail: str | None) -> None:
    row = {"record_id": "r1", "description": description, "message_type": "MT103", "originator": "Nordtech GmbH",
           "beneficiary": None, "ultimate_creditor": None, **parties}  # fmt: skip
    frame = pl.LazyFrame([row], schema=dict.fromkeys(row, pl.String))
    hits = remittance_text(ports=["Novorossiysk"])(frame, ScanContext(record_kind="transactions")).collect()
    assert hits.height == (detail is not None)
    if detail is not None:
        assert hits["detail"][0].startswith(detail)
        assert "; " not in hits["detail"][0]  # the name a party carries is not repeated beside the port


@pytest.mark.parametrize(("prebuilt", "alerts"), [(None, 0), ("whole", 0), ("empty", 1)])
def test_the_run_resource_tells_which_entity_a_party_is(prebuilt: str | None, alerts: int) -> None:
    """Every batch of a run reads the names' entities from the run's resource (built once), not the list again."""
    row = {"record_id": "r1", "description": f"Payment for {LISTED}", "message_type": "MT103", "beneficiary": LISTED}
    frame = pl.LazyFrame([row], schema=dict.fromkeys(row, pl.String))
    ctx = ScanContext(record_kind="transactions")
    if prebuilt is not None:  # handed in, as an engine may: the kind does not build it again
        entities = ctx.resource(ENTITY_CORES)
        entities = entities if prebuilt == "whole" else entities.clear()
        ctx = ScanContext(record_kind="transactions", resources=Resources({ENTITY_CORES.name: entities}))
    for _ in range(2):  # two batches of one run
        assert remittance_text(ports=[])(frame, ctx).collect().height == alerts
