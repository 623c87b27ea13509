"""Every docstring example in zkmargin runs (pytest's default run does not collect doctests).

The modules are found by walking the package for ``>>>`` in the source, so a new module's
examples run without a list to keep up to date. numba is a core dependency, so the fast
kernels' modules run here too; the optional arkworks backend guards its own example.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import zkmargin

PACKAGE = Path(zkmargin.__file__).resolve().parent


def documented_modules() -> list[str]:
    """Dotted names of the zkmargin modules whose source holds a ``>>>`` example."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>> " not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = documented_modules()


def test_walk_finds_every_package() -> None:
    # The walk must reach each subpackage that has examples (a typo in PACKAGE would find none).
    assert {name.split(".")[1] for name in MODULES if "." in name} >= {
        "batch", "dsl", "curve", "field", "formats", "groth16", "hash", "margin", "models", "solvency",
    }  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has '>>> ' but no doctest examples"
    assert result.failed == 0
