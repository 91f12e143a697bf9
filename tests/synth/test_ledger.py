"""The synthetic ledger: deterministic per seed and partitioning, realistic shape, planted names that match."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from screening import lists
from screening.cli import main
from screening.ingest.rates import usd_rate
from screening.names import build_index, match_names
from screening.synth.ledger import BLOCK_ROWS, Ledger, generate_ledger
from screening.synth.names import to_cyrillic
from screening.synth.parties import inn_check
from screening.synth.stream import write_ledger_stream

ROWS = 60_000


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    """Return one ledger with a high planting rate, so there are a few hundred planted names."""
    return generate_ledger(ROWS, seed=5, listed_rate=0.004, near_miss_rate=0.004)


@pytest.fixture(scope="module")
def outcomes(ledger: Ledger) -> pl.DataFrame:
    """Return per planted record whether the sample-list matcher finds its own entity at the default threshold."""
    watch = lists.sample_watchlist()
    index = build_index(lists.watchlist_from_import(watch), watch.identifiers)
    planted = ledger.truth.filter(pl.col("party_typology").is_not_null())
    found = match_names(
        planted.select(pl.col("record_id").alias("id"), pl.col("party_name").alias("name")), index, top=5
    )
    own = found.select(pl.col("query_id").alias("record_id"), pl.col("entity_id").alias("hit"))
    return (
        planted.join(own, on="record_id", how="left")
        .group_by("record_id", "party_typology")
        .agg((pl.col("hit") == pl.col("entity_id")).any().fill_null(False).alias("own"))
    )


def test_same_seed_same_ledger() -> None:
    a, b = generate_ledger(5_000, seed=3), generate_ledger(5_000, seed=3)
    assert a.records.equals(b.records) and a.truth.equals(b.truth)
    assert not a.records.equals(generate_ledger(5_000, seed=4).records)


def test_partitions_equal_one_piece(tmp_path: Path) -> None:
    rows = 2 * BLOCK_ROWS + 1_000
    written = write_ledger_stream(rows, 9, tmp_path, part_rows=BLOCK_ROWS)
    assert [p.name for p in written.partitions] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    whole = generate_ledger(rows, seed=9)
    assert pl.read_parquet(tmp_path / "ledger").equals(whole.records)
    assert pl.read_parquet(written.truth).equals(whole.truth)


@pytest.mark.parametrize(
    ("script", "pattern"),
    [("Cyrillic", r"[\u0400-\u04ff]"), ("Han", r"[\u4e00-\u9fff]"), ("Arabic", r"[\u0600-\u06ff]")],
)
def test_scripts_present(ledger: Ledger, script: str, pattern: str) -> None:
    names = pl.concat([ledger.records[c] for c in ("shipper", "consignee", "originator", "beneficiary")])
    assert names.drop_nulls().str.contains(pattern).sum() > 100, script


@pytest.mark.parametrize(
    ("currency", "years", "written"),
    [
        ("USD", range(2019, 2025), (9e3, 2e4)),  # drawn lognormal(9.5, 1): median e^9.5 ≈ 13,360 dollars
        ("EUR", range(2019, 2025), (8e3, 2e4)),
        ("CNY", range(2019, 2025), (6e4, 1.4e5)),  # about seven yuan to the dollar
        ("RUB", range(2019, 2022), (5e5, 1.5e6)),  # no rouble rate from 2022: those amounts are dollars
    ],
)
def test_amounts_are_in_their_currency(
    ledger: Ledger, currency: str, years: range, written: tuple[float, float]
) -> None:
    """Each amount is written in its record's currency: converted back at the bundled rate, it is a dollar draw."""
    rows = ledger.records.filter(pl.col("currency") == currency)
    assert set(rows["date"].dt.year().unique()) == set(years)
    usd = rows.select(pl.col("value") * usd_rate(pl.col("currency"), pl.col("date").dt.year()))["value"]
    assert 9e3 < usd.median() < 2e4  # type: ignore[operator]
    assert written[0] < rows["value"].median() < written[1]  # type: ignore[operator]


