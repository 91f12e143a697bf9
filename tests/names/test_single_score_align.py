"""The plain-Python alignment of one pair agrees with the batch path's array arithmetic to the last bit."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from screening.names import align as batch
from screening.names.single.align import _sum, _usable_best

GRIDS = [(1, 1), (1, 4), (4, 1), (2, 2), (3, 5), (5, 3), (6, 6)]


def batch_best(sim: np.ndarray) -> tuple[list[float], list[float], list[int], list[int]]:
    """Return the batch path's best usable sims of one pair's grid, and each token's best token of the other name."""
    rows, cols = sim.shape
    side = {n: batch.Side(pl.DataFrame(), np.zeros(1, dtype=np.int64), np.array([n])) for n in (rows, cols)}
    grid = batch._grid(pl.DataFrame({"nid": [0], "wid": [0]}), side[rows], side[cols])
    flat = sim.reshape(-1)
    usable, best_w, best_q = batch._exclusive(flat, grid)
    bq = batch._best_usable(flat, usable, grid.qseg)
    bw = batch._best_usable(flat[grid.wperm], usable[grid.wperm], grid.wseg)
    return bq.tolist(), bw.tolist(), grid.iw[best_w].tolist(), (best_q // cols).tolist()


@pytest.mark.parametrize(("rows", "cols"), GRIDS)
@pytest.mark.parametrize("seed", range(30))
def test_usable_best_equals_batch(rows: int, cols: int, seed: int) -> None:
    # few distinct values: ties decide which token is whose best match
    sim = np.random.default_rng(seed).choice([0.0, 0.5, 0.75, 0.9, 1.0], size=(rows, cols))
    assert _usable_best(sim.tolist()) == batch_best(sim)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 12, 30])
def test_sum_equals_reduceat(size: int) -> None:
    values = np.random.default_rng(size).random((500, size)) * 7.3
    summed = [_sum(row.tolist()) for row in values]
    assert summed == [float(np.add.reduceat(row, np.zeros(1, dtype=np.intp))[0]) for row in values]
