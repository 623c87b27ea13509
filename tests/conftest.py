"""Shared fixtures: the npm interop tools (snarkjs, circom2, circomlibjs) installed by .ci/run.

Helpers for running them live in ``tests/interop.py`` (importable as ``interop``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from interop import ROOT, missing, tool

# No per-example deadline: curve and field arithmetic in pure Python is slow on a loaded CI
# machine, and a deadline there only makes failures flaky. CI derandomizes so a run can be
# repeated exactly.
settings.register_profile(
    "zkmargin", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("zkmargin-ci", parent=settings.get_profile("zkmargin"), derandomize=True)
settings.load_profile("zkmargin-ci" if os.environ.get("CI") else "zkmargin")


@pytest.fixture(scope="session")
def snarkjs() -> str:
    return tool("snarkjs")


@pytest.fixture(scope="session")
def circom() -> str:
    return tool("circom2")


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The repository's node_modules (for `require('circomlibjs')` and circomlib's sources)."""
    path = ROOT / "node_modules"
    if not (path / "circomlibjs").exists():
        missing("circomlibjs not installed: run `npm install` at the repository root")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding a slow case run first (each file's items kept together and in order).

    pytest-xdist hands tests out in collection order, so a slow case collected last runs alone
    while the other worker idles; started early, the many short tests fill in around it.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