def test_shape(ledger: Ledger) -> None:
    records = ledger.records
    countries = pl.concat([records["shipper_country"], records["consignee_country"]]).drop_nulls()
    assert countries.n_unique() >= 58
    assert set(records["currency"]) == {"USD", "EUR", "CNY", "RUB", "AED", "TRY"}
    payments = (ledger.truth["record_type"] == "payment").sum() / ledger.truth.height
    assert 0.28 < payments < 0.32
    assert set(records["date"].dt.year().unique()) == set(range(2019, 2025))
    top = pl.concat([records["shipper"], records["consignee"]]).drop_nulls().value_counts()["count"].to_numpy()
    assert top.max() > 50 * np.median(top)  # heavy-tailed activity


@pytest.mark.parametrize(
    ("column", "pattern"),
    [("vessel_imo", r"^9\d{6}$"), ("originator_bank", r"^[A-Z]{4}[A-Z]{2}[A-Z2-9]{2}$"),
     ("intermediary_bank", r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}$")],
)  # fmt: skip
def test_identifier_shapes(ledger: Ledger, column: str, pattern: str) -> None:
    values = ledger.records[column].drop_nulls()
    assert values.len() > 1_000 and values.str.contains(pattern).all()


def test_imo_check_digits(ledger: Ledger) -> None:
    digits = np.array([[int(c) for c in v] for v in ledger.records["vessel_imo"].drop_nulls().unique()])
    assert ((digits[:, :6] @ np.arange(7, 1, -1)) % 10 == digits[:, 6]).all()


def test_bic_country_is_party_country(ledger: Ledger) -> None:
    payments = ledger.records.filter(pl.col("originator_bank").is_not_null())
    assert payments["originator_bank"].str.slice(4, 2).n_unique() >= 55


@pytest.mark.parametrize(("inn", "valid"), [("7707083893", True), ("7707083894", False), ("5012039795", True)])
def test_inn_check_digit(inn: str, valid: bool) -> None:
    assert bool(inn_check(np.array([[int(c) for c in inn[:9]]]))[0] == int(inn[9])) is valid


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("ALMAZ-ANTEY", "АЛМАЗ-АНТЕЙ"), ("CONCERN", "КОНЦЕРН"), ("OBSHCHESTVO", "ОБЩЕСТВО"), ("YALTA", "ЯЛТА")],
)
def test_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_listed_variants_match_their_entity(outcomes: pl.DataFrame) -> None:
    listed = outcomes.filter(pl.col("party_typology") == "listed_variant")
    assert listed.height > 150 and listed["own"].sum() >= 0.95 * listed.height


def test_near_misses_mostly_do_not_match(outcomes: pl.DataFrame) -> None:
    near = outcomes.filter(pl.col("party_typology") == "near_miss")
    assert near.height > 150 and near["own"].sum() <= 0.05 * near.height


def test_planted_names_are_in_the_records(ledger: Ledger) -> None:
    planted = ledger.truth.filter(pl.col("party_typology").is_not_null())
    rows = ledger.records.join(planted, on="record_id")
    written = pl.concat([rows.filter(pl.col("party_column") == c)[c] for c in planted["party_column"].unique()])
    assert sorted(written) == sorted(planted["party_name"])


def test_goods_typologies_kept(ledger: Ledger) -> None:
    assert set(ledger.truth["typology"]) == {"ordinary", "chpl_code", "chpl_description", "chpl_wrong_code"}
    no_code = ledger.truth.filter(pl.col("typology") == "chpl_description")["record_id"].implode()
    assert ledger.records.filter(pl.col("record_id").is_in(no_code))["hs_code"].null_count() == no_code.list.len()[0]


def test_synth_command_writes_everything(tmp_path: Path) -> None:
    assert main(["synth", "--rows", "3000", "--seed", "2", "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert {"ledger.parquet", "truth.parquet", "parties.parquet", "lists.csv", "cases.csv", "flows.csv"} <= written
    assert pl.read_csv(tmp_path / "lists.csv").columns == ["entity_id", "name", "schema", "source", "country"]
