"""How many cores this process may use: its CPU affinity, capped by a container's CPU quota."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Final

CGROUP_CPU_MAX: Final = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "QUOTA PERIOD", or "max PERIOD"


def usable_cores(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """Return the cores this process may run on, no more than its cgroup's CPU quota allows (at least one)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = quota_cores(cpu_max)
    return max(1, min(cores, quota) if quota else cores)


def quota_cores(cpu_max: Path = CGROUP_CPU_MAX) -> int | None:
    """Return the cores a cgroup v2 CPU quota allows (rounded up), or None where there is no readable quota."""
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()[:2]
        return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError, ZeroDivisionError):  # no cgroup v2 file, "max" (no quota), or garbage
        return None
