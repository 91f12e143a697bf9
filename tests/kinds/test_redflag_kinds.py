"""Entity red-flag kinds: their rule files' examples, and runs over a real store scoped by run id."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from screening.examples import ExampleOutcome, run_examples
from screening.goods.hs import normalize_hs
from screening.kinds import redflags
from screening.kinds.base import RunCheck, ScanContext
from screening.kinds.names import watchlist_index
from screening.names import DEFAULT_THRESHOLD, match_index
from screening.rules import Rule, RuleSet
from screening.store import Store, open_store
from screening.trade import redflags_changes, redflags_contacts, redflags_links, redflags_new
from screening.trade.redflags import conform, conform_parties

RULES_DIR = Path(__file__).parent.parent.parent / "rules"
# The kinds these rules use, as the lead registers them in screening.kinds.KINDS.
REDFLAG_KINDS: dict[str, Callable[..., RunCheck]] = {
    "entity_new_party": redflags.entity_new_party,
    "entity_chpl_without_history": redflags.entity_chpl_without_history,
    "entity_russian_links": redflags.entity_russian_links,
    "entity_shared_contacts": redflags.entity_shared_contacts,
    "entity_forwarder_end_user": redflags.entity_forwarder_end_user,
    "entity_settlement": redflags.entity_settlement,
    "entity_late_change": redflags.entity_late_change,
}
SOURCES = ("FIN-2022-Alert003", "FIN-2023-NCCSUPP-01")


def _rule(path: Path) -> Rule:
    """Build a rule from its file with the red-flag kinds (independently of the global registry)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = data.get("params") or {}
    check = REDFLAG_KINDS[data["kind"]](**params)
    return Rule(
        id=data["id"], title=data["title"], kind=data["kind"], severity=data["severity"], weight=data["weight"],
        params=params, rationale=data["rationale"], path=str(path), check=check,
        references=tuple(data.get("references") or ()), examples=tuple(data.get("examples") or ()),
    )  # fmt: skip


RULES = [_rule(p) for p in sorted(RULES_DIR.glob("ENTITY-*.yaml"))]
OUTCOMES = run_examples(RuleSet(rules=tuple(RULES), fingerprint="redflags", directory=str(RULES_DIR)))


def test_seven_rules_with_sources() -> None:
    assert [r.id for r in RULES] == [f"ENTITY-00{n}" for n in range(1, 8)]
    for rule in RULES:
        assert any(source in rule.rationale for source in SOURCES), rule.path
        assert any("fincen.gov" in ref for ref in rule.references), rule.path
        assert {e["expect"] for e in rule.examples} == {"hit", "miss"}, rule.path


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: f"{o.rule_id}-{o.number}")
def test_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.passed, outcome.message


def _goods(run_id: str, rows: list[dict[str, str]]) -> pl.DataFrame:
    """Return stored-shape transactions of one run from rows of text values."""
    frame = pl.DataFrame(rows).with_columns(
        pl.col("date").str.to_date(), normalize_hs(pl.col("hs_code")).alias("_hs"), pl.lit(run_id).alias("run_id")
    )
    return frame.drop("hs_code").unnest("_hs").with_columns(pl.lit("in.csv").alias("source_file"))


@pytest.fixture
def store() -> Any:
    """Return a throwaway store holding two runs: run A with a new KG forwarder, run B without."""
    db = open_store(":memory:")
    db.append("transactions", _goods("A", [
        {"record_id": "A1", "date": "2019-01-03", "consignee": "Base GmbH", "consignee_country": "DE",
         "hs_code": "691110"},
        {"record_id": "A2", "date": "2022-05-14", "consignee": "TOO KARGO LOGISTIC", "consignee_country": "KG",
         "hs_code": "848210"},
    ]))  # fmt: skip
    db.append("transactions", _goods("B", [
        {"record_id": "B1", "date": "2022-05-14", "consignee": "TOO KARGO LOGISTIC", "consignee_country": "KG",
         "hs_code": "691110"},
    ]))  # fmt: skip
    yield db
    db.close()


RUNS = [
    (redflags.entity_new_party(), "A", ["A2"]),
    (redflags.entity_new_party(), "B", []),
    (redflags.entity_forwarder_end_user(), "A", ["A2"]),
    (redflags.entity_forwarder_end_user(), "B", []),
    (redflags.entity_forwarder_end_user(hubs=["KZ"]), "A", []),
    (redflags.entity_new_party(since="2023-01-01"), "A", []),
    (redflags.entity_shared_contacts(), "A", []),
    (redflags.entity_chpl_without_history(), "A", []),
    (redflags.entity_russian_links(), "A", []),
    (redflags.entity_settlement(), "A", []),
    (redflags.entity_late_change(), "A", []),
    (redflags.entity_new_party(), "no such run", []),
]


@pytest.mark.parametrize(("check", "run_id", "expected"), RUNS)
def test_run_reads_only_its_records(check: RunCheck, run_id: str, expected: list[str], store: Store) -> None:
    hits = check.run(ScanContext(record_kind="transactions", store=store, run_id=run_id))
    assert hits["record_id"].to_list() == expected
    assert hits["source_file"].to_list() == ["in.csv"] * len(expected)
    assert {"record_id", "score", "detail", "severity", "party", "source_file", "line"} <= set(hits.columns)


