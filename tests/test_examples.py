"""Every example of every bundled rule runs through ingestion and its rule, and must hold."""

from __future__ import annotations

import pytest

from screening.examples import ExampleOutcome, run_examples
from screening.rules import load_rules

OUTCOMES = run_examples(load_rules())


def test_every_rule_has_examples() -> None:
    assert {o.rule_id for o in OUTCOMES} == {r.id for r in load_rules().rules}


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: f"{o.rule_id}-{o.number}")
def test_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.passed, outcome.message
