"""The docstring examples of zkmargin.hash run (pytest's default run does not collect doctests)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "zkmargin.hash",
    "zkmargin.hash.grain",
    "zkmargin.hash.modp_linalg",
    "zkmargin.hash.mds_security",
    "zkmargin.hash.poseidon_constants",
    "zkmargin.hash.poseidon",
    "zkmargin.hash.poseidon_fast",
    "zkmargin.hash.merkle",
    "zkmargin.circuit.gadgets.poseidon",
    "zkmargin.circuit.gadgets.merkle",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
