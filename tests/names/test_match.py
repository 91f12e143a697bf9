"""Table tests of batch matching's chunks: their size, and results that do not depend on them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.names import build_index, match, normalize_names, penalties
from screening.names.index import NameIndex
from screening.names.match import match_index
from screening.names.model import NameModel, features, shipped

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


def _every_pair(q: pl.DataFrame, pairs: pl.DataFrame, model: object, threshold: float) -> pl.DataFrame:
    """Return the named pairs unpruned: what :func:`.match._reachable` keeps, were it to keep all."""
    return pairs


QUALIFIED = pl.DataFrame(
    {
        "entity_id": ["p1", "p2", "c1", "c2"],
        "name": ["Ivan Petrovich Sidorov", "SIDOROV, Ivan", "BANK SEPAH", "BANK SEPAH INTERNATIONAL PLC"],
        "entity_schema": ["Person", "Person", "Organization", "Organization"],
        "countries": ["RU", "UA", "IR", "GB"],
        "birth_dates": ["1952-10-07", "1990", None, None],
    }
)
ASKED = pl.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f"],
        "name": ["Ivan Sidorov", "Ivan Petrovich Sidorov", "Ivan Sidorenko", "BANK SEPAH", "Bank Sepah Intl", "Iwan"],
        "schema": [None, "Person", None, "Organization", None, None],
        "country": ["RU", None, "UA", "IR", None, "RU"],
        "birth_date": ["1952-10-07", "1991", None, None, None, "1952"],
    }
)


# (queries, list, threshold): a query name none of whose pairs the model may score at the threshold is left out
# before its rows are qualified; the hits are those of every pair scored
@pytest.mark.parametrize(
    ("case", "threshold"),
    [("bench", 0.3), ("bench", 0.63), ("bench", 0.9), ("qualified", 0.05), ("qualified", 0.63)],
)
def test_names_the_model_cannot_score_at_the_threshold_change_no_hit(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, case: str, threshold: float
) -> None:
    queries, index = bench if case == "bench" else (ASKED, build_index(QUALIFIED))
    kept = match_index(queries, index, threshold, 3, shipped())
    monkeypatch.setattr(match, "_reachable", _every_pair)
    assert kept.equals(match_index(queries, index, threshold, 3, shipped()))
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


# (feature, weight): a model of one feature at either sign leaves out no name one of its rows would have scored at
# the threshold, be it the best or the median score of every pair (each ranged feature at the end its weight favours)
@pytest.mark.parametrize("weight", [6.0, -6.0])
@pytest.mark.parametrize("feature", list(features()))
def test_a_model_of_any_one_feature_leaves_out_no_hit(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, feature: str, weight: float
) -> None:
    model = NameModel({feature: weight}, -weight / 2, 0.5, {}, {})
    for queries, index in [(bench[0].head(60), bench[1]), (ASKED, build_index(QUALIFIED))]:
        with monkeypatch.context() as every:
            every.setattr(match, "_reachable", _every_pair)
            scores = match_index(queries, index, 0.0, 3, model)["score"].sort()
            highest, median = float(scores[-1]), float(scores[scores.len() // 2])
            unpruned = {t: match_index(queries, index, t, 3, model) for t in (highest, median)}
        for threshold, hits in unpruned.items():
            assert match_index(queries, index, threshold, 3, model).equals(hits)


# (query, listed name, a penalty expected): a pair a penalty lowers is one penalties.may_apply lets through, another not
@pytest.mark.parametrize(
    ("name", "listed", "schema", "penalised"),
    [
        ("HAPPINESS II", "HAPPINESS I", "Vessel", True),  # numbers differ
        ("FIRST ISLAMIC BANK", "ISLAMIC BANK", "Organization", True),  # a number on one side
        ("ACME TRADING LLC", "ACME TRADING PLC", "Organization", True),  # legal forms disagree
        ("SALIM BIN AHMAD", "AHMAD BIN SALIM", "Person", True),  # a patronymic chain swapped
        ("Ivan Petrov", "PETROV, Ivan", "Person", False),
    ],
)
def test_a_pair_a_penalty_lowers_is_one_it_may_apply_to(
    monkeypatch: pytest.MonkeyPatch, name: str, listed: str, schema: str, penalised: bool
) -> None:
    seen, evaluated = [], match._penalised

    def both(feats: pl.DataFrame) -> pl.DataFrame:
        seen.append(feats.select(penalty=penalties.penalties(), may=penalties.may_apply()))
        return evaluated(feats)

    monkeypatch.setattr(match, "_penalised", both)
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]})
    match.match_names(pl.DataFrame({"id": ["q"], "name": [name]}), watch)
    rows = pl.concat(seen)
    assert rows["may"].all() if penalised else not rows["may"].any()
    assert (rows["penalty"] > 0).any() == penalised