def test_no_store_gives_no_hits() -> None:
    assert redflags.entity_new_party().run(ScanContext(record_kind="transactions")).height == 0


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        (redflags.entity_shared_contacts, {"min_parties": 1}, "min_parties must be at least 2"),
        (redflags.entity_settlement, {"banks": ["vessel"]}, "unknown bank columns ['vessel']"),
        (redflags.entity_late_change, {"days": -1}, "days must be 0 or more"),
        (redflags.entity_new_party, {"since": "24.02.2022"}, "Invalid isoformat"),
    ],
)
def test_bad_params(kind: Callable[..., RunCheck], params: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        kind(**params)


# Payments whose bank text is not a bare BIC, a lower-case BIC and a record without a date: the
# store's pre-filters must keep every record the rules' own filters keep.
ODD = [
    {"record_id": "E1", "date": "2022-06-01", "beneficiary": "Altyn Pay LLC", "beneficiary_bank": "KICB KG22",
     "originator_bank": " SABR RUMM", "hs_code": "854231", "currency": "CNY", "shipper_country": "DE"},
    {"record_id": "E2", "date": "2019-06-01", "beneficiary": "Altyn Pay LLC", "beneficiary_bank": "kicbkg22",
     "hs_code": "691110"},
    {"record_id": "E3", "beneficiary": "ALTYN PAY", "beneficiary_bank": "KICBKG22", "hs_code": "854231"},
    {"record_id": "E4", "date": "2022-07-01", "shipper": "Altyn Pay", "destination_country": "RU", "hs_code": "8542"},
    {"record_id": "E5", "date": "2019-02-01", "beneficiary": "Altyn Pay LLC", "beneficiary_bank": "KICBKG22",
     "hs_code": "940360"},
]  # fmt: skip


@pytest.fixture(scope="module")
def planted() -> Iterator[tuple[Store, pl.DataFrame, pl.DataFrame]]:
    """Return a store holding the planted red-flag ledger (fixtures/trade) as run P, and the same records as frames."""
    spec = importlib.util.spec_from_file_location(
        "redflags_ledger", RULES_DIR.parent / "fixtures/trade/redflags_ledger.py"
    )
    assert spec is not None and spec.loader is not None
    ledger = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ledger)
    goods, people, _ = ledger.make_ledger()
    goods = pl.concat([conform(goods), conform(_goods("P", ODD))])
    db = open_store(":memory:")
    db.append("transactions", goods.with_columns(run_id=pl.lit("P")))
    db.append("parties", people.with_columns(run_id=pl.lit("P")))
    yield db, goods, conform_parties(people)
    db.close()


def _listed(goods: pl.DataFrame, people: pl.DataFrame, ctx: ScanContext) -> pl.DataFrame:
    """Return the names near a hub party that match the watchlist, computed over every record."""
    names = redflags_contacts.neighbours(goods, people)
    matches = match_index(pl.DataFrame({"id": names, "name": names}), watchlist_index(ctx), DEFAULT_THRESHOLD, 1)
    return matches.select(pl.col("query_id").alias("party"), pl.col("matched_name").alias("listed_as"))


Whole = Callable[[pl.DataFrame, pl.DataFrame, ScanContext], pl.DataFrame]
# Each kind, and the same rule computed by the pure functions over every record of the run.
WHOLE: list[tuple[str, RunCheck, Whole]] = [
    ("001", redflags.entity_new_party(), lambda g, p, c: pl.concat(
        [redflags_new.new_hub_parties(g), redflags_new.new_incorporations(p, g)])),
    ("002", redflags.entity_chpl_without_history(), lambda g, p, c: redflags_new.chpl_without_history(g)),
    ("003", redflags.entity_russian_links(), lambda g, p, c: redflags_links.russian_links(g)),
    ("004", redflags.entity_shared_contacts(), lambda g, p, c: redflags_contacts.shared_contacts(
        g, p, listed=_listed(g, p, c))),
    ("004 unlisted", redflags.entity_shared_contacts(listed_threshold=None),
     lambda g, p, c: redflags_contacts.shared_contacts(g, p)),
    ("005", redflags.entity_forwarder_end_user(), lambda g, p, c: redflags_contacts.forwarder_end_users(g)),
    ("006", redflags.entity_settlement(), lambda g, p, c: redflags_links.settlement_flags(g)),
    ("007", redflags.entity_late_change(), lambda g, p, c: redflags_changes.late_changes(g)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "check", "whole"), WHOLE, ids=[w[0] for w in WHOLE])
def test_store_reads_give_the_hits_of_all_records(
    name: str, check: RunCheck, whole: Whole, planted: tuple[Store, pl.DataFrame, pl.DataFrame]
) -> None:
    db, goods, people = planted
    ctx = ScanContext(record_kind="transactions", store=db, run_id="P")
    order = ["record_id", "party", "detail"]
    got, expected = check.run(ctx).sort(order), whole(goods, people, ctx).sort(order)
    assert expected.height >= 5
    assert got.select(expected.columns).equals(expected), name
