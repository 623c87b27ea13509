"""Shared fixtures: the npm interop tools (snarkjs, circom2, circomlibjs) installed by .ci/run.

Helpers for running them live in ``tests/interop.py`` (importable as ``interop``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from interop import ROOT, missing, tool


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
