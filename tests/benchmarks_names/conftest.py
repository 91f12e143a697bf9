"""Load the name benchmarks (scripts, not a package) as modules for their tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "names"


def bench_module(name: str) -> ModuleType:
    """Return a benchmark script of ``benchmarks/names`` imported as a module."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench_dev() -> ModuleType:
    """Return ``bench_dev.py`` as a module."""
    return bench_module("bench_dev")


@pytest.fixture(scope="session")
def devset() -> ModuleType:
    """Return ``devset.py`` as a module."""
    return bench_module("devset")


@pytest.fixture(scope="session")
def fit() -> ModuleType:
    """Return ``fit.py`` as a module."""
    bench_module("bench_dev")  # fit.py imports it by name
    return bench_module("fit")


@pytest.fixture(scope="session")
def variants() -> ModuleType:
    """Return ``variants.py`` as a module."""
    return bench_module("variants")


@pytest.fixture(scope="session")
def diff_dev() -> ModuleType:
    """Return ``diff_dev.py`` as a module."""
    return bench_module("diff_dev")


@pytest.fixture(scope="session")
def perturb() -> ModuleType:
    """Return ``perturb.py`` as a module."""
    bench_module("variants")  # perturb.py imports it by name
    return bench_module("perturb")


@pytest.fixture(scope="session")
def bench_speed() -> ModuleType:
    """Return ``bench_speed.py`` as a module."""
    return bench_module("bench_speed")


@pytest.fixture(scope="session")
def check_threshold() -> ModuleType:
    """Return ``check_threshold.py`` as a module."""
    return bench_module("check_threshold")
