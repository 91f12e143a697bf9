"""The ownership_exposure kind over a real store: list links, ownership files, flagged records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.ingest import read_records
from screening.kinds.base import ScanContext
from screening.kinds.ownership import compute_exposure, ownership_exposure
from screening.lists import import_list
from screening.store import Store, open_store

# an OpenSanctions extract in ../shared beside the checkout (never an absolute path: absent elsewhere, the tests skip)
ZALA_NAME = "data/lists/opensanctions_ftm/zala_entities.ftm.json"
ZALA = Path(__file__).resolve().parents[2] / ".." / "shared" / ZALA_NAME
ZAKHAROV = "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw"
RUN = "run-1"


def stored(rows: dict[str, list[dict[str, Any]]], lists: Path | None = None) -> ScanContext:
    """Return a scan context over a fresh store holding the given records of one run."""
    store: Store = open_store(":memory:")
    if lists is not None:
        import_list(store, lists)
    for table, records in rows.items():
        frame = pl.DataFrame(records).with_columns(
            run_id=pl.lit(RUN), source_file=pl.lit(f"{table}.csv"), line=pl.int_range(2, len(records) + 2)
        )
        store.append(table, frame)
    return ScanContext(record_kind="parties", store=store, run_id=RUN)


def hits_by_id(ctx: ScanContext, **params: Any) -> dict[str, tuple[float, str | None, str]]:
    """Return {record_id: (score, severity, detail)} of the kind's hits."""
    hits = ownership_exposure(**params).run(ctx)
    return {r: (s, sev, d) for r, s, sev, d in hits.select("record_id", "score", "severity", "detail").iter_rows()}


needs_zala = pytest.mark.skipif(not ZALA.exists(), reason=f"needs ../shared/{ZALA_NAME}")


@needs_zala
@pytest.mark.parametrize(
    ("key", "status", "piece"),
    [
        ("opensanctions:ru-inn-5920040846", "exposed", "owned 100 % by Alexander Vyacheslavovich ZAKHAROV (listed"),
        ("opensanctions:NK-9Xa4Kg7Y7nfccE7VcZt6Q6", "exposed", "owned 75 % by Alexander Vyacheslavovich ZAKHAROV"),
        ("opensanctions:NK-56Edov9bas9puzaChH5pBy", "unknown stake", "stake unknown: owned ? % by Alexander"),
    ],
)
def test_zala_cluster(key: str, status: str, piece: str) -> None:
    found = compute_exposure(stored({}, ZALA), 0.5, "ofac", 6).exposed
    row = found.filter(pl.col("key") == key)
    assert row["status"].to_list() == [status]
    assert piece in row["detail"].item()


@needs_zala
def test_zala_listed_companies_are_not_exposures_of_their_own() -> None:
    found = compute_exposure(stored({}, ZALA), 0.5, "ofac", 6).exposed
    assert set(found["key"]) == {
        "opensanctions:ru-inn-5920040846",
        "opensanctions:NK-9Xa4Kg7Y7nfccE7VcZt6Q6",
        "opensanctions:NK-56Edov9bas9puzaChH5pBy",
    }


@needs_zala
@pytest.mark.parametrize(
    ("name", "scorer", "score", "severity"),
    [
        # the stake's score times the name's: 1 by hand, the model's probability (under 1 for a short name)
        ('ООО "ЦСТ"', "hand", 0.9, None),
        ('ООО "ЦСТ"', "model", 0.8655207678, None),
        ("OOO SPS", "hand", 0.9, None),  # transliterated
        ("OOO SPS", "model", 0.8812315872, None),
        ("Izhtelekom LLC", "hand", 0.5, "medium"),  # unknown stake
        ("Izhtelekom LLC", "model", 0.497776253, "medium"),
        ("OOO Romashka", "hand", None, None),
        ("OOO Romashka", "model", None, None),
    ],
)
def test_zala_counterparties_flagged(name: str, scorer: str, score: float | None, severity: str | None) -> None:
    ctx = stored({"parties": [{"record_id": "p1", "name": name}]}, ZALA)
    hits = hits_by_id(ctx, scorer=scorer)
    if score is None:
        assert hits == {}
        return
    assert hits["p1"][0] == pytest.approx(score)
    assert hits["p1"][1] == severity
    assert name in hits["p1"][2]


