"""What a benchmark ran on: platform, CPUs, memory, load average and the versions that matter."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from typing import Any

PACKAGES = ("polars", "duckdb", "rapidfuzz", "pyspark")


def describe() -> dict[str, Any]:
    """Return the machine description every result file carries."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # others' work on a shared machine
        "python": platform.python_version(),
        **versions,
    }
