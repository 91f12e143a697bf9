"""Table tests of the development-set diff: which changed figures count as a regression."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest


def run(**figures: Any) -> dict[str, Any]:
    """Return a run of one task's eval figures."""
    return {"tasks": {"t": {"eval": figures}}}


@pytest.mark.parametrize(
    ("old", "new", "worse"),
    [
        ({"found": 0.9, "proposed": 0.95}, {"found": 0.9, "proposed": 0.95}, False),
        ({"found": 0.9, "proposed": 0.95}, {"found": 0.9, "proposed": 0.90}, True),  # blocking lost queries
        ({"found": 0.9, "proposed": 0.95}, {"found": 0.9, "proposed": 0.99}, False),
        ({"found": 0.9}, {"found": 0.89}, True),
        ({"f1": 0.5}, {"f1": 0.498}, False),  # within the tolerance
        ({"alerts_per_1000": 1.0}, {"alerts_per_1000": 2.0}, True),
        ({"precision": 0.9}, {"precision": 0.5}, False),  # shown, not a regression by itself
    ],
)
def test_figure_lines_flag_a_regression(
    diff_dev: ModuleType, old: dict[str, float], new: dict[str, float], worse: bool
) -> None:
    lines, got = diff_dev.figure_lines(run(**new), run(**old))
    assert got == worse
    assert bool(lines) == (old != new)
