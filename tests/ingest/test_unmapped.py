"""What a refusal of a file's columns shows of them: a few cells, each cut short."""

from __future__ import annotations

import pytest

from screening.ingest.unmapped import missing_required, nothing_maps, shown

LONG = "x" * 5_000


@pytest.mark.parametrize(
    ("cells", "text"),
    [
        (["foo", "bar"], "['foo', 'bar']"),
        ([LONG], f"['{'x' * 40}…']"),
        ([str(i) for i in range(14)], f"{[str(i) for i in range(12)]} and 2 more"),
    ],
)
def test_shown(cells: list[str], text: str) -> None:
    assert shown(cells) == text


@pytest.mark.parametrize(
    "message",
    [
        nothing_maps([LONG, *(f"c{i}" for i in range(1_000))], "name, country"),
        missing_required("parties", ["name"], [LONG] * 1_000),
    ],
)
def test_a_huge_header_makes_a_short_message(message: str) -> None:
    assert len(message) < 1_000
