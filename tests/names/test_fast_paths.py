"""Table tests of the fast paths of batch screening: letter bounds, exact sums, top-k and the token grid."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from rapidfuzz import fuzz

from screening.names import DEFAULT_THRESHOLD, align, blocking, marks, normalize_names, prefilter, token_sims
from screening.names.match import prefilter_cutoff


def _marked(names: list[str], key: str) -> pl.DataFrame:
    """Return normalised names with their legal-form marks, keyed by ``key``."""
    return marks.form_marks(normalize_names(pl.Series(names)).with_row_index(key), key)


@pytest.mark.parametrize(
    ("query", "listed", "far"),
    [
        ("Ivan Petrov", "PETROV, Ivan", False),  # same letters: the bound says nothing
        ("Jon Smith", "SMITH, John", False),
        ("Maritza Montoya", "MONTOYA, Mritza", False),
        ("Alpha Trading 2020", "ALPHA TRADING 2021", False),
        ("Q", "QQ", False),
        ("James Smith", "Zhou Xueqin", True),  # few shared letters: the bound skips the pair
        ("Bob Li", "Wolfgang Kavelminsho", True),
        ("ООО ТЕХНОКОМ", "Tekhnokom Trading House Limited", False),
    ],
)
def test_letter_bound_is_an_upper_bound(query: str, listed: str, far: bool) -> None:
    q, w = _marked([query], "nid"), _marked([listed], "wid")
    nid, wid = np.zeros(1, dtype=np.uint32), np.zeros(1, dtype=np.uint32)
    by_sort, by_glue, _ = prefilter._ratio_bounds(prefilter.Facts.of(q, "nid"), prefilter.Facts.of(w, "wid"), nid, wid)
    assert by_sort[0] >= fuzz.ratio(q["sorted"][0], w["sorted"][0]) / 100
    assert by_glue[0] >= fuzz.ratio(q["glued"][0], w["glued"][0]) / 100
    floor = prefilter_cutoff(DEFAULT_THRESHOLD) - prefilter.INITIAL_SLACK
    assert bool(max(by_sort[0], by_glue[0]) < floor) == far


@pytest.mark.parametrize(
    ("nid", "score", "per_query", "kept"),
    [
        ([0, 0, 0, 1], [0.1, 0.3, 0.2, 0.5], 2, [1, 2, 3]),  # the two best of name 0, name 1 whole
        ([0, 0, 0, 1], [0.1, 0.3, 0.2, 0.5], 3, [0, 1, 2, 3]),  # few enough: all kept
        ([1, 0, 1, 1, 0], [0.9, 0.1, 0.8, 0.7, 0.2], 1, [0, 4]),  # names interleaved, order kept
        ([0, 0, 0], [0.2, 0.2 - 1e-12, 0.1], 1, [0]),  # a tie broken by the wid term goes to the first
    ],
)
def test_best_per_query(nid: list[int], score: list[float], per_query: int, kept: list[int]) -> None:
    got = blocking._best(np.array(nid, dtype=np.uint32), np.array(score), per_query)
    assert got.tolist() == kept


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weight_sums_do_not_depend_on_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    weights = np.log1p(100.0 / rng.integers(1, 101, 5000)).astype(np.float32) * rng.uniform(0.56, 1.0, 5000)
    frame = pl.DataFrame({"g": rng.integers(0, 50, 5000), "w": weights.astype(np.float32)})
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=seed + 10)
    sums = [f.group_by("g").agg(blocking._exact_sum()).sort("g")["w"] for f in (frame, shuffled, frame.reverse())]
    assert sums[0].equals(sums[1]) and sums[0].equals(sums[2])


@pytest.mark.parametrize(
    ("first", "nids", "wids", "spread", "dtype"),
    [
        (0, 50, 1000, 1.0, np.float32),  # pair and weight bits fit one word: the word sort
        (0, 3, 2, 1.0, np.float32),  # few pairs, many repeats
        (0, 1 << 20, (1 << 31) - 1, 1.0, np.float32),  # wide pairs: 20 + 31 + 25 bits do not fit, the argsort
        (0, 50, 1000, 1e-6, np.float32),  # weights alike to a few bits
        (0, 50, 1000, 1.0, np.float64),  # float64 weights: no bits to pack, the argsort
        (1 << 30, 200_000, 1 << 21, 1.0, np.float32),  # a late chunk of a large scan: nids counted from its first
    ],
)
def test_summed_equals_a_group_by(first: int, nids: int, wids: int, spread: float, dtype: type[np.floating]) -> None:
    rng = np.random.default_rng(nids + wids)
    nid = np.uint64(first) + rng.integers(0, nids, 20_000, dtype=np.uint64)
    wid = rng.integers(0, wids, 20_000, dtype=np.uint64)
    pair = nid << np.uint64(32) | wid
    weights = (np.log1p(100.0 / rng.integers(1, 101, 20_000)) * rng.uniform(1.0 - spread, 1.0, 20_000)).astype(
        np.float32
    )
    got_pair, got_sum = blocking.summed(pair, weights)
    frame = pl.DataFrame({"pair": pair, "w": weights})
    want = frame.group_by("pair").agg(blocking._exact_sum()).sort("pair")
    assert got_pair.tolist() == want["pair"].to_list()
    assert got_sum.tolist() == want["w"].to_list()


@pytest.mark.parametrize(
    ("shared", "qw", "ww", "ql", "wl"),
    [
        (1.5, 3.25, 2.5, 10, 12),  # a pair of names of different lengths
        (0.7, 0.7, 0.7, 5, 5),  # all its evidence shared, alike lengths
        (2.1, 4.0, 1.3, 0, 0),  # two empty sorted forms: the length ratio's floor of one
        (1e-3, 9.75, 8.125, 300, 3),
    ],
)
def test_pair_scores_equal_the_polars_expression(shared: float, qw: float, ww: float, ql: int, wl: int) -> None:
    f32 = [np.array([v], dtype=np.float32) for v in (qw, ww, ql, wl)]
    got = blocking.pair_scores(np.array([shared]), (f32[0], f32[1]), (f32[2], f32[3]))
    frame = pl.DataFrame({"shared": [shared], "qw": f32[0], "ww": f32[1], "ql": f32[2], "wl": f32[3]})
    length = pl.min_horizontal("ql", "wl") / pl.max_horizontal("ql", "wl", pl.lit(1.0, pl.Float32))
    want = frame.select(pl.col("shared") / (pl.col("qw") + pl.col("ww")) * length).to_series()
    assert got.tolist() == want.to_list()


def test_summed_of_no_pairs() -> None:
    got_pair, got_sum = blocking.summed(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
    assert got_pair.size == 0 and got_sum.size == 0


@pytest.mark.parametrize(
    ("query", "listed", "low_q", "cov_w"),
    [
        ("Amber Timber", "TIMBER", 0.0, 1.0),  # the list's TIMBER counts for the query's TIMBER only
        ("Saleh Saleh", "SALEH", 0.0, 1.0),  # one SALEH matched, the other left without a partner
        ("Sadeh Saleh", "SALEH SALEH", 0.8, 0.9),  # the second SALEH stays free for SADEH
        ("John Smith", "SMITH, John", 1.0, 1.0),  # word order does not matter
    ],
)
def test_token_grid_alignment(query: str, listed: str, low_q: float, cov_w: float) -> None:
    q, w = _marked([query], "nid"), _marked([listed], "wid")
    pairs = pl.DataFrame({"nid": [0], "wid": [0], "s_sort": [0.0], "s_glue": [0.0]}).cast(
        {"nid": pl.UInt32, "wid": pl.UInt32}
    )
    feats = align.align(pairs, q, w, token_sims.rarity(w))
    assert feats["low_q"][0] == pytest.approx(low_q, abs=0.1)
    assert feats["cov_w"][0] == pytest.approx(cov_w, abs=0.1)
    assert feats["n_q"][0] == len(query.split())


@pytest.mark.parametrize(
    "values",
    [[], [7], [3, 1, 3, 2, 1], [1 << 40, 5, 1 << 40, (1 << 63) + 1], list(range(50, 0, -1)) * 2],
)
def test_distinct_equals_numpy_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.uint64)
    assert blocking._distinct(array).tolist() == np.unique(array).tolist()


@pytest.mark.parametrize(
    ("names", "marked"),
    [
        (["John Smith"], False),  # no legal-form word anywhere: the marks are all WORD at once
        (["John Smith", "Acme LLC Trading"], True),  # a form word inside one name: the general path
        (["Vostok S. A. Trading"], True),  # a form spelt letter by letter inside the name
        (["J. R. Smith"], False),  # initials are no form
    ],
)
def test_form_marks_fast_path(names: list[str], marked: bool) -> None:
    """Names without legal-form words get WORD marks and their sorted form as ``bare``, as the general path gives."""
    out = _marked(names, "nid")
    assert out.schema["marks"] == pl.List(pl.Int8)
    assert bool(out["marks"].list.max().fill_null(0).max()) == marked
    unmarked = out.filter(out["marks"].list.max().fill_null(0) == 0)
    assert unmarked["bare"].to_list() == unmarked["sorted"].to_list()
