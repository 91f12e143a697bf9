"""Seeded synthetic ledgers: background trade with planted dual-use goods, and planted network cases."""

from screening.synth.ledger import Ledger, generate_ledger, write_ledger
from screening.synth.planted import Planted, plant_cases, write_planted

__all__ = ["Ledger", "Planted", "generate_ledger", "plant_cases", "write_ledger", "write_planted"]
