"""The dataset filter of plain match rows: the first ``limit`` rows of each query from the wanted sources, in order."""

from __future__ import annotations

from typing import Any

import pytest

from screening.serve.matching import _of_sources


def _hits(*pairs: str) -> list[dict[str, Any]]:
    """Return hit rows of ``query:source`` pairs, numbered in order."""
    return [
        {"query_id": pair.split(":")[0], "source": pair.split(":")[1], "entity_id": str(n)}
        for n, pair in enumerate(pairs)
    ]


@pytest.mark.parametrize(
    ("hits", "sources", "limit", "kept"),
    [
        (_hits("a:eu", "a:un", "a:eu"), {"eu"}, 5, ["0", "2"]),  # other sources dropped, order kept
        (_hits("a:eu", "a:eu", "a:eu"), {"eu"}, 2, ["0", "1"]),  # at most limit per query
        (_hits("a:eu", "b:eu", "a:eu", "b:eu"), {"eu"}, 1, ["0", "1"]),  # the limit counts per query
        (_hits("a:un", "b:un"), {"eu"}, 3, []),  # none of the source
        (_hits("a:eu", "a:un", "a:ofac"), {"un", "ofac"}, 5, ["1", "2"]),  # several sources
        ([], {"eu"}, 5, []),
    ],
)
def test_of_sources(hits: list[dict[str, Any]], sources: set[str], limit: int, kept: list[str]) -> None:
    assert [hit["entity_id"] for hit in _of_sources(hits, sources, limit)] == kept
