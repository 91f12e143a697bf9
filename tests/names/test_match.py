"""Table tests of batch matching: chunk sizes, parts, the model's bounds and pruning, where penalties may apply."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.names import build_index, match, normalize_names, penalties
from screening.names.index import NameIndex
from screening.names.match import match_index
from screening.names.model import PAIR_FEATURES, NameModel, features, prepared, ranges, shipped

BENCH = Path(__file__).resolve().parents[2] / "fixtures" / "names" / "name_bench.csv"


@pytest.mark.parametrize(
    ("names", "threads", "size"),
    [
        (0, 2, 1),  # no names: one empty part
        (23_998, 2, 23_998),  # under PARALLEL_NAMES per thread: one part
        (24_000, 2, 12_000),  # two threads, a half each
        (86_819, 2, 43_410),  # 100,000 generated queries' distinct cores
        (150_000, 1, 150_000),  # one thread: one part
        (200_000, 3, 66_667),
        (200_000, 32, 12_500),  # many cores: parts of PARALLEL_NAMES at least (32 threads made one part)
        (30_000, 8, 15_000),
    ],
)
def test_chunk_size(names: int, threads: int, size: int) -> None:
    assert match.chunk_size(names, threads) == size


@pytest.fixture(scope="module")
def bench() -> tuple[pl.DataFrame, NameIndex]:
    """Return the name benchmark's query names and an index of its list names."""
    frame = pl.read_csv(BENCH)
    listed = frame.select(entity_id=pl.col("entity_id").fill_null("none"), name="name2").unique(maintain_order=True)
    queries = frame.select(id=pl.int_range(pl.len()).cast(pl.String), name="name1")
    return queries, build_index(listed)


@pytest.mark.parametrize(
    ("threads", "chunk", "scorer"),
    [
        (2, 200_000, "hand"),  # the batch's one chunk in two parts, at once
        (2, 200_000, "model"),
        (3, 1_500, "hand"),  # chunks of 1,500 names in three parts each
        (4, 1_000, "model"),  # more threads than cores
    ],
)
def test_parts_do_not_change_results(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, threads: int, chunk: int, scorer: str
) -> None:
    # a part's names look for close tokens with the abjad keys of a token any name of its chunk holds
    queries, index = bench
    model = shipped() if scorer == "model" else None
    monkeypatch.setattr(match, "CHUNK", chunk)
    monkeypatch.setattr(match, "THREADS", 1)
    whole = match_index(queries, index, 0.5, 3, model)
    monkeypatch.setattr(match, "THREADS", threads)
    monkeypatch.setattr(match, "PARALLEL_NAMES", 1)
    parted = match_index(queries, index, 0.5, 3, model)
    assert whole.height > 1_000
    assert parted.equals(whole)


# a list and queries on which every feature :func:`.model.ranges` bounds is above its low end on some qualified row
LISTED = ["entity_id", "name", "entity_schema", "countries", "birth_dates", "strength"]
QUALIFIED = pl.DataFrame(
    [
        ("p1", "Ivan Petrovich Sidorov", "Person", "RU", "1952-10-07", None),
        ("p2", "SIDOROV, Ivan", "Person", "UA", "1990", "weak"),  # a weak alias, a year given alone
        ("c1", "BANK SEPAH", "Organization", "IR", None, None),
        ("c3", "BANK SEPAH", "Company", "IR", None, None),  # a name two entities bear: rivals
        ("c2", "BANK SEPAH INTERNATIONAL PLC", "Organization", "GB", None, None),  # named in full by BANK SEPAH
        ("v1", "HAPPINESS I", "Vessel", None, None, None),  # numbered
        ("p3", "AHMAD BIN SALIM", "Person", "SY", "1961", None),  # a patronymic chain
        ("p4", "UMAR SABAWI IBRAHIM HASAN AL-TIKRITI", "Person", "IQ", "1970-01-01", None),  # 1 January: a year alone
        ("c4", "FIFTH POINT TRADING", "Company", None, None, None),
    ],
    schema=LISTED,
    orient="row",
)
ASKED = pl.DataFrame(
    [
        ("a", "Ivan Sidorov", None, "RU", "1952-10-07"),  # the same day, the same country; far from 1990
        ("l", "Ivan Sidorov", None, "UA", None),  # a query name on a second row
        ("b", "Ivan Petrovich Sidorov", "Person", None, "1991"),  # a year off
        ("c", "Ivan Sidorenko", None, "UA", None),
        ("d", "BANK SEPAH", "Organization", "IR", None),
        ("e", "Bank Sepah Intl", None, None, None),
        ("f", "Iwan", None, "RU", "1952"),  # a given name alone; far from 1990
        ("g", "HAPPINESS II", None, None, None),  # numbers that differ
        ("k", "Happiness", "Person", None, None),  # a number on one side; a person against a vessel
        ("h", "SALIM BIN AHMAD", "Person", "SY", "1964"),  # the chain swapped; three years off
        ("i", "BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI", None, "IQ", "1970-05-05"),  # the chain shifted; the year listed
        ("j", "FIRSTPOINT TRADING", None, None, None),  # a numeral opening a word
    ],
    schema=["id", "name", "schema", "country", "birth_date"],
    orient="row",
)


