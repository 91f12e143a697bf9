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


# a match task's positive row at 0.9 and negative at 0.5, then the best row of one clean person's, one list_others
# and one unlisted query (model score, hand score, and the clean person's weak alias or the unlisted query's kind):
# clean people may raise one alert per 1,000, list_others and the unlisted people and others each as many as the
# hand scorer raises at its default threshold (0.86)
@pytest.mark.parametrize(
    ("clean", "others", "unlisted", "asked", "threshold"),
    [
        ((0.2, 0.2, 0), (0.2, 0.2), (0.2, 0.2, "person"), (1000, 1000, 1000), 0.3),  # nothing alerts: the least
        ((0.8, 0.2, 0), (0.2, 0.2), (0.2, 0.2, "person"), (1000, 1000, 1000), 0.3),  # one clean alert in 1,000
        ((0.8, 0.2, 0), (0.2, 0.2), (0.2, 0.2, "person"), (500, 1000, 1000), 0.805),  # two are not allowed
        ((0.95, 0.2, 0), (0.2, 0.2), (0.2, 0.2, "person"), (500, 1000, 1000), 0.955),  # even above the positive
        ((0.8, 0.9, 1), (0.2, 0.2), (0.2, 0.2, "person"), (500, 1000, 1000), 0.3),  # a weak alias below 0.97: none
        ((0.2, 0.2, 0), (0.7, 0.9), (0.2, 0.2, "person"), (1000, 500, 1000), 0.3),  # the hand alerts there too
        ((0.2, 0.2, 0), (0.7, 0.5), (0.2, 0.2, "person"), (1000, 1000, 1000), 0.705),  # it does not: nor the model
        ((0.2, 0.2, 0), (0.2, 0.2), (0.6, 0.86, "person"), (1000, 1000, 1000), 0.3),  # an unlisted person as by hand
        ((0.2, 0.2, 0), (0.2, 0.2), (0.6, 0.85, "person"), (1000, 1000, 1000), 0.605),  # the hand raises none there
        ((0.2, 0.2, 0), (0.2, 0.2), (0.6, 0.85, "other"), (1000, 1000, 1000), 0.605),  # nor on a company
        # a company's alert by hand allows a company's, not a person's
        ((0.2, 0.2, 0), (0.2, 0.2), (0.6, 0.9, "other"), (1000, 1000, 1000), 0.3),
    ],
)
def test_the_threshold_is_the_least_raising_no_more_alerts_than_allowed(
    fit: ModuleType,
    clean: tuple[float, float, int],
    others: tuple[float, float],
    unlisted: tuple[float, float, str],
    asked: tuple[int, int, int],
    threshold: float,
) -> None:
    rows = pl.DataFrame(
        {
            "task": ["alias", "alias", "clean_people", "list_others", "alias:unlisted", "alias:unlisted"],
            "role": ["match", "match", "clean", "clean", fit.UNLISTED, fit.UNLISTED],
            "query_id": ["a", "a", "c", "o", "a", "b"],
            "kind": ["person", "person", "person", "other", unlisted[2], "person"],
            "label": [True, False, False, False, False, False],
            "hand": [0.9, 0.5, clean[1], others[1], unlisted[1], 0.95],
            "name_score": [0.9, 0.5, clean[1], others[1], unlisted[1], 0.95],
            "weak_alias": [0.0, 0.0, float(clean[2]), 0.0, 0.0, 0.0],
        }
    )
    # the unlisted person b alerts by hand as by the model, which the people's limit allows at any threshold
    scores = np.array([0.9, 0.5, clean[0], others[0], unlisted[0], 0.95])
    counts = dict(zip(("clean_people", "list_others", fit.UNLISTED_PEOPLE), asked, strict=True))
    counts[fit.UNLISTED_OTHERS] = 1000
    assert fit.choose_threshold(rows, scores, counts) == pytest.approx(threshold)


# the hand scorer's alerts at 0.86 as the matcher raises them: by the qualified score (agreeing qualifiers lift a
# name scored below the threshold over it), and a weak alias alerts only at 0.97
@pytest.mark.parametrize(
    ("name_score", "hand", "weak", "alerts"),
    [
        (0.9, 0.9, 0.0, 1000.0),
        (0.85, 0.88, 0.0, 1000.0),
        (0.9, 0.85, 0.0, 0.0),
        (0.95, 0.95, 1.0, 0.0),
        (1.0, 1.0, 1.0, 1000.0),
    ],
)
def test_the_hand_scorers_alerts_are_counted_as_the_matcher_raises_them(
    fit: ModuleType, name_score: float, hand: float, weak: float, alerts: float
) -> None:
    rows = pl.DataFrame(
        {
            "task": ["list_others"],
            "role": ["clean"],
            "query_id": ["o"],
            "kind": ["other"],
            "name_score": [name_score],
            "hand": [hand],
            "weak_alias": [weak],
        }
    )
    assert fit.hand_alerts(rows, "list_others", 1) == pytest.approx(alerts)


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
