"""The examples in the formats modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["binfile", "r1cs", "wtns", "zkey", "__init__"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(
        "zkmargin.formats" if name == "__init__" else f"zkmargin.formats.{name}"
    )
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
