"""Seeded synthetic ledgers: trade and payments with planted listed parties, dual-use goods and network cases."""

from screening.synth.ledger import Ledger, generate_ledger, write_ledger
from screening.synth.planted import Planted, plant_cases, write_planted
from screening.synth.stream import Written, write_ledger_stream

__all__ = [
    "Ledger",
    "Planted",
    "Written",
    "generate_ledger",
    "plant_cases",
    "write_ledger",
    "write_ledger_stream",
    "write_planted",
]
