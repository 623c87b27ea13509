"""Forgeries of a proof of solvency, each built here and refused by the verifier, each beside an
honest control that passes.

The honest material is the solvency tests' (tiny market, seeded keys cached per circuit, the
five-account report): their fixtures are imported so one setup serves both suites.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from solvency.conftest import circuit_keys, keys_dir, proven, report_copy  # noqa: F401


@pytest.fixture
def keys_copy(keys_dir: Path, tmp_path: Path) -> Path:  # noqa: F811
    """A private copy of the tiny market's cross keys, free to damage."""
    return Path(shutil.copytree(keys_dir, tmp_path / "keys"))
