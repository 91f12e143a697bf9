"""Usable cores: affinity capped by a cgroup v2 CPU quota."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screening.cores import quota_cores, usable_cores

AFFINITY = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@pytest.mark.parametrize(
    ("cpu_max", "cores"),
    [
        ("max 100000\n", None),  # no quota
        ("100000 100000\n", 1),
        ("150000 100000\n", 2),  # a core and a half: rounded up
        ("50000 100000\n", 1),  # half a core still gets one
        ("400000 100000\n", 4),
        ("garbage\n", None),
        ("", None),
        ("100000 0\n", None),
        (None, None),  # no cgroup v2 file
    ],
)
def test_quota_cores(tmp_path: Path, cpu_max: str | None, cores: int | None) -> None:
    path = tmp_path / "cpu.max"
    if cpu_max is not None:
        path.write_text(cpu_max, encoding="ascii")
    assert quota_cores(path) == cores


@pytest.mark.parametrize(("cpu_max", "cores"), [("max 100000", AFFINITY), ("100000 100000", 1)])
def test_usable_cores_are_capped_by_the_quota(tmp_path: Path, cpu_max: str, cores: int) -> None:
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max, encoding="ascii")
    assert usable_cores(path) == cores
