"""Matching FtM examples: the dataset filter of plain match rows, and which requests the plain one-query way answers."""

from __future__ import annotations

from typing import Any

import pytest

from screening.serve import ftm
from screening.serve.access import StoreAccess
from screening.serve.live import ListState, LiveIndex
from screening.serve.matching import _of_sources, match_examples, match_plainly
from tests.serve.conftest import Served


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


@pytest.fixture
def state(served: Served) -> ListState:
    """Return the served store's loaded lists."""
    live = LiveIndex(StoreAccess(str(served.db)))
    live.refresh()
    assert live.state is not None
    return live.state


OPTIONS: dict[str, Any] = {"threshold": 0.7, "cutoff": 0.5, "limit": 5}


@pytest.mark.parametrize(
    ("properties", "dataset", "plain"),
    [
        ({"name": ["Rosoboronexport"]}, "default", True),  # one name: one query row
        ({"name": ["Rosoboronexport"]}, "testlist", True),  # a list source as the dataset
        ({"name": ["Sea Breeze"], "jurisdiction": ["ru"]}, "default", True),
        ({"name": ["Zzyzx Qwrtp"]}, "default", True),  # nothing found is an answer too
        ({"name": ["Rosoboronexport", "Sea Breeze"]}, "default", False),  # two rows: the batch path
        ({"name": ["Ivan Ivanov"], "birthDate": ["1970-03-15", "1971-01-01"]}, "default", False),
    ],
)
def test_plain_answer_is_the_full_answer(
    state: ListState, properties: dict[str, Any], dataset: str, plain: bool
) -> None:
    """A request of one query row is answered the plain way, as the full path answers it; others are left to it."""
    examples = {"q": ftm.example("q", {"schema": "Company", "properties": properties})}
    answer = match_plainly(state, examples, dataset=dataset, **OPTIONS)
    assert (answer is not None) is plain
    if answer is not None:
        assert answer == match_examples(state, examples, dataset=dataset, **OPTIONS)


def test_plain_answer_refuses_an_unknown_dataset(state: ListState) -> None:
    """An unknown dataset fails on the plain way as on the full path (the API answers 404)."""
    examples = {"q": ftm.example("q", {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}})}
    with pytest.raises(KeyError):
        match_plainly(state, examples, dataset="nope", **OPTIONS)
