"""The import summary: counts by type, strength and kind, and problems grouped with examples."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.lists import read_list
from screening.lists.summary import problem_kinds, summary_lines
from screening.schema import QUARANTINE_COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "uk_sanctions_list_sample.csv",
            [
                "entities by type: Organization 1, Person 1, Vessel 1",
                "names by strength: strong 6, weak 1",
                "identifiers by type: IMO 1, REGISTRATION 1",
                "with dates of birth: 1; with countries: 3 (2 distinct)",
                "problems: 1 × name row of <id> has an empty name",
            ],
        ),
        (
            "zala_entities.ftm.json",
            [
                "topics: sanction 13, debarment 9, corp.disqual 8, poi 5, export.control 4, none 3, sanction.linked 1",
            ],
        ),
    ],
)
def test_summary_lines(name: str, expected: list[str]) -> None:
    lines = summary_lines(read_list(FIXTURES / name))
    assert [line for line in lines if line in expected] == expected


def test_problems_grouped_by_kind_with_three_examples() -> None:
    reasons = [f"entry us_ofac_sdn:{i} has an empty name" for i in range(5)] + ["expected 12 fields, found 3"]
    problems = pl.DataFrame(
        {"source_file": "sdn.csv", "line": list(range(1, 7)), "reason": reasons, "raw": ""}, schema=QUARANTINE_COLUMNS
    )
    grouped = problem_kinds(problems).rows()
    assert grouped == [
        (
            "entry <id> has an empty name",
            5,
            [f"sdn.csv:{i + 1}: entry us_ofac_sdn:{i} has an empty name" for i in range(3)],
        ),
        ("expected <n> fields, found <n>", 1, ["sdn.csv:6: expected 12 fields, found 3"]),
    ]
