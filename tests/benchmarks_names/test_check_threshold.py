"""A sample of the threshold check: a run at T finds the pairs that qualifiers lift to T in the benchmark's run."""

from __future__ import annotations

from types import ModuleType

import polars as pl
import pytest


@pytest.mark.parametrize(("task", "limit"), [("ofac_alias_qualified", 120), ("perturbed_people", 120)])
def test_qualifiers_lift_pairs_in_a_run_at_the_threshold(check_threshold: ModuleType, task: str, limit: int) -> None:
    check = check_threshold
    queries, watch, tasks = check.load(check.DEV)
    asked = queries.filter(pl.col("split") == "fit", pl.col("task") == task).head(limit)
    found = check.check(asked, watch, {task: tasks[task]}, (0.86, 0.92))
    assert found.filter(pl.col("cause") == "qualifiers").is_empty()