@pytest.fixture(scope="module")
def qualified() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the named pairs of ``ASKED`` in ``QUALIFIED`` (``pair_``, ``lift``) and their qualified rows."""
    seen: dict[str, pl.DataFrame] = {}

    def numbered(q: pl.DataFrame, pairs: pl.DataFrame, model: object, threshold: float) -> pl.DataFrame:
        seen["pairs"] = match._lifted(q, pairs.with_row_index("pair_"))
        return pairs.with_row_index("pair_")

    def kept(rows: pl.DataFrame) -> pl.DataFrame:
        seen["rows"] = prepared(rows)
        return seen["rows"]

    with pytest.MonkeyPatch.context() as spied:
        spied.setattr(match, "_reachable", numbered)
        spied.setattr(match, "prepared", kept)
        match_index(ASKED, build_index(QUALIFIED), 0.0, 3, NameModel({"base": 1.0}, 0.0, 0.5, {}, {}))
    return seen["pairs"], seen["rows"]


def test_every_feature_is_the_pairs_or_ranged() -> None:
    ranged = set(ranges(pl.lit(0.0)))
    assert (sorted(PAIR_FEATURES & ranged), sorted(set(features()) - PAIR_FEATURES - ranged)) == ([], [])


def test_a_qualified_row_lies_within_its_named_pairs_bounds(qualified: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    pairs, rows = qualified
    feats, bounds = features(), ranges(pl.col("lift"))
    own = pairs.select(
        "pair_",
        *[feats[name].alias(f"{name}_pair") for name in PAIR_FEATURES],
        *[end.alias(f"{name}_{side}") for name, ends in bounds.items() for side, end in zip("lh", ends, strict=True)],
    )
    joined = rows.select("pair_", **feats).join(own, on="pair_", how="left")
    within = joined.select(pl.col(name).is_between(pl.col(f"{name}_l"), pl.col(f"{name}_h")).all() for name in bounds)
    same = joined.select((pl.col(name) == pl.col(f"{name}_pair")).all() for name in PAIR_FEATURES)
    above = joined.select((pl.col(name) > pl.col(f"{name}_l")).any() for name in bounds)
    assert [name for name in within.columns if not within[name].item()] == []
    assert [name for name in same.columns if not same[name].item()] == []
    assert [name for name in above.columns if not above[name].item()] == []  # the tables set every ranged feature
    assert rows.height > pairs.height


# (threshold): a query name none of whose pairs the model may score at the threshold is left out before its rows are
# qualified; the hits are those of every pair scored
@pytest.mark.parametrize("threshold", [0.63, 0.9])
def test_names_the_model_cannot_score_at_the_threshold_change_no_hit(
    monkeypatch: pytest.MonkeyPatch, threshold: float
) -> None:
    index = build_index(QUALIFIED)
    kept = match_index(ASKED, index, threshold, 3, shipped())
    monkeypatch.setattr(match, "_reachable", lambda q, pairs, model, threshold: pairs)
    assert kept.equals(match_index(ASKED, index, threshold, 3, shipped()))
    assert kept.height > 0


def test_the_model_leaves_out_the_names_it_cannot_score_at_the_threshold(bench: tuple[pl.DataFrame, NameIndex]) -> None:
    queries, index = bench
    q = match.prepare_queries(queries)
    qnorm = normalize_names(q["name"], q["kind"]).with_row_index("nid")
    pairs = match._named(*match._aligned(qnorm.with_columns(floor=pl.lit(match.MODEL_FLOOR)), index), index)
    kept = [match._reachable(q, pairs, shipped(), t).height for t in (0.0, 0.63, 0.9)]
    assert kept[0] == pairs.height > kept[1] > kept[2] > 0


# (scorer): the penalty evaluated only where it may apply is the penalty evaluated on every pair
@pytest.mark.parametrize("scorer", ["hand", "model"])
def test_a_penalty_evaluated_where_it_may_apply_changes_no_hit(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, scorer: str
) -> None:
    queries, index = bench
    model = shipped() if scorer == "model" else None
    kept = match_index(queries, index, 0.3, 3, model)
    monkeypatch.setattr(match, "_penalised", lambda feats: feats.with_columns(penalty=penalties.penalties()))
    assert kept.equals(match_index(queries, index, 0.3, 3, model))


# (query, listed name, a penalty expected): a pair a penalty lowers is one penalties.may_apply lets through, another not
@pytest.mark.parametrize(
    ("name", "listed", "schema", "penalised"),
    [
        ("HAPPINESS II", "HAPPINESS I", "Vessel", True),  # numbers differ
        ("FIRST ISLAMIC BANK", "ISLAMIC BANK", "Organization", True),  # a number on one side
        ("ACME TRADING LLC", "ACME TRADING PLC", "Organization", True),  # legal forms disagree
        ("SALIM BIN AHMAD", "AHMAD BIN SALIM", "Person", True),  # a patronymic chain swapped
        ("BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI", "UMAR SABAWI IBRAHIM HASAN AL-TIKRITI", "Person", True),  # shifted
        ("FIRSTPOINT TRADING", "FIFTH POINT TRADING", "Company", True),  # a numeral opening a word
        ("HAPPINESS II", "HAPPINESS I", None, False),  # untyped: a closing numeral is read only against a number
        ("Ivan Petrov", "PETROV, Ivan", "Person", False),
    ],
)
def test_a_pair_a_penalty_lowers_is_one_it_may_apply_to(
    monkeypatch: pytest.MonkeyPatch, name: str, listed: str, schema: str | None, penalised: bool
) -> None:
    seen, evaluated = [], match._penalised

    def both(feats: pl.DataFrame) -> pl.DataFrame:
        seen.append(feats.select(penalty=penalties.penalties(), may=penalties.may_apply()))
        return evaluated(feats)

    monkeypatch.setattr(match, "_penalised", both)
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]})
    match.match_names(pl.DataFrame({"id": ["q"], "name": [name]}), watch, threshold=0.5)
    rows = pl.concat(seen)
    assert rows["may"].all() if penalised else not rows["may"].any()
    assert (rows["penalty"] > 0).any() == penalised
