"""The run's shared resources, built once on the driver and broadcast to every worker.

A row-level kind declares the per-run resources it reads from the store (``KindSpec.shares``:
``name_match`` its name index, built from the store's lists, else the bundled sample). The driver
builds exactly those with the run's store, pickles them, broadcasts them once, and each worker
process unpickles them once into its context's :class:`~screening.kinds.base.Resources`. So the
list index lives on the driver and in each worker's memory (one copy per Python worker), never in
the records; whatever else a kind builds (a memo of names already matched) each worker builds itself.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from screening.kinds import KINDS
from screening.kinds.base import ScanContext
from screening.rules import RuleSet


@dataclass(frozen=True)
class Shared:
    """The broadcast resources and the token that names them in the workers' cache."""

    token: str
    broadcast: Any  # pyspark Broadcast[bytes]
    size: int  # bytes pickled


def shared_resources(ctx: ScanContext, rules: RuleSet) -> dict[str, object]:
    """Build, with the driver's store, the resources the row-level rules' kinds declare they share, by name."""
    kinds = [KINDS[rule.kind] for rule in rules.rules if rule.kind in KINDS]
    wanted = {r.name: r for spec in kinds if spec.level == "row" for r in spec.shares}
    return ctx.resources.built(wanted.values(), ctx)


def share(spark: SparkSession, resources: dict[str, object]) -> Shared:
    """Pickle the built resources and broadcast them once."""
    payload = pickle.dumps(resources, protocol=pickle.HIGHEST_PROTOCOL)
    token = sha256(payload).hexdigest()[:16]
    return Shared(token=token, broadcast=spark.sparkContext.broadcast(payload), size=len(payload))


def rule_texts(rules: RuleSet) -> dict[str, str]:
    """Return the text of every rule file of the set, by file name, to ship to the workers."""
    return {Path(rule.path).name: Path(rule.path).read_text(encoding="utf-8") for rule in rules.rules}
