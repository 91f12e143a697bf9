"""Table tests of the name model's fitting: the logistic fit, calibration bins and the threshold choice."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import polars as pl
import pytest


@pytest.mark.parametrize(("slope", "sign"), [(3.0, 1.0), (-3.0, -1.0)])
def test_the_fit_recovers_the_sign_of_a_feature(fit: ModuleType, slope: float, sign: float) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(-1.0, 1.0, size=(4000, 2))
    y = (rng.uniform(size=4000) < 1.0 / (1.0 + np.exp(-slope * x[:, 0]))).astype(np.float64)
    weights, _ = fit.fit_logistic(x, y)
    assert np.sign(weights[0]) == sign
    assert abs(weights[0]) > 5 * abs(weights[1])


@pytest.mark.parametrize(
    ("p", "y", "bins"),
    [
        (
            [0.05, 0.07, 0.95],
            [0, 0, 1],
            [
                {"bin": 0.0, "rows": 2, "mean_p": 0.06, "observed": 0.0},
                {"bin": 0.9, "rows": 1, "mean_p": 0.95, "observed": 1.0},
            ],
        ),
        ([1.0], [1], [{"bin": 0.9, "rows": 1, "mean_p": 1.0, "observed": 1.0}]),
    ],
)
def test_reliability_bins_hold_rows_by_tenths(
    fit: ModuleType, p: list[float], y: list[int], bins: list[dict[str, float]]
) -> None:
    assert fit.reliability(np.array(p), np.array(y, dtype=np.float64)) == bins


# a match task's positive row at 0.9 and negative at 0.5, then one clean person's and one list_others query's best row
@pytest.mark.parametrize(
    ("clean_score", "clean", "other_score", "others", "threshold"),
    [
        (0.2, 1000, 0.2, 1000, 0.3),  # nothing alerts: the least of the grid, the most found
        (0.8, 1000, 0.2, 1000, 0.3),  # one alert in 1,000 is allowed
        (0.8, 500, 0.2, 1000, 0.805),  # two in 1,000 are not: above the clean person's score
        (0.95, 500, 0.2, 1000, 0.955),  # even above the positive, to keep the clean person out
        (0.2, 1000, 0.7, 1000, 0.3),  # one list_others alert in 1,000 is allowed too
        (0.2, 1000, 0.7, 500, 0.705),  # two are not: above the other entity's score
    ],
)
def test_the_threshold_is_the_least_keeping_each_clean_task_within_its_limit(
    fit: ModuleType, clean_score: float, clean: int, other_score: float, others: int, threshold: float
) -> None:
    rows = pl.DataFrame(
        {
            "task": ["alias", "alias", "clean_people", "list_others"],
            "role": ["match", "match", "clean", "clean"],
            "query_id": ["a", "a", "c", "o"],
            "label": [True, False, False, False],
        }
    )
    scores = np.array([0.9, 0.5, clean_score, other_score])
    counts = {"clean_people": clean, "list_others": others}
    assert fit.choose_threshold(rows, scores, counts) == pytest.approx(threshold)


# the perturbed task's two queries: one found at 0.9 (a wrong entity at 0.95 does not count), one at 0.6
@pytest.mark.parametrize(("threshold", "found"), [(0.3, 1.0), (0.6, 1.0), (0.605, 0.5), (0.9, 0.5), (0.905, 0.0)])
def test_found_share_counts_queries_whose_expected_entity_reaches_the_threshold(
    fit: ModuleType, threshold: float, found: float
) -> None:
    rows = pl.DataFrame(
        {
            "task": ["perturbed_real"] * 3,
            "query_id": ["a", "a", "b"],
            "label": [True, False, True],
        }
    )
    share = fit.found_share(rows, np.array([0.9, 0.95, 0.6]), "perturbed_real", 2)
    assert share[int(np.argmin(np.abs(fit.GRID - threshold)))] == pytest.approx(found)


# a feature whose fitted weight would go against its DIRECTIONS sign is left out (weight 0), the other kept
@pytest.mark.parametrize(
    ("slope", "name", "kept"),
    [(3.0, "base", True), (-3.0, "base", False), (3.0, "birth_far", False), (-3.0, "birth_far", True)],
)
def test_the_signed_fit_leaves_out_a_feature_weighed_against_its_direction(
    fit: ModuleType, slope: float, name: str, kept: bool
) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(-1.0, 1.0, size=(4000, 2))
    y = (rng.uniform(size=4000) < 1.0 / (1.0 + np.exp(-slope * x[:, 0] - 2.0 * x[:, 1]))).astype(np.float64)
    weights, _ = fit.fit_signed(x, y, np.ones(4000), [name, "low_min"])
    assert (weights[0] != 0.0) == kept
    assert weights[1] > 1.0