@needs_zala
def test_input_rows_link_to_list_entities_by_id() -> None:
    rows = [
        {"record_id": "o1", "owner": "A. V. Z.", "owner_id": ZAKHAROV, "owned": "Kama Instruments LLC", "share": 0.6}
    ]
    hits = hits_by_id(stored({"ownership_records": rows}, ZALA))
    assert "owned 60 % by Alexander Vyacheslavovich ZAKHAROV" in hits["o1"][2]


SAMPLE_OWNERS = [
    {"record_id": "o1", "owner": "Gennady Timchenko", "owned": "Volga Trade Holding LLC", "share": 0.6},
    {"record_id": "o2", "owner": "Volga Trade Holding LLC", "owned": "Kama Bearings LLC", "share": 0.8},
    {"record_id": "o3", "owner": "Ivan Petrov", "owned": "Oka Logistics LLC", "share": 1.0},
]


@pytest.mark.parametrize(
    ("consignee", "hit"),
    [
        ("OOO Volga Trade Holding", True),  # legal form moved: same party
        ("ООО Волга Трейд Холдинг", True),  # Cyrillic spelling
        ("Kama Bearings", True),  # blocked through its blocked parent
        ("Volga Trading Holding", False),  # a different name
        ("Oka Logistics LLC", False),  # owned by someone unlisted
        ("Volga Shipping LLC", False),
    ],
)
def test_transactions_named_after_exposed_entities(consignee: str, hit: bool) -> None:
    ctx = stored(
        {"ownership_records": SAMPLE_OWNERS, "transactions": [{"record_id": "t1", "consignee": consignee}]}
    )  # no lists in the store: the bundled sample
    hits = hits_by_id(ctx)
    assert ("t1" in hits) is hit
    assert {"o1", "o2"} <= set(hits)  # the ownership rows of blocked entities are flagged too
    assert "o3" not in hits


def test_aggregate_method_and_unknown_param() -> None:
    rows: list[dict[str, Any]] = [
        *SAMPLE_OWNERS[:2],
        {"record_id": "o4", "owner": "Gennady Timchenko", "owned": "Don Port LLC", "share": None},
    ]
    ctx = stored({"ownership_records": rows})
    assert set(hits_by_id(ctx, method="aggregate")) == {"o1", "o4"}  # Kama Bearings: 60 % x 80 % = 48 % indirect
    assert set(hits_by_id(ctx)) == {"o1", "o2", "o4"}
    assert set(hits_by_id(ctx, unknown=False)) == {"o1", "o2"}


def test_empty_run_gives_empty_hits() -> None:
    hits = ownership_exposure().run(stored({}))
    assert hits.is_empty()
    assert {"record_id", "score", "detail", "severity", "party", "source_file", "line"} <= set(hits.columns)


@pytest.mark.parametrize(
    ("params", "message"), [({"method": "majority"}, "one of ofac"), ({"threshold": 50}, "fraction")]
)
def test_bad_params_are_refused(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ownership_exposure(**params)


FIXTURES = Path(__file__).parents[2] / "fixtures" / "ownership"


def test_register_fixture_through_ingestion() -> None:
    ingested = read_records(FIXTURES / "register.csv")
    assert ingested.kind == "ownership"
    ctx = stored({})
    assert ctx.store is not None
    ctx.store.append("ownership_records", ingested.records.with_columns(run_id=pl.lit(RUN)))
    hits = ownership_exposure().run(ctx)
    expected = pl.read_csv(FIXTURES / "expected.csv", schema_overrides={"severity": pl.String})
    assert sorted(hits["record_id"]) == sorted(expected["record_id"])
    for record_id, severity, piece in expected.iter_rows():
        row = hits.filter(pl.col("record_id") == record_id)
        assert row["severity"].item() == severity
        assert piece in row["detail"].item(), row["detail"].item()
