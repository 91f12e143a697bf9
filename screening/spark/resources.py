"""The run's shared resources, built once on the driver and broadcast to every worker.

Row-level kinds build costly things once per run through ``ctx.cached`` (``name_match`` builds its
name index from the store's lists, else the bundled sample). The driver runs every row-level rule
once on an empty batch of each record kind with the run's store, which fills the context cache
exactly as the first batch of a single-machine scan would; the cache is pickled, broadcast once,
and unpickled once per worker process. So the list index lives on the driver (built from the
store's lists) and in each worker's memory (one copy per Python worker), never in the records.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

import polars as pl
from pyspark.sql import SparkSession

from screening.kinds.base import RunCheck, ScanContext
from screening.rules import RuleSet
from screening.schema import RecordKind, columns_for


@dataclass(frozen=True)
class Shared:
    """The broadcast resources and the token that names them in the workers' cache."""

    token: str
    broadcast: Any  # pyspark Broadcast[bytes]
    size: int  # bytes pickled


def warm(ctx: ScanContext, rules: RuleSet, kinds: Iterable[RecordKind]) -> dict[str, Any]:
    """Fill the context cache as the first batch of each record kind would, and return it."""
    kept = ctx.record_kind
    for kind in kinds:
        ctx.record_kind = kind
        empty = pl.LazyFrame(schema=columns_for(kind))
        checks = [rule.check(empty, ctx) for rule in rules.rules if not isinstance(rule.check, RunCheck)]
        if checks:  # collected too, for kinds that reach ctx.cached only when their plan runs
            pl.concat(checks, how="diagonal_relaxed").collect()
    ctx.record_kind = kept
    return ctx.cache


def share(spark: SparkSession, cache: dict[str, Any]) -> Shared:
    """Pickle the cache and broadcast it once."""
    payload = pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL)
    token = sha256(payload).hexdigest()[:16]
    return Shared(token=token, broadcast=spark.sparkContext.broadcast(payload), size=len(payload))


def rule_texts(rules: RuleSet) -> dict[str, str]:
    """Return the text of every rule file of the set, by file name, to ship to the workers."""
    return {Path(rule.path).name: Path(rule.path).read_text(encoding="utf-8") for rule in rules.rules}
